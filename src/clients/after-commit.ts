import type { Logger } from '../lib/logger.js';

/**
 * Work that must not hold up the reply or the database record: queue jobs
 * after commit. With Redis down a BullMQ add can wait for a long time, so it
 * runs in the background; a failure is logged (the reconciler and the next
 * sweep rebuild schedules from PostgreSQL), never thrown at the client.
 */
export interface Later {
  (label: string, fn: () => Promise<unknown>): void;
  /** Wait for everything started so far (tests, graceful stop). */
  drain(): Promise<void>;
}

export function createLater(logger: Pick<Logger, 'warn'>): Later {
  const pending = new Set<Promise<unknown>>();
  const later = ((label: string, fn: () => Promise<unknown>) => {
    const p: Promise<unknown> = Promise.resolve()
      .then(fn)
      .catch((err: unknown) => logger.warn({ task: label, err: (err as Error)?.message }, 'background task after commit failed'))
      .finally(() => pending.delete(p));
    pending.add(p);
  }) as Later;
  later.drain = async () => {
    while (pending.size) await Promise.all([...pending]);
  };
  return later;
}
