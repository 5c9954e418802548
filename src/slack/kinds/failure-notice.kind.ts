import { deliveryKind } from '../../delivery/kinds/kind.js';
import { FAILURE_NOTICE_KIND, failureNotice } from '../../delivery/failure-notice.js';

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

/** A message that could not be delivered for good, told to the worker who owns the case (planned by src/delivery/failure-notice.ts). */
export const deliveryFailedNoticeKind = deliveryKind({
  kind: FAILURE_NOTICE_KIND,
  async render(deps, row) {
    const n = await failureNotice(deps, row);
    if ('skip' in n) return n;
    const who = n.toClient ? 'to the client' : 'to staff';
    const what = WHAT[n.failedKind] ?? 'Message';
    const text =
      `${what} ${who} of ${n.reference ?? 'a case'} could not be delivered: ${describeFailure(n.reason)}.` +
      (n.reason === 'client_blocked_bot'
        ? ' Please reach the client another way; reminders will not reach them on Telegram until they message the bot again.'
        : '');
    return { channel: 'slack', to: n.to, text };
  },
});
