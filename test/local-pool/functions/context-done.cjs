// The oldest style: context.done(error, result).
exports.handler = function (event, context) {
  if (event.request.validationData && event.request.validationData.refuse) {
    context.done(new Error('context.done refused it'), event);
    return;
  }
  context.done(null, event);
};
