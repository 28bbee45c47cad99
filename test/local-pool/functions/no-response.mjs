// Answers the event without its response object.
export const handler = async (event) => {
  delete event.response;
  return event;
};
