// Amplify's per-call `options.clientMetadata`: it rides on the Cognito calls that one API call makes, while that call
// runs, and on no other — a refresh or another call running meanwhile does not get it, and nothing of it outlives
// the call. The chart never sees it: configure() hands createAuth a ClientMetadata function that reads these scopes.
import type { ClientMetadataOption, CognitoCall } from '../cognito/call-context.js';

type Metadata = Readonly<Record<string, string>>;
/** Cognito operation name -> the metadata its calls carry during the scope. */
export type MetadataByOperation = Readonly<Partial<Record<string, Metadata | undefined>>>;

const scopes = new Set<MetadataByOperation>();

/** Runs `run` with `byOperation` applied to the Cognito calls made meanwhile. */
export async function withCallMetadata<T>(byOperation: MetadataByOperation, run: () => Promise<T>): Promise<T> {
  if (!Object.values(byOperation).some((metadata) => metadata !== undefined)) return run();
  scopes.add(byOperation);
  try {
    return await run();
  } finally {
    scopes.delete(byOperation);
  }
}

/** The ClientMetadata option for configure()'s auth: the app's own (authchart options), then the running calls'. */
export function scopedClientMetadata(base: ClientMetadataOption | undefined): ClientMetadataOption {
  return async (call: CognitoCall) => {
    const own = typeof base === 'function' ? await base(call) : base;
    let merged: Record<string, string> | undefined = own ? { ...own } : undefined;
    for (const scope of scopes) {
      const metadata = scope[call.operation];
      if (metadata) merged = { ...merged, ...metadata };
    }
    return merged;
  };
}
