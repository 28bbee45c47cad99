// The callback style of Lambda's Node.js runtime, in CommonJS.
const { appendFileSync } = require('node:fs');

exports.handler = (event, context, callback) => {
  if (process.env.TRIGGER_RECORD) {
    const seen = {
      functionName: context.functionName,
      awsRequestId: context.awsRequestId,
      remainingMs: context.getRemainingTimeInMillis(),
      callbackWaitsForEmptyEventLoop: context.callbackWaitsForEmptyEventLoop,
      style: 'callback',
    };
    appendFileSync(process.env.TRIGGER_RECORD, `${JSON.stringify({ event, context: seen })}\n`);
  }
  console.log(`callback function saw ${event.triggerSource}`);
  setTimeout(() => callback(null, event), 20);
};
