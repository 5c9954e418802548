import { eq } from 'drizzle-orm';
import { cases, staff } from '../db/schema.js';
import type { Deps } from '../deps.js';
import type { DeliveryRow } from '../delivery/ledger.js';

/**
 * Tells the assigned worker (Slack DM) that the client withdrew. Only the case
 * reference: no name, no personal text, so a notification preview reveals nothing.
 * Unassigned cases go to the intake channel.
 */
export const WITHDRAWAL_NOTICE_KIND = 'withdrawal_notice';

/** To whom (the worker's Slack user id, or the intake channel) and about which case, or why nothing is sent. */
export async function withdrawalNotice(deps: Deps, row: DeliveryRow): Promise<{ to: string; reference: string } | { skip: string }> {
  const [c] = await deps.db.select({ reference: cases.reference, status: cases.status }).from(cases).where(eq(cases.id, row.subjectId)).limit(1);
  if (!c) return { skip: 'case_not_found' };
  if (c.status !== 'withdrawn') return { skip: 'case_not_withdrawn' };
  if (row.recipient.startsWith('staff:')) {
    const [s] = await deps.db
      .select({ slackUserId: staff.slackUserId, active: staff.active })
      .from(staff)
      .where(eq(staff.id, row.recipient.slice('staff:'.length)))
      .limit(1);
    if (!s) return { skip: 'worker_not_found' };
    return { to: s.slackUserId, reference: c.reference };
  }
  const channel = deps.config.SLACK_INTAKE_CHANNEL;
  if (!channel) return { skip: 'no_intake_channel' };
  return { to: channel, reference: c.reference };
}
