// The hosted UI's pages sign a user in through the pool's own flows (InitiateAuth, the challenge
// answers), whose tokens they throw away: the app's come from the code, after PreTokenGeneration
// with TokenGeneration_HostedAuth. While a page runs those flows, the flows' own PreTokenGeneration
// (TokenGeneration_Authentication ...) is skipped, so Cognito's single call is what a function sees.
import { AsyncLocalStorage } from 'node:async_hooks';

const hostedSignIn = new AsyncLocalStorage<true>();

/** Runs a sign-in step of a hosted-UI page. */
export const asHostedSignIn = <T>(step: () => Promise<T>): Promise<T> => hostedSignIn.run(true, step);

/** True inside asHostedSignIn. */
export const inHostedSignIn = (): boolean => hostedSignIn.getStore() === true;
