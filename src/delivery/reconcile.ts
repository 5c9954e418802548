import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { deliveries } from '../db/schema.js';
import type { Clock } from '../lib/clock.js';
import type { JobQueues } from '../jobs/queues.js';
import { deliverySendJob } from '../jobs/delivery-send.job.js';
import { jobHorizonMs, type HorizonConfig } from './horizon.js';

/**
 * Redis holds schedules; PostgreSQL holds the truth. For every ledger row still
 * pending and due within the job horizon (horizon.ts: booking adds jobs only
 * for rows due that soon, so this is also where a reminder planned weeks ahead
 * gets its job, once it comes within the horizon), make sure a send job
 * exists (waiting, delayed or running). A job that
 * is missing (Redis flushed or lost) or already finished while its row is still
 * pending (a worker died between claim and update) is added again. The sender's
 * database claim makes a duplicate job harmless.
 */
export interface ReconcileResult {
  pending: number;
  present: number;
  enqueued: number;
}

const LIVE_STATES = new Set(['waiting', 'delayed', 'active', 'prioritized', 'waiting-children']);

export async function reconcileDeliveries(
  deps: { db: Db; queues: JobQueues; clock: Clock; config: HorizonConfig },
  opts: { batchSize?: number } = {},
): Promise<ReconcileResult> {
  const batchSize = opts.batchSize ?? 500;
  const until = new Date(deps.clock.now().toMillis() + jobHorizonMs(deps.config));
  const queue = deps.queues.queue(deliverySendJob.queue);
  const result: ReconcileResult = { pending: 0, present: 0, enqueued: 0 };
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await deps.db
      .select({ id: deliveries.id, dueAt: deliveries.dueAt, notBefore: deliveries.notBefore })
      .from(deliveries)
      .where(and(eq(deliveries.status, 'pending'), gt(deliveries.id, after), sql`coalesce(${deliveries.notBefore}, ${deliveries.dueAt}) <= ${until}`))
      .orderBy(asc(deliveries.id))
      .limit(batchSize);
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.id;
    result.pending += rows.length;
    const now = deps.clock.now().toMillis();
    const toAdd: Array<{ payload: { deliveryId: string }; opts: { delay: number } }> = [];
    for (const row of rows) {
      const jobId = deliverySendJob.jobId({ deliveryId: row.id });
      const state = await queue.getJobState(jobId);
      if (LIVE_STATES.has(state)) {
        result.present++;
        continue;
      }
      if (state === 'completed' || state === 'failed') {
        // Re-adding a stored id is silently ignored by BullMQ: remove the finished one first.
        await queue.remove(jobId).catch(() => 0);
      }
      const at = (row.notBefore ?? row.dueAt).getTime();
      toAdd.push({ payload: { deliveryId: row.id }, opts: { delay: Math.max(0, at - now) } });
    }
    await deps.queues.addBulk(deliverySendJob, toAdd);
    result.enqueued += toAdd.length;
  }
  return result;
}
