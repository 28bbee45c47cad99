// Refuses whatever it is asked: a thrown error.
import { record } from './_record.mjs';

export const handler = async (event, context) => {
  record(event, context);
  throw new Error(`Not today, ${event.userName}`);
};
