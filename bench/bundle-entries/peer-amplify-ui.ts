// Peer: the Amplify UI authenticator's machine stack (@aws-amplify/ui on xstate 4, with Amplify configured), as
// the Authenticator components run it. Its packages come from bench/peers (xstate 4 conflicts with the root's xstate 5);
// not type-checked with the rest (see bench/bundle-entries/tsconfig.json).
import { Amplify } from 'aws-amplify';
import { createAuthenticatorMachine } from '@aws-amplify/ui';
import { interpret } from 'xstate';

Amplify.configure({ Auth: { Cognito: { userPoolId: 'us-east-1_example', userPoolClientId: 'exampleclient000000000000' } } });
const service = interpret(createAuthenticatorMachine()).start();
service.subscribe((state) => console.log(state.value));
