// Never answers and never yields: a busy loop (the pool must stay responsive and time it out).
export const handler = async () => {
  for (;;) {
    // spin
  }
};
