import type { Logger } from '../lib/logger.js';

/**
 * THE AFTER-COMMIT POLICY: the one way to do work that must follow a commit.
 *
 * What: anything outside PostgreSQL that a transaction's outcome calls for —
 * adding the send jobs of the ledger rows it planned (`scheduleAfterCommit` in
 * src/delivery/ledger.ts), asking for an escalation sweep, tracking a Telegram
 * message id. Every outbound message is a ledger row planned INSIDE the
 * transaction; only the queueing and the platform side come after.
 * Rules:
 * 1. Only after commit: started once `inTransaction` has resolved, never inside
 *    it, so a rolled-back change queues nothing and no job runs before the rows
 *    it needs are visible.
 * 2. Never lost silently, never thrown at the person: a failure is logged
 *    (warn, with the task's label) and left to the record. PostgreSQL holds what
 *    matters: pending ledger rows are sent by the due-row tick and re-queued by
 *    the reconciler; sweeps run again on their schedule.
 * 3. Nobody waits on Redis: with Redis down a BullMQ add waits for the
 *    connection, so the caller waits at most AFTER_COMMIT_WAIT_MS and the work
 *    carries on in the background (job ids are deterministic: no duplicates).
 *    A handler whose reply must not wait at all (Telegram: the client's reply
 *    goes first) does not await it; its Later tracks the work, drained when the
 *    bot settles or stops.
 */
const AFTER_COMMIT_WAIT_MS = 1000;

export interface Later {
  /** Start `fn` now (the transaction has committed). Resolves when it settled or after the wait bound; never rejects. */
  (label: string, fn: () => Promise<unknown>, context?: Record<string, unknown>): Promise<void>;
  /** Wait for everything started so far (tests, graceful stop). */
  drain(): Promise<void>;
}

export function createLater(logger: Pick<Logger, 'warn'>, waitMs = AFTER_COMMIT_WAIT_MS): Later {
  const pending = new Set<Promise<unknown>>();
  const later = ((label: string, fn: () => Promise<unknown>, context: Record<string, unknown> = {}) => {
    const p: Promise<boolean> = Promise.resolve()
      .then(fn)
      .then(
        () => true,
        (err: unknown) => {
          logger.warn(
            { task: label, ...context, err: (err as Error)?.message },
            'work after commit failed; the record stands (the tick and the reconciler repair it)',
          );
          return true;
        },
      )
      .finally(() => pending.delete(p));
    pending.add(p);
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<false>((r) => {
      timer = setTimeout(() => r(false), waitMs);
      timer.unref?.();
    });
    return Promise.race([p, gaveUp]).then((done) => {
      clearTimeout(timer);
      // Not necessarily Redis: an urgent send waits here for its turn on a DM (escalations/page-now.ts) too.
      if (!done)
        logger.warn(
          { task: label, ...context, waitedMs: waitMs },
          'work after commit still going (Redis, or a send waiting for its turn); it carries on in the background',
        );
    });
  }) as Later;
  later.drain = async () => {
    while (pending.size) await Promise.all([...pending]);
  };
  return later;
}
