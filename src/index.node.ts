// Node entry: the same API, with SRP's modular exponentiation done by OpenSSL (node:crypto).
import { createAuth as createAuthPortable, type Auth, type CreateAuthOptions } from './runtime/create-auth.js';
import { createOpenSslEngine } from './cognito/srp-node.js';

export * from './index.js';
export { createOpenSslEngine } from './cognito/srp-node.js';

export function createAuth(options: CreateAuthOptions): Auth {
  return createAuthPortable({ ...options, srpEngine: options.srpEngine ?? createOpenSslEngine() });
}
