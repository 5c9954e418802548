import type { Deps } from '../deps.js';
import { scheduleAfterCommit, planDeliveries, type DeliveryRow } from './ledger.js';
import { loadCase, recipientId } from './recipients.js';

export const FAILURE_NOTICE_KIND = 'delivery_failed_notice';
const NOT_MESSAGES = new Set(['case_card_update', 'app_home']);

/**
 * A message that could not be delivered for good is shown to the worker who
 * owns the case, so a client who blocked the bot is not silently left without
 * reminders. One notice per failed row (the row id is the subject).
 */
export async function planFailureNotice(deps: Deps, failed: DeliveryRow, reason: string): Promise<void> {
  if (failed.kind === FAILURE_NOTICE_KIND || !failed.caseId) return;
  // An edit of a card or an App Home view that could not be made is not a message anyone missed (the row says why).
  if (NOT_MESSAGES.has(failed.kind)) return;
  const c = await loadCase(deps.db, failed.caseId);
  const workerId = c?.assignedWorkerId;
  if (!workerId || recipientId(failed.recipient, 'staff') === workerId) {
    // Nobody else to tell: the audit entry 'delivery.failed' is the record.
    deps.logger.warn({ deliveryId: failed.id, reason }, 'delivery failed and no worker can be told');
    return;
  }
  const now = deps.clock.now();
  const rows = await planDeliveries(
    deps.db,
    [
      {
        kind: FAILURE_NOTICE_KIND,
        subjectId: failed.id,
        recipient: `staff:${workerId}`,
        channel: 'slack',
        caseId: failed.caseId,
        dueAt: now,
      },
    ],
    now,
  );
  await scheduleAfterCommit(deps, rows);
}
