// Code loaded with import() the first time a step needs it. A chunk that cannot be fetched (offline) is a
// retryable Network error, and the next call tries again.
import { AuthError } from '../cognito/errors.js';

export function lazyChunk<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () =>
    (loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw new AuthError('Network', 'A part of the sign-in could not be loaded. Check your connection and try again.', { cause: error });
    }));
}
