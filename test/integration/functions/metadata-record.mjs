// Records what each trigger was given of the request's ClientMetadata (clientMetadata, or validationData where
// Cognito passes InitiateAuth's metadata so) to the file named by METADATA_RECORD, and carries on as usual.
import { appendFileSync } from 'node:fs';

export const handler = async (event) => {
  const file = process.env.METADATA_RECORD;
  if (file) {
    const { clientMetadata = null, validationData = null } = event.request;
    appendFileSync(file, `${JSON.stringify({ triggerSource: event.triggerSource, userName: event.userName, clientMetadata, validationData })}\n`);
  }
  return event;
};
