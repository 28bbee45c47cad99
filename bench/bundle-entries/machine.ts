// The statechart alone ('authchart/machine'): for visualizers, graph tools and users who bring their own runtime.
import { createActor } from 'xstate';
import { authMachine } from 'authchart/machine';

createActor(authMachine, { input: { authFlow: 'USER_SRP_AUTH' } }).start();
