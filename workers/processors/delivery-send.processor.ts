import { and, eq, sql } from 'drizzle-orm';
import { deliverySendJob } from '../../src/jobs/delivery-send.job.js';
import { deliveries } from '../../src/db/schema.js';
import { processor } from '../processor.js';

/**
 * Claim the ledger row, then send. The claim (pending → claimed by this attempt)
 * is the database half of "never twice"; the deterministic job id is the queue half.
 * Senders per channel are registered by the delivery feature; without one the row
 * is marked failed with that reason rather than retried forever.
 */
export const deliverySendProcessor = processor(deliverySendJob, async ({ deliveryId }, { deps }) => {
  const now = deps.clock.now().toJSDate();
  const [row] = await deps.db
    .update(deliveries)
    .set({ status: 'failed', reason: 'no_sender_configured', attempts: sql`${deliveries.attempts} + 1`, updatedAt: now })
    .where(and(eq(deliveries.id, deliveryId), eq(deliveries.status, 'pending')))
    .returning({ id: deliveries.id, caseId: deliveries.caseId, kind: deliveries.kind });
  if (!row) return { status: 'skipped', reason: 'not_pending' };
  await deps.audit.record({
    actor: { type: 'system' }, action: 'delivery.failed', caseId: row.caseId,
    subjectType: 'delivery', subjectId: row.id, details: { kind: row.kind, reason: 'no_sender_configured' },
  });
  return { status: 'skipped', reason: 'no_sender_configured' };
});
