import { staffTime } from '../../appointments/appointment.format.js';
import { erasureRequestNotice } from '../../clients/erasure-request.notice.js';
import { ERASURE_REQUEST_KIND } from '../../clients/erasure-request.service.js';
import { deliveryKind } from '../../delivery/kinds/kind.js';
import { buttonMessage } from '../ui/blocks.js';
import { ACTIONS, BLOCKS } from '../ui/ids.js';

/**
 * The decision request in Slack: the case references only (no name, no
 * words of the client), who asked, when it must be decided by, and
 * [Erase now] [Hold — reason required]. A later round (escalation, hold
 * review) supersedes this one; a decided request renders nothing.
 */
export const erasureRequestKind = deliveryKind({
  kind: ERASURE_REQUEST_KIND,
  async render(deps, row) {
    const n = await erasureRequestNotice(deps, row);
    if ('skip' in n) return n;
    const r = n.request;
    const who = r.requestedBy === 'client' ? 'the client (/forget)' : "a staff member on the client's behalf";
    const lead =
      n.round === 'hold_review' ? '🔁 *Hold due for review.* ' : n.round === 'escalated' ? `⏫ *Escalated (level ${r.level}): nobody has decided yet.* ` : '';
    const text =
      `${lead}Erasure request for the client of ${n.references.join(', ') || '(no case)'}, from ${who} on ${staffTime(r.requestedAt, n.zone)}. ` +
      `Please decide by ${staffTime(r.dueAt, n.zone)}: erase everything personal now, or hold it (a safeguarding or legal reason is required; the hold is reviewed again later).`;
    return buttonMessage(n.to, text, BLOCKS.erasure, [
      { text: 'Erase now', actionId: ACTIONS.erasureEraseNow, value: r.id, style: 'danger' },
      { text: 'Hold — reason required', actionId: ACTIONS.erasureHold, value: r.id },
    ]);
  },
});
