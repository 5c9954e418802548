import { caseCreatedJob } from '../../src/jobs/case-created.job.js';
import { loadCase } from '../../src/delivery/recipients.js';
import { planDeliveries, scheduleDeliveries } from '../../src/delivery/ledger.js';
import { inTransaction } from '../../src/db/client.js';
import { processor } from '../processor.js';

/**
 * Hand-off of a new case to the staff side: plan the intake card for the
 * Slack intake channel (the sender posts it). Planning is idempotent (one
 * ledger row per case and channel), so a re-run job changes nothing. Without
 * SLACK_INTAKE_CHANNEL the job completes as a no-op with its reason, recorded.
 */
export const INTAKE_CARD_KIND = 'intake_card';

export const caseCreatedProcessor = processor(caseCreatedJob, async ({ caseId }, { deps }) => {
  const channel = deps.config.SLACK_INTAKE_CHANNEL;
  if (!channel) {
    await deps.audit.record({ actor: { type: 'system' }, action: 'case.handoff_skipped', caseId, details: { reason: 'no_intake_channel' } });
    return { status: 'skipped', reason: 'no_intake_channel' };
  }
  const c = await loadCase(deps.db, caseId);
  if (!c) return { status: 'skipped', reason: 'case_not_found' };
  const now = deps.clock.now();
  const rows = await inTransaction(deps.db, async (tx) => {
    const planned = await planDeliveries(
      tx,
      [{ kind: INTAKE_CARD_KIND, subjectId: c.id, recipient: `channel:${channel}`, channel: 'slack', caseId: c.id, dueAt: now }],
      now,
    );
    await deps.audit.record(
      { actor: { type: 'system' }, action: 'case.intake_card_planned', caseId: c.id, subjectType: 'delivery', subjectId: planned[0]!.id },
      tx,
    );
    return planned;
  });
  await scheduleDeliveries(deps.queues, rows, now);
  return { status: 'done', deliveryId: rows[0]!.id };
});
