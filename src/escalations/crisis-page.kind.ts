import { deliveryKind } from '../delivery/kinds/kind.js';
import { loadStaff, recipientId, staffUnreachable } from '../delivery/recipients.js';
import { buttons, section } from '../delivery/slack-blocks.js';
import { describeTrouble, ESC_ACTIONS, loadEscalation } from './escalation.render.js';

/**
 * A crisis pages the on-call supervisors at once and again every
 * ONCALL_REPEAT_MINUTES (default 15), at any hour, until someone acknowledges.
 */
export const crisisPageKind = deliveryKind({
  kind: 'crisis_page',
  async render(deps, row) {
    const x = await loadEscalation(deps, row);
    if ('skip' in x) return x;
    const s = await loadStaff(deps.db, recipientId(row.recipient, 'staff') ?? '');
    const unreachable = staffUnreachable(s);
    if (unreachable) return { skip: unreachable };
    const repeat = x.e.notifications > 1 ? ` (page ${x.e.notifications}: nobody has acknowledged yet)` : '';
    const who = x.worker ? ` Worker: <@${x.worker.slackUserId}>.` : ' No worker assigned yet.';
    const text = `:rotating_light: ${describeTrouble(deps, x, s!.timeZone)}${repeat}${who}`;
    return {
      channel: 'slack',
      to: s!.slackUserId,
      text,
      blocks: [
        section(text),
        buttons('crisis_page', [
          { text: 'Acknowledge — I am on it', actionId: ESC_ACTIONS.ack, value: x.e.id, style: 'danger' },
          { text: 'Open case', actionId: ESC_ACTIONS.openCase, value: x.c.id },
        ]),
      ],
    };
  },
});
