import { eq } from 'drizzle-orm';
import { deliveries } from '../db/schema.js';
import { deliveryKind } from './kinds/kind.js';
import { loadCase, loadStaff, recipientId, staffUnreachable } from './recipients.js';
import { FAILURE_NOTICE_KIND } from './failure-notice.js';

/** What each failure means for the worker, in words they can act on. */
const REASONS: Record<string, string> = {
  client_blocked_bot: 'the client has blocked the bot',
  telegram_user_deactivated: "the client's Telegram account was deleted",
  telegram_chat_not_found: "the client's Telegram chat no longer exists",
  slack_channel_not_found: 'the Slack channel was not found',
  slack_is_archived: 'the Slack channel is archived',
  slack_not_in_channel: 'the app is not a member of the Slack channel',
};

const WHAT: Record<string, string> = {
  appointment_reminder: 'Reminder',
  appointment_response: 'Notice',
  outcome_question: 'Outcome question',
  follow_up_nudge: 'Follow-up nudge',
  escalation: 'Escalation',
  crisis_page: 'Crisis page',
  weekly_digest: 'Weekly digest',
  weekly_digest_charts: 'Weekly digest charts',
};

export function describeFailure(reason: string | null): string {
  if (!reason) return 'unknown reason';
  if (REASONS[reason]) return REASONS[reason]!;
  if (reason.startsWith('retries_exhausted')) return 'the platform kept failing; we stopped retrying';
  return reason.replace(/_/g, ' ');
}

export const deliveryFailedNoticeKind = deliveryKind({
  kind: FAILURE_NOTICE_KIND,
  async render(deps, row) {
    const workerId = recipientId(row.recipient, 'staff');
    const worker = workerId ? await loadStaff(deps.db, workerId) : undefined;
    const unreachable = staffUnreachable(worker);
    if (unreachable) return { skip: unreachable };
    const [failed] = await deps.db.select().from(deliveries).where(eq(deliveries.id, row.subjectId)).limit(1);
    if (!failed) return { skip: 'subject_not_found' };
    const c = failed.caseId ? await loadCase(deps.db, failed.caseId) : undefined;
    const who = failed.recipient.startsWith('client:') ? 'to the client' : 'to staff';
    const what = WHAT[failed.kind.split('.')[0]!] ?? 'Message';
    const text =
      `${what} ${who} of ${c?.reference ?? 'a case'} could not be delivered: ${describeFailure(failed.reason)}.` +
      (failed.reason === 'client_blocked_bot'
        ? ' Please reach the client another way; reminders will not reach them on Telegram until they message the bot again.'
        : '');
    return { channel: 'slack', to: worker!.slackUserId, text };
  },
});
