// Answers after 600 ms, for races with what happens meanwhile.
import { record } from './_record.mjs';

export const handler = async (event, context) => {
  record(event, context);
  await new Promise((resolve) => setTimeout(resolve, 600));
  return event;
};
