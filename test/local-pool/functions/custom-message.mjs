// CustomMessage: its own texts for every source, with the placeholders the request gives.
// ClientMetadata { forget: "code" } leaves the code out (the pool must refuse that).
import { record } from './_record.mjs';

export const handler = async (event, context) => {
  record(event, context);
  const { codeParameter, usernameParameter } = event.request;
  const code = event.request.clientMetadata?.forget === 'code' ? '(no code)' : codeParameter;
  const who = usernameParameter ? ` for ${usernameParameter}` : '';
  event.response.smsMessage = `[${event.triggerSource}] ${code}${who}`;
  event.response.emailMessage = `<p>[${event.triggerSource}] Your code${who} is <b>${code}</b></p>`;
  event.response.emailSubject = `Subject of ${event.triggerSource}`;
  return event;
};
