// Records the event and answers it unchanged (Cognito's "carry on as usual").
import { record } from './_record.mjs';

export const handler = async (event, context) => {
  record(event, context);
  return event;
};
