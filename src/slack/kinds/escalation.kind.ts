import { deliveryKind } from '../../delivery/kinds/kind.js';
import { loadStaff, recipientId, staffUnreachable } from '../../delivery/recipients.js';
import { loadEscalation } from '../../escalations/escalation-context.js';
import { buttonMessage } from '../ui/blocks.js';
import { describeTrouble } from '../ui/escalation.text.js';
import { ACTIONS, BLOCKS } from '../ui/ids.js';

/**
 * Levels 1+ of the ladder: the supervisor's DM (level 1) or the supervision
 * channel (level 2), with [Acknowledge] [Snooze — reason required] [Reassign]
 * [Open case]. Repeats are new rows (version = notification number).
 */
export const escalationKind = deliveryKind({
  kind: 'escalation',
  async render(deps, row) {
    const x = await loadEscalation(deps, row);
    if ('skip' in x) return x;
    const channel = recipientId(row.recipient, 'channel');
    let to: string;
    let zone = deps.config.DEFAULT_TIMEZONE;
    if (channel) {
      to = channel;
    } else {
      const s = await loadStaff(deps.db, recipientId(row.recipient, 'staff') ?? '');
      const unreachable = staffUnreachable(s);
      if (unreachable) return { skip: unreachable };
      to = s!.slackUserId;
      zone = s!.timeZone;
    }
    const who = x.worker ? `Worker: <@${x.worker.slackUserId}>.` : 'No worker assigned.';
    const text = `Escalation (level ${x.e.level}): ${describeTrouble(deps, x, zone)} ${who}`;
    return buttonMessage(to, text, BLOCKS.escalation, [
      { text: 'Acknowledge', actionId: ACTIONS.escAck, value: x.e.id, style: 'primary' },
      { text: 'Snooze — reason required', actionId: ACTIONS.escSnooze, value: x.e.id },
      { text: 'Reassign', actionId: ACTIONS.reassign, value: x.c.id },
      { text: 'Open case', actionId: ACTIONS.openCase, value: x.c.id },
    ]);
  },
});
