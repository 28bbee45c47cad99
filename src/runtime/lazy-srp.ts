// The SRP client as the runtime holds it: the math (the 3072-bit group, modular exponentiation, HKDF) is loaded
// with import() when createAuth first prepares g^a (at the sign-in form), so a page restoring a stored session does
// not load it, and bundlers put it in a chunk of its own.
import type { CognitoSrpClient, ModPowEngine } from '../cognito/srp.js';
import { lazyChunk } from './lazy-chunk.js';

/** What the sign-in actors use of the SRP client. */
export type SrpClient = Pick<CognitoSrpClient, 'prepare' | 'takeEphemeral' | 'passwordClaim' | 'newDevice' | 'deviceClaim'>;

/** A CognitoSrpClient made on first use; `engine` defaults to the BigInt one (the Node entry passes OpenSSL's). */
export function lazySrpClient(userPoolId: string, engine?: ModPowEngine): SrpClient {
  const client = lazyChunk(() => import('./srp-chunk.js').then((srp) => new srp.CognitoSrpClient(userPoolId, engine ?? srp.bigIntEngine)));
  return {
    prepare: () => void client().then((loaded) => loaded.prepare(), () => undefined),
    takeEphemeral: async () => (await client()).takeEphemeral(),
    passwordClaim: async (...args) => (await client()).passwordClaim(...args),
    newDevice: async (...args) => (await client()).newDevice(...args),
    deviceClaim: async (...args) => (await client()).deviceClaim(...args),
  };
}
