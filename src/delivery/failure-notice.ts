import { eq } from 'drizzle-orm';
import { deliveries } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { scheduleAfterCommit, planDeliveries, type DeliveryRow } from './ledger.js';
import { loadCase, loadStaff, recipientId, staffUnreachable } from './recipients.js';

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

/** What a failure notice tells the worker: which message (its kind, to whom) of which case failed, and why. */
export interface FailureNotice {
  /** The worker's Slack user id. */
  to: string;
  /** The failed row's kind without its variant (`appointment_reminder`, not `appointment_reminder.24h`). */
  failedKind: string;
  toClient: boolean;
  reference: string | null;
  reason: string | null;
}

export async function failureNotice(deps: Deps, row: DeliveryRow): Promise<FailureNotice | { skip: string }> {
  const workerId = recipientId(row.recipient, 'staff');
  const worker = workerId ? await loadStaff(deps.db, workerId) : undefined;
  const unreachable = staffUnreachable(worker);
  if (unreachable) return { skip: unreachable };
  const [failed] = await deps.db.select().from(deliveries).where(eq(deliveries.id, row.subjectId)).limit(1);
  if (!failed) return { skip: 'subject_not_found' };
  const c = failed.caseId ? await loadCase(deps.db, failed.caseId) : undefined;
  return {
    to: worker!.slackUserId,
    failedKind: failed.kind.split('.')[0]!,
    toClient: failed.recipient.startsWith('client:'),
    reference: c?.reference ?? null,
    reason: failed.reason,
  };
}
