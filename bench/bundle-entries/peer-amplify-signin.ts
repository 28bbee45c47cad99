// Peer: Amplify JS v6's signIn and confirmSignIn alone, without Amplify.configure (what Amplify's own size budget measures).
import { confirmSignIn, signIn } from 'aws-amplify/auth';

const { nextStep } = await signIn({ username: 'alice', password: 'correct horse battery staple' });
if (nextStep.signInStep !== 'DONE') await confirmSignIn({ challengeResponse: prompt('Code') ?? '' });
