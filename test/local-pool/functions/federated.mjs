// The triggers a federated sign-in runs, as the federation tests steer them: records every event;
// refuses the trigger sources listed in the file TRIGGER_REFUSE names (one a line); PreSignUp
// verifies the e-mail address of a user from an external provider, and links the identity to the
// user TRIGGER_REFUSE.link names (AdminLinkProviderForUser over HTTP) when that file is there.
import { existsSync, readFileSync } from 'node:fs';
import { record } from './_record.mjs';

export const handler = async (event, context) => {
  record(event, context);
  const file = process.env.TRIGGER_REFUSE;
  const refused = file && existsSync(file) ? readFileSync(file, 'utf8').split('\n') : [];
  if (refused.includes(event.triggerSource)) throw new Error(`${event.triggerSource} says no to ${event.userName}`);
  if (event.triggerSource === 'PreSignUp_ExternalProvider') {
    event.response.autoVerifyEmail = true;
    // Account linking as apps do it: the new identity joins an existing user (the file says which, and where the pool is).
    const linkFile = `${file}.link`;
    if (file && existsSync(linkFile)) {
      const { endpoint, destination } = JSON.parse(readFileSync(linkFile, 'utf8'));
      const [providerName, ...rest] = event.userName.split('_');
      const answer = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.AdminLinkProviderForUser' },
        body: JSON.stringify({
          UserPoolId: event.userPoolId,
          DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: destination },
          SourceUser: { ProviderName: providerName, ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: rest.join('_') },
        }),
      });
      if (!answer.ok) throw new Error(`AdminLinkProviderForUser: ${await answer.text()}`);
    }
  }
  if (event.triggerSource.startsWith('TokenGeneration_')) event.response = { claimsOverrideDetails: { claimsToAddOrOverride: { signed_in_by: event.triggerSource } } };
  return event;
};
