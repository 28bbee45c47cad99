// Peer: Amplify JS v6, configured, with signIn and confirmSignIn (what a custom sign-in UI on Amplify imports).
import { Amplify } from 'aws-amplify';
import { confirmSignIn, signIn } from 'aws-amplify/auth';

Amplify.configure({ Auth: { Cognito: { userPoolId: 'us-east-1_example', userPoolClientId: 'exampleclient000000000000' } } });
const { nextStep } = await signIn({ username: 'alice', password: 'correct horse battery staple' });
if (nextStep.signInStep !== 'DONE') await confirmSignIn({ challengeResponse: prompt('Code') ?? '' });
