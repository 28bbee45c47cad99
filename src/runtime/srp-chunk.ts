// What lazy-srp.ts loads with import(). The package's index must not export from ../cognito/srp.ts: esbuild keeps
// a module that is also reachable statically (even through an unused re-export) in an app's first chunk
// (evanw/esbuild#3704), so the SRP classes are public through 'authchart/srp' instead.
export { CognitoSrpClient, bigIntEngine } from '../cognito/srp.js';
