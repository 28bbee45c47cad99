// UserMigration from a "legacy directory" of two users; Rita must reset her password.
import { record } from './_record.mjs';

const LEGACY = {
  'legacy-lee': { password: 'Legacy!pass1', email: 'lee@legacy.example', status: 'CONFIRMED' },
  'legacy-rita': { password: 'Legacy!pass2', email: 'rita@legacy.example', status: 'RESET_REQUIRED' },
};

export const handler = async (event, context) => {
  record(event, context);
  const known = LEGACY[event.userName];
  if (!known) return event;
  if (event.triggerSource === 'UserMigration_Authentication' && event.request.password !== known.password) return event;
  event.response.userAttributes = { email: known.email, email_verified: 'true', name: `Migrated ${event.userName}` };
  event.response.finalUserStatus = known.status;
  event.response.messageAction = 'SUPPRESS';
  return event;
};
