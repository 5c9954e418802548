import type { Deps } from '../src/deps.js';
import { JOBS } from '../src/catalogue.js';
import { reconcileJob } from '../src/jobs/reconcile.job.js';
import { deliveryTickJob } from '../src/jobs/delivery-tick.job.js';
import type { JobEntry, Schedule } from './processor.js';

/**
 * HOW MESSAGES GET SENT ON TIME (the scheduling mechanism, and why).
 *
 * Both, each covering what the other cannot:
 * 1. Per-message delayed jobs. Planning a ledger row adds a `delivery.send`
 *    job (deterministic id) delayed until the row's due time. In production
 *    BullMQ fires it within milliseconds of due time, with no polling load.
 * 2. A due-row scan, `delivery.tick`, every DELIVERY_TICK_SECONDS (default
 *    5 s), run by a BullMQ job scheduler. It reads PostgreSQL, not Redis:
 *    every pending row due by deps.clock without a live claim gets a runnable
 *    job (src/delivery/tick.ts). It makes time controllable (a ManualClock or
 *    the sandbox's OffsetClock moves deps.clock, not BullMQ's real-time
 *    delays: the scan promotes what became due) and it is the repair path
 *    when a job is lost: lateness is bounded by the tick interval.
 * Plus the reconciler (src/delivery/reconcile.ts) at worker start and every
 * RECONCILE_EVERY_SECONDS re-adds the delayed jobs of rows due later.
 *
 * Redis flushed: the delayed jobs AND these schedulers are gone. Each worker
 * process therefore keeps a small real-time watchdog (keepSchedules): when
 * the tick scheduler is missing it re-creates every schedule and runs the
 * reconciler at once. Both the set a worker starts and the set the watchdog
 * rebuilds are the catalogue's schedules (src/catalogue.ts), so they cannot
 * drift apart. Nothing is lost, because PostgreSQL is the record, and
 * nothing is sent twice, because the sender claims the row in PostgreSQL.
 */
type ScheduledEntry = JobEntry & { schedule: Schedule };

const SCHEDULED: readonly ScheduledEntry[] = JOBS.filter((e): e is ScheduledEntry => e.schedule !== undefined);

/** The ids of every recurring job (what a worker starts, and what the watchdog rebuilds after a flush). */
export function scheduleIds(): string[] {
  return SCHEDULED.map((e) => e.schedule.id);
}

export async function ensureSchedules(deps: Deps): Promise<void> {
  for (const { job, schedule } of SCHEDULED) {
    await deps.queues.queue(job.queue).upsertJobScheduler(
      schedule.id,
      { every: schedule.everyMs(deps) },
      {
        name: job.name,
        data: {},
        opts: { removeOnComplete: { count: 50 }, removeOnFail: { count: 50 } },
      },
    );
  }
}

/** The scheduler whose absence means Redis lost its keys: the delivery tick's. */
const SENTINEL = SCHEDULED.find((e) => e.job === deliveryTickJob)!;

/** True when the schedules had vanished (Redis flushed) and were rebuilt, with a reconcile run queued. */
export async function checkSchedules(deps: Deps): Promise<boolean> {
  const present = await deps.queues.queue(SENTINEL.job.queue).getJobScheduler(SENTINEL.schedule.id);
  if (present) return false;
  deps.logger.warn('job schedules missing (Redis lost?): rebuilding them and reconciling from PostgreSQL');
  await ensureSchedules(deps);
  await deps.queues.add(reconcileJob, {}, { jobId: `reconcile-rebuild-${Date.now()}` });
  return true;
}

/** The watchdog: real time, per process; returns a stop function. */
export function keepSchedules(deps: Deps, everyMs = Math.min(30_000, deps.config.RECONCILE_EVERY_SECONDS * 1000)): () => void {
  const timer = setInterval(() => {
    checkSchedules(deps).catch((err: Error) => deps.logger.warn({ err: err.message }, 'schedule watchdog failed'));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
