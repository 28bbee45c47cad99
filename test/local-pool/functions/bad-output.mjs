// Answers something that is not the event.
export const handler = async () => 'all good';
