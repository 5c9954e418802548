import { randomUUID } from 'node:crypto';
import { planOncallGapAlerts } from './oncall-gap.js';
import type { Deps } from '../deps.js';
import { safeJobId } from '../jobs/job.js';
import { escalationTickJob } from '../jobs/escalation-tick.job.js';
import { openDueEscalations } from './escalation-open.js';
import { advanceEscalations } from './escalation-ladder.js';
import { sendUrgentNow } from '../delivery/send-now.js';
import { planWeeklyDigests } from './weekly-digest.js';

/**
 * One sweep (the `escalations.tick` job, every ESCALATION_TICK_SECONDS, and on
 * demand): open what is newly due, move every open escalation one step (or
 * resolve it), and keep next Monday's digests planned. Safe to run twice at
 * once: opening is unique per case+reason and each notification is taken by
 * an optimistic update, and every message is a unique ledger row.
 */
export interface SweepOptions {
  /** Escalations per transaction when opening and notifying (default 1,000). */
  chunkSize?: number;
  /** Chunk transactions in flight at once (default 3). */
  parallel?: number;
  /** Elapsed ms per phase (open, then the ladder's load / decide / notify, then digests): the benchmark's split. */
  onPhase?: (phase: 'open' | 'ladder.load' | 'ladder.decide' | 'ladder.notify' | 'digests', ms: number) => void;
}

export async function runEscalationSweep(
  deps: Deps,
  opts: SweepOptions = {},
): Promise<{ opened: number; notified: number; resolved: number; digests: number }> {
  let t0 = performance.now();
  const opened = await openDueEscalations(deps, { chunkSize: opts.chunkSize, parallel: opts.parallel });
  opts.onPhase?.('open', performance.now() - t0);
  const { notified, resolved } = await advanceEscalations(deps, {
    chunkSize: opts.chunkSize,
    parallel: opts.parallel,
    onPhase: opts.onPhase,
    // A crisis page this sweep planned (it got to a new crisis before the process that heard it did, or a later
    // tier) is sent at once from here too, not behind the delivery queue; not awaited, so the sweep goes on.
    onPlanned: (rows) => void sendUrgentNow(deps, rows),
  });
  t0 = performance.now();
  const digests = await planWeeklyDigests(deps);
  opts.onPhase?.('digests', performance.now() - t0);
  // A rota gap alert must never stop the sweep that pages crises.
  await planOncallGapAlerts(deps).catch((err: unknown) => deps.logger.error({ err: (err as Error)?.message }, 'on-call gap check failed'));
  return { opened, notified, resolved, digests };
}

/**
 * The ladder alone (open what is due, move every open escalation one step; crisis pages sent at once), from
 * PostgreSQL only: what keeps paging while Redis, and with it the `escalations.tick` job, is down
 * (workers/ladder-without-redis.ts). Other escalations' messages are planned and go once Redis is back (their
 * jobs, the due-row tick); the digests and the rota gap alert wait for the tick.
 */
export async function runCrisisLadder(deps: Deps): Promise<{ opened: number; notified: number; resolved: number }> {
  const opened = await openDueEscalations(deps);
  const pages: Array<ReturnType<typeof sendUrgentNow>> = [];
  const { notified, resolved } = await advanceEscalations(deps, { onPlanned: (rows) => void pages.push(sendUrgentNow(deps, rows)) });
  await Promise.all(pages);
  return { opened, notified, resolved };
}

/** Set while a requested sweep is queued and has not started (it expires on its own if the add was lost). */
const requestedKey = (config: Pick<Deps['config'], 'QUEUE_PREFIX'>) => `${config.QUEUE_PREFIX}:escalations:sweep-requested`;
const REQUEST_TTL_MS = 30_000;

/**
 * Run a sweep now rather than at the next tick (a crisis was just recorded): call after commit.
 * Requests coalesce: while a requested sweep is queued and has not started, it will read what was
 * committed before this call, so no second one is added (a hundred crises a minute, each sweep taking a
 * second or two on a busy machine, would otherwise queue sweeps one behind the other and the pages with
 * them). Added on the raw queue with its own id: JobQueues.add always uses the definition's fixed id
 * ('escalations-tick'), which stays stored after completion and would make every later request a no-op.
 */
export async function requestEscalationSweep(deps: Pick<Deps, 'queues' | 'clock' | 'redis' | 'config'>): Promise<void> {
  const first = await deps.redis.set(requestedKey(deps.config), '1', 'PX', REQUEST_TTL_MS, 'NX');
  if (first !== 'OK') return;
  const data = escalationTickJob.payload.parse({});
  await deps.queues.queue(escalationTickJob.queue).add(escalationTickJob.name, data, {
    ...escalationTickJob.options,
    jobId: safeJobId('escalations-now', deps.clock.now().toMillis(), randomUUID()),
  });
}

/** A sweep is starting: anything committed from now on needs a new request (the sweep processor calls this first). */
export async function sweepStarting(deps: Pick<Deps, 'redis' | 'config'>): Promise<void> {
  await deps.redis.del(requestedKey(deps.config));
}
