import { and, asc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Deps } from '../deps.js';
import { deliveries } from '../db/schema.js';
import { deliverySendJob } from '../jobs/delivery-send.job.js';

/**
 * The due-row scan: every ledger row that is pending, due by deps.clock, and
 * not held by a live claim gets a send job that runs now:
 * - no job (Redis flushed, job lost) or a finished one (a worker died, or an
 *   attempt gave way to another's claim) → added again with delay 0;
 * - a delayed job that has not run yet (its real-time delay is longer than the
 *   clock's: a ManualClock in tests, the sandbox's clock jumps) → promoted;
 * - a delayed job backing off after a failed attempt, or waiting for the send
 *   slot it reserved in the rate budget → left alone (rows holding a slot are
 *   known from one sorted set, without looking their jobs up).
 * - an active job on a row whose claim lease ran out, or that has run for
 *   longer than a lease without claiming: its worker most likely died (BullMQ notices a stalled job only after its lock expires and
 *   the next stall check, up to a minute): a takeover job under another id runs
 *   now, so a crashed worker's rows are late by at most the lease plus one tick.
 * The sender re-checks everything in PostgreSQL, so a job too many is harmless.
 */
export interface TickResult {
  due: number;
  added: number;
  promoted: number;
}

/** Rows whose send job waits as a delayed job for a reserved send slot (id → slot time, ms): the scan skips them. */
const slottedKey = (config: Pick<Deps['config'], 'QUEUE_PREFIX'>) => `${config.QUEUE_PREFIX}:delivery:slotted`;

/** The send job of this row is delayed to its reserved slot (see the delivery-send processor). */
export async function markSlotHeld(deps: Pick<Deps, 'redis' | 'config'>, deliveryId: string, slotAt: number): Promise<void> {
  await deps.redis.zadd(slottedKey(deps.config), slotAt, deliveryId);
}

/**
 * The rows whose job holds a slot that is not more than a lease in the past; older entries are dropped.
 * One Redis call instead of two per row: in a burst most due rows are waiting for their slot.
 */
async function slotHolders(deps: Pick<Deps, 'redis' | 'config'>, leaseMs: number): Promise<Set<string>> {
  const key = slottedKey(deps.config);
  const since = Date.now() - leaseMs;
  const [, ids] = (await deps.redis.multi().zremrangebyscore(key, '-inf', `(${since}`).zrange(key, '0', '-1').exec()) ?? [];
  return new Set((ids?.[1] as string[] | undefined) ?? []);
}

export async function enqueueDueDeliveries(
  deps: Pick<Deps, 'db' | 'queues' | 'clock' | 'config' | 'redis'>,
  opts: { limit?: number } = {},
): Promise<TickResult> {
  const now = deps.clock.now();
  const leaseCutoff = now.minus({ seconds: deps.config.DELIVERY_CLAIM_LEASE_SECONDS }).toJSDate();
  const dueExpr = sql`coalesce(${deliveries.notBefore}, ${deliveries.dueAt})`;
  const rows = await deps.db
    .select({ id: deliveries.id, claimedAt: deliveries.claimedAt, attempts: deliveries.attempts })
    .from(deliveries)
    .where(and(eq(deliveries.status, 'pending'), sql`${dueExpr} <= ${now.toJSDate()}`, or(isNull(deliveries.claimedAt), lt(deliveries.claimedAt, leaseCutoff))))
    .orderBy(asc(dueExpr))
    .limit(opts.limit ?? 1000);
  const queue = deps.queues.queue(deliverySendJob.queue);
  const leaseMs = deps.config.DELIVERY_CLAIM_LEASE_SECONDS * 1000;
  const result: TickResult = { due: rows.length, added: 0, promoted: 0 };
  const holding = rows.length ? await slotHolders(deps, leaseMs) : new Set<string>();
  const toAdd: Array<{ payload: { deliveryId: string }; opts: { delay: number } }> = [];
  const takeovers: Array<{ id: string; jobId: string }> = [];
  for (const { id, claimedAt, attempts } of rows) {
    // Its job is delayed to a reserved send slot (and a live claim is not in these rows): it will run.
    if (holding.has(id) && !claimedAt) continue;
    const jobId = deliverySendJob.jobId({ deliveryId: id });
    const job = await queue.getJob(jobId);
    const state = job ? await job.getState() : 'unknown';
    if (job && state === 'delayed') {
      // Delayed for its due time (real-time delay vs deps.clock): promote. Delayed to a
      // reserved send slot (slotAt) or backing off after a failed attempt: leave it.
      if (job.attemptsMade === 0 && !(job.data as { slotAt?: number }).slotAt) {
        await job.promote().then(
          () => result.promoted++,
          () => undefined,
        );
      }
      continue;
    }
    if (job && (state === 'completed' || state === 'failed')) await job.remove().catch(() => undefined);
    else if (job && state === 'active' && (claimedAt || Date.now() - (job.processedOn ?? Date.now()) > leaseMs)) {
      // Claimed and the lease lapsed, or running for longer than a lease without claiming (a live attempt
      // claims within about a second): one takeover per stalled run, however many ticks see it.
      takeovers.push({ id, jobId: `${jobId}-t${attempts}-${job.processedOn ?? 0}` });
      continue;
    } else if (job && state !== 'unknown') continue; // waiting / active / prioritized: it will run
    toAdd.push({ payload: { deliveryId: id }, opts: { delay: 0 } });
  }
  await deps.queues.addBulk(deliverySendJob, toAdd);
  for (const t of takeovers) await deps.queues.add(deliverySendJob, { deliveryId: t.id }, { jobId: t.jobId, delay: 0 });
  result.added = toAdd.length + takeovers.length;
  return result;
}
