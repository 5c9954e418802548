/** Thrown by withTimeout when the work did not finish in time (the work itself is not cancelled). */
class TimeoutError extends Error {
  readonly code = 'TIMEOUT';
  constructor(label: string, ms: number) {
    super(`${label} did not finish within ${ms} ms`);
  }
}

/**
 * Resolve with `p`, or reject with TimeoutError after `ms`. For calls on a path
 * a person is waiting on (a client's update) that must give up cleanly when a
 * dependency (Redis) hangs instead of failing.
 */
export function withTimeout<T>(p: Promise<T>, ms: number, label: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(label, ms)), ms);
    timer.unref?.();
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}
