import { eq } from 'drizzle-orm';
import { cases, staff } from '../db/schema.js';
import { deliveryKind } from '../delivery/kinds/kind.js';

/**
 * Tells the assigned worker (Slack DM) that the client withdrew. Only the case
 * reference: no name, no personal text, so a notification preview reveals nothing.
 * Unassigned cases go to the intake channel.
 */
export const WITHDRAWAL_NOTICE_KIND = 'withdrawal_notice';

export const withdrawalNoticeKind = deliveryKind({
  kind: WITHDRAWAL_NOTICE_KIND,
  async render(deps, row) {
    const [c] = await deps.db.select({ reference: cases.reference, status: cases.status }).from(cases).where(eq(cases.id, row.subjectId)).limit(1);
    if (!c) return { skip: 'case_not_found' };
    if (c.status !== 'withdrawn') return { skip: 'case_not_withdrawn' };
    const text = `Case ${c.reference} was withdrawn by the client`;
    if (row.recipient.startsWith('staff:')) {
      const [s] = await deps.db
        .select({ slackUserId: staff.slackUserId, active: staff.active })
        .from(staff)
        .where(eq(staff.id, row.recipient.slice('staff:'.length)))
        .limit(1);
      if (!s) return { skip: 'worker_not_found' };
      return { channel: 'slack', to: s.slackUserId, text };
    }
    const channel = deps.config.SLACK_INTAKE_CHANNEL;
    if (!channel) return { skip: 'no_intake_channel' };
    return { channel: 'slack', to: channel, text };
  },
});
