import type { RegisterListener } from '../index.js';
import { ESC_ACTIONS } from '../../ui/ids.js';
import { snoozeEscalation } from '../../../escalations/escalation-actions.service.js';
import { markActed, registerEscalationButton, when } from '../../escalation-buttons.flow.js';
import { tell } from '../../slack.kit.js';

/** The button itself is the reason: the worker's own follow-up nudge comes back in a day. */
const REASON = 'Snoozed for 1 day from the follow-up reminder';

/** [Snooze 1 day] on a worker's follow-up nudge. */
export const registerEscSnoozeDay: RegisterListener = (app, deps) =>
  registerEscalationButton(app, deps, ESC_ACTIONS.snoozeDay, async ({ me, a, row, msg, client, own }) => {
    const until = deps.clock.now().plus({ days: 1 });
    const r = await snoozeEscalation(deps, { escalationId: row.e.id, staffId: me.id, until, reason: REASON, once: true });
    if (!r.ok) return tell(a, r.message);
    if (r.status === 'already') return tell(a, `This is already snoozed until ${when(me, r.until!.toJSDate())}; nothing changed.`);
    await markActed(deps, client, msg, `💤 Snoozed for 1 day by <@${me.slackUserId}>: I'll remind you again after ${when(me, until.toJSDate())}.`, [], own);
  });
