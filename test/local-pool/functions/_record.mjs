// Test helper (not a function): appends each event (and what the function saw of its context) to
// the file named by TRIGGER_RECORD, so tests can read what the pool sent.
import { appendFileSync } from 'node:fs';

export function record(event, context) {
  const file = process.env.TRIGGER_RECORD;
  if (!file) return;
  const seen = {
    functionName: context.functionName,
    awsRequestId: context.awsRequestId,
    remainingMs: context.getRemainingTimeInMillis(),
    invokedFunctionArn: context.invokedFunctionArn,
    region: process.env.AWS_REGION,
  };
  appendFileSync(file, `${JSON.stringify({ event, context: seen })}\n`);
}
