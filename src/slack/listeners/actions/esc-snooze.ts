import type { RegisterListener } from '../index.js';
import { ESC_ACTIONS } from '../../ui/ids.js';
import { snoozeModal } from '../../ui/escalation.blocks.js';
import { metaFrom, registerEscalationButton } from '../../escalation-buttons.flow.js';
import { REFUSE } from '../../access.js';
import { tell } from '../../slack.kit.js';

export const SNOOZE_CHOICES: Array<[string, string]> = [
  ['P1D', '1 day'],
  ['P3D', '3 days'],
  ['P7D', '1 week'],
];

/** [Snooze — reason required] on an escalation: a modal asks how long and why (the reason is required). */
export const registerEscSnooze: RegisterListener = (app, deps) =>
  registerEscalationButton(app, deps, ESC_ACTIONS.snooze, async ({ a, row, msg, client, triggerId }) => {
    if (row.e.resolvedAt) return tell(a, 'This has already been resolved; nothing more to do.');
    if (row.e.reason === 'crisis') return tell(a, 'A crisis cannot be snoozed: please acknowledge it, or hand it to someone who can act now.');
    if (row.c.status !== 'open') return tell(a, REFUSE.closed);
    await client.views.open({ trigger_id: triggerId, view: snoozeModal(row.c.reference, metaFrom(row.e.id, msg), SNOOZE_CHOICES) });
  });
