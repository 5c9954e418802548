import type { Deps } from '../deps.js';
import type { JobDefinition } from '../jobs/job.js';
import { deliveryTickJob } from '../jobs/delivery-tick.job.js';
import { reconcileJob } from '../jobs/reconcile.job.js';
import { escalationTickJob } from '../jobs/escalation-tick.job.js';
import { erasureTickJob } from '../jobs/erasure-tick.job.js';
import { retentionJob } from '../jobs/retention.job.js';
import { intakeSweepJob } from '../jobs/intake-sweep.job.js';
import { handoverTickJob } from '../jobs/handover-tick.job.js';

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
 * reconciler at once. Nothing is lost, because PostgreSQL is the record, and
 * nothing is sent twice, because the sender claims the row in PostgreSQL.
 */
export interface Schedule {
  id: string;
  job: JobDefinition<Record<string, never>>;
  everyMs(deps: Deps): number;
}

const SCHEDULES: Schedule[] = [
  { id: 'delivery-tick', job: deliveryTickJob as Schedule['job'], everyMs: (d) => d.config.DELIVERY_TICK_SECONDS * 1000 },
  { id: 'reconcile', job: reconcileJob as Schedule['job'], everyMs: (d) => d.config.RECONCILE_EVERY_SECONDS * 1000 },
  // Escalations: overdue follow-ups, quiet cases, unassigned intakes, crisis pages, weekly digests.
  { id: 'escalations-tick', job: escalationTickJob as Schedule['job'], everyMs: (d) => d.config.ESCALATION_TICK_SECONDS * 1000 },
  // Data lifecycle: erasure holds, deadlines and resumption hourly; retention daily.
  { id: 'erasure-tick', job: erasureTickJob as Schedule['job'], everyMs: () => 3600_000 },
  { id: 'retention', job: retentionJob as Schedule['job'], everyMs: () => 24 * 3600_000 },
  // Idle intake drafts: one nudge, deletion after INTAKE_DRAFT_TTL_DAYS, expired button tokens.
  { id: 'intake-sweep', job: intakeSweepJob as Schedule['job'], everyMs: (d) => d.config.INTAKE_SWEEP_EVERY_MINUTES * 60_000 },
  // Leave cover: cases go back to their worker on the until date.
  { id: 'handover-tick', job: handoverTickJob as Schedule['job'], everyMs: (d) => d.config.HANDOVER_TICK_MINUTES * 60_000 },
];

/** The ids of every recurring job (what a worker starts, and what the watchdog rebuilds after a flush). */
export function scheduleIds(): string[] {
  return SCHEDULES.map((s) => s.id);
}

/** Other features add their recurring jobs here (escalation tick, weekly digest). */
export function registerSchedule(s: Schedule): void {
  if (!SCHEDULES.some((x) => x.id === s.id)) SCHEDULES.push(s);
}

export async function ensureSchedules(deps: Deps): Promise<void> {
  for (const s of SCHEDULES) {
    await deps.queues.queue(s.job.queue).upsertJobScheduler(
      s.id,
      { every: s.everyMs(deps) },
      {
        name: s.job.name,
        data: {},
        opts: { removeOnComplete: { count: 50 }, removeOnFail: { count: 50 } },
      },
    );
  }
}

/** True when the schedules had vanished (Redis flushed) and were rebuilt, with a reconcile run queued. */
export async function checkSchedules(deps: Deps): Promise<boolean> {
  const present = await deps.queues.queue(deliveryTickJob.queue).getJobScheduler('delivery-tick');
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
