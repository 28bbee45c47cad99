// Peer: amazon-cognito-identity-js, a user pool, a user and an SRP sign-in with its MFA callback.
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from 'amazon-cognito-identity-js';

const pool = new CognitoUserPool({ UserPoolId: 'us-east-1_example', ClientId: 'exampleclient000000000000' });
const user = new CognitoUser({ Username: 'alice', Pool: pool });
user.authenticateUser(new AuthenticationDetails({ Username: 'alice', Password: 'correct horse battery staple' }), {
  onSuccess: (session) => console.log(session.getIdToken().getJwtToken()),
  onFailure: (error) => console.error(error),
  totpRequired: () => user.sendMFACode(prompt('Code') ?? '', { onSuccess: () => undefined, onFailure: () => undefined }, 'SOFTWARE_TOKEN_MFA'),
});
