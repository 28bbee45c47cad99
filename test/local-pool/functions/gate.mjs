// Holds each invocation until the test opens its gate: the file <TRIGGER_RECORD>.open-<key>, where the
// key is ClientMetadata.gate when the event has one, else the triggerSource. Two requests held here
// are both past their reads and before their writes, which is the window a race needs. Gives up
// after 8 s (the test then fails on what the pool answered, not on a hang).
import { existsSync } from 'node:fs';
import { record } from './_record.mjs';

export const handler = async (event, context) => {
  record(event, context);
  const key = event.request?.clientMetadata?.gate ?? event.triggerSource;
  const gate = `${process.env.TRIGGER_RECORD}.open-${key}`;
  const until = Date.now() + 8000;
  while (!existsSync(gate) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 5));
  return event;
};
