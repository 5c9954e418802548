import { deliveryKind } from '../../delivery/kinds/kind.js';
import { loadStaff, recipientId, staffUnreachable } from '../../delivery/recipients.js';
import { loadEscalation } from '../../escalations/escalation-context.js';
import { buttonMessage } from '../ui/blocks.js';
import { describeTrouble } from '../ui/escalation.text.js';
import { ACTIONS, BLOCKS } from '../ui/ids.js';

/**
 * Level 0 of the ladder: the worker's own nudge (sent during their working
 * hours — the policy only makes the step due inside them), with
 * [Log note] [Snooze 1 day] [No follow-up needed — reason].
 */
export const followUpNudgeKind = deliveryKind({
  kind: 'follow_up_nudge',
  async render(deps, row) {
    const x = await loadEscalation(deps, row);
    if ('skip' in x) return x;
    const to = await loadStaff(deps.db, recipientId(row.recipient, 'staff') ?? '');
    const unreachable = staffUnreachable(to);
    if (unreachable) return { skip: unreachable };
    const text = describeTrouble(deps, x, to!.timeZone);
    return buttonMessage(to!.slackUserId, text, BLOCKS.followUpNudge, [
      { text: 'Log note', actionId: ACTIONS.logNote, value: x.c.id, style: 'primary' },
      { text: 'Snooze 1 day', actionId: ACTIONS.escSnoozeDay, value: x.e.id },
      { text: 'No follow-up needed — reason', actionId: ACTIONS.escNotNeeded, value: x.e.id },
    ]);
  },
});
