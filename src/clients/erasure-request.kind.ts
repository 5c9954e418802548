import { eq } from 'drizzle-orm';
import { cases, erasureRequests } from '../db/schema.js';
import { deliveryKind } from '../delivery/kinds/kind.js';
import { buttons, section } from '../delivery/slack-blocks.js';
import { loadStaff, recipientId, staffUnreachable } from '../delivery/recipients.js';
import { staffTime } from '../appointments/appointment.format.js';
import { ERASURE_REQUEST_KIND } from './erasure-request.service.js';

/** Action ids of the two decisions (the Slack listeners register them). */
export const ERASURE_ACTIONS = { eraseNow: 'erasure_erase_now', hold: 'erasure_hold' } as const;

/**
 * The decision request in Slack: the case references only (no name, no
 * words of the client), who asked, when it must be decided by, and
 * [Erase now] [Hold — reason required]. A later round (escalation, hold
 * review) supersedes this one; a decided request renders nothing.
 */
export const erasureRequestKind = deliveryKind({
  kind: ERASURE_REQUEST_KIND,
  async render(deps, row) {
    const [r] = await deps.db.select().from(erasureRequests).where(eq(erasureRequests.id, row.subjectId)).limit(1);
    if (!r) return { skip: 'erasure_request_not_found' };
    if (r.status !== 'pending') return { skip: 'decided' };
    if (r.noticeVersion !== row.version) return { skip: 'superseded' };
    let to: string;
    let zone = deps.config.DEFAULT_TIMEZONE;
    const channel = recipientId(row.recipient, 'channel');
    if (channel) to = channel;
    else {
      const s = await loadStaff(deps.db, recipientId(row.recipient, 'staff') ?? '');
      const why = staffUnreachable(s);
      if (why) return { skip: why };
      to = s!.slackUserId;
      zone = s!.timeZone;
    }
    const refs = (await deps.db.select({ reference: cases.reference }).from(cases).where(eq(cases.clientId, r.clientId)).orderBy(cases.openedAt)).map(
      (c) => c.reference,
    );
    const who = r.requestedBy === 'client' ? 'the client (/forget)' : "a staff member on the client's behalf";
    const lead =
      r.level === 0 && r.noticeVersion > 1 && r.decidedAt
        ? '🔁 *Hold due for review.* '
        : r.level > 0
          ? `⏫ *Escalated (level ${r.level}): nobody has decided yet.* `
          : '';
    const text =
      `${lead}Erasure request for the client of ${refs.join(', ') || '(no case)'}, from ${who} on ${staffTime(r.requestedAt, zone)}. ` +
      `Please decide by ${staffTime(r.dueAt, zone)}: erase everything personal now, or hold it (a safeguarding or legal reason is required; the hold is reviewed again later).`;
    return {
      channel: 'slack',
      to,
      text,
      blocks: [
        section(text),
        buttons('erasure', [
          { text: 'Erase now', actionId: ERASURE_ACTIONS.eraseNow, value: r.id, style: 'danger' },
          { text: 'Hold — reason required', actionId: ERASURE_ACTIONS.hold, value: r.id },
        ]),
      ],
    };
  },
});
