// The actor families of steps only some users reach: sign-up and password reset, the signed-in user's account, MFA
// set-up and preference, passkeys, the hosted UI, remembered devices' management. on-demand.ts loads this module with
// import() the first time one of their slots runs, so a password sign-in does not load them.
export { accountActors } from './account.js';
export { deviceActors } from './devices.js';
export { mfaActors } from './mfa.js';
export { passkeyActors } from './passkeys.js';
export { redirectActors } from './redirect.js';
