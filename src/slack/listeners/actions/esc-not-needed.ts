import type { RegisterListener } from '../index.js';
import { ESC_ACTIONS } from '../../ui/ids.js';
import { notNeededModal } from '../../ui/escalation.blocks.js';
import { metaFrom, registerEscalationButton } from '../../escalation-buttons.flow.js';
import { tell } from '../../slack.kit.js';

/** [No follow-up needed — reason] on a follow-up nudge: a modal asks why (required). */
export const registerEscNotNeeded: RegisterListener = (app, deps) =>
  registerEscalationButton(app, deps, ESC_ACTIONS.notNeeded, async ({ a, row, msg, client, triggerId }) => {
    if (row.e.resolvedAt) return tell(a, 'This has already been resolved; nothing more to do.');
    if (row.e.reason === 'crisis') return tell(a, 'A crisis cannot be closed this way: please acknowledge it.');
    await client.views.open({ trigger_id: triggerId, view: notNeededModal(row.c.reference, metaFrom(row.e.id, msg)) });
  });
