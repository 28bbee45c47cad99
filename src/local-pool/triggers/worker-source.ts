// The program a Lambda function runs in: one worker thread per warm "sandbox", evaluated from this
// source text (no worker file has to be found next to a bundle). It loads the function's module once,
// then answers one invocation at a time the way Lambda's Node.js runtime calls a handler:
// `handler(event, context, callback)`, a returned promise or the callback (or context.done /
// succeed / fail) settling it, the result passed through JSON as Lambda serialises it.
//
// Messages in:  { id, event, deadline, awsRequestId }
// Messages out: { id, ok: true, payload: <JSON text or "null"> } | { id, ok: false, errorType, errorMessage, crashed }
// (crashed: the error escaped the handler; the sandbox is not used again), and { id, outbox } for
// each authchartLocalPool.sendMessage(...) while the invocation runs (delivered before its result).

export const LAMBDA_WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const { pathToFileURL } = require('node:url');
const { basename, extname } = require('node:path');

const moduleName = basename(workerData.file, extname(workerData.file));
let loading;
function loadHandler() {
  loading ??= import(pathToFileURL(workerData.file).href).then((mod) => {
    const handler = typeof mod.handler === 'function' ? mod.handler : mod.default && mod.default.handler;
    if (typeof handler !== 'function') {
      const error = new Error(moduleName + '.handler is undefined or not exported');
      error.name = 'Runtime.HandlerNotFound';
      throw error;
    }
    return handler;
  });
  return loading;
}

function describeError(error) {
  if (error instanceof Error) return { errorType: error.name || 'Error', errorMessage: String(error.message) };
  if (typeof error === 'string') return { errorType: 'string', errorMessage: error };
  let text;
  try { text = JSON.stringify(error); } catch { text = String(error); }
  return { errorType: typeof error, errorMessage: text === undefined ? String(error) : text };
}

let current;
let currentId;
// The local pool's one helper for functions (not in Lambda: check for it): a message into the
// pool's outbox, where a real function would call SES or SNS.
globalThis.authchartLocalPool = Object.freeze({
  sendMessage(message) {
    if (currentId === undefined) throw new Error('authchartLocalPool.sendMessage works only while the function runs');
    parentPort.postMessage({ id: currentId, outbox: JSON.parse(JSON.stringify(message ?? null)) });
  },
});
parentPort.on('message', async ({ id, event, deadline, awsRequestId }) => {
  currentId = id;
  let settled = false;
  const settle = (error, result, crashed = false) => {
    if (settled) return;
    settled = true;
    current = undefined;
    currentId = undefined;
    if (error !== undefined && error !== null) {
      parentPort.postMessage({ id, ok: false, crashed, ...describeError(error) });
      return;
    }
    let payload;
    try { payload = JSON.stringify(result === undefined ? null : result); } catch (failure) {
      parentPort.postMessage({ id, ok: false, errorType: 'Runtime.SerializationError', errorMessage: String(failure && failure.message) });
      return;
    }
    parentPort.postMessage({ id, ok: true, payload });
  };
  current = settle;
  const context = {
    functionName: workerData.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: workerData.functionArn,
    memoryLimitInMB: '128',
    awsRequestId,
    logGroupName: '/aws/lambda/' + workerData.functionName,
    logStreamName: workerData.logStreamName,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: (error, result) => settle(error, result),
    succeed: (result) => settle(null, result),
    fail: (error) => settle(error === undefined || error === null ? new Error('handled') : error),
  };
  try {
    const handler = await loadHandler();
    const returned = handler(event, context, (error, result) => settle(error, result));
    if (returned && typeof returned.then === 'function') {
      returned.then((result) => settle(null, result), (error) => settle(error === undefined ? new Error('undefined') : error));
    } else if (handler.length < 3) {
      // A handler that is neither async nor takes a callback answers null, as Lambda's runtime does.
      settle(null, null);
    }
  } catch (error) {
    settle(error);
  }
});

// An error no handler caught (a throw in a timer, an unhandled rejection) ends the invocation, as
// Lambda's runtime does ("Runtime exited with error").
const crash = (error) => {
  if (current) current(error instanceof Error ? error : new Error(String(error)), undefined, true);
};
process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);
`;
