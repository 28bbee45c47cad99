// Never answers: a promise that never settles.
export const handler = () => new Promise(() => {});
