// The triggers a federated sign-in runs, as the federation tests steer them: records every event;
// refuses the trigger sources listed in the file TRIGGER_REFUSE names (one a line); PreSignUp
// verifies the e-mail address of a user from an external provider.
import { existsSync, readFileSync } from 'node:fs';
import { record } from './_record.mjs';

export const handler = async (event, context) => {
  record(event, context);
  const file = process.env.TRIGGER_REFUSE;
  const refused = file && existsSync(file) ? readFileSync(file, 'utf8').split('\n') : [];
  if (refused.includes(event.triggerSource)) throw new Error(`${event.triggerSource} says no to ${event.userName}`);
  if (event.triggerSource === 'PreSignUp_ExternalProvider') event.response.autoVerifyEmail = true;
  if (event.triggerSource.startsWith('TokenGeneration_')) event.response = { claimsOverrideDetails: { claimsToAddOrOverride: { signed_in_by: event.triggerSource } } };
  return event;
};
