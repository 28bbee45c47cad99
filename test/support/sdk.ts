import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';

/** An SDK client for admin calls (SigV4-signed with dummy credentials, which local servers accept). */
export function adminClient(url: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region: 'us-east-1',
    endpoint: url,
    maxAttempts: 1,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}
