// Answers once the test lets it (the file TRIGGER_RECORD.release appears) or after 1.2 s, for races
// with what happens meanwhile.
import { existsSync } from 'node:fs';
import { record } from './_record.mjs';

export const handler = async (event, context) => {
  record(event, context);
  const release = `${process.env.TRIGGER_RECORD}.release`;
  const until = Date.now() + 1200;
  while (!existsSync(release) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
  return event;
};
