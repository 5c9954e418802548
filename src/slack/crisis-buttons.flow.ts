import type { App } from '@slack/bolt';
import type { Deps } from '../deps.js';
import { CRISIS_OUTCOMES } from '../escalations/crisis-followup.service.js';
import { cancelCheckin, recordCrisisOutcome } from '../escalations/escalation-actions.service.js';
import { crisisOutcomeModal } from './ui/escalation.blocks.js';
import { CRISIS_ACTIONS, CRISIS_VIEWS, FIELDS } from './ui/ids.js';
import { metaFrom, registerEscalationButton, registerReasonView, when } from './escalation-buttons.flow.js';
import { tell } from './slack.kit.js';

/**
 * After a crisis is acknowledged, the acknowledger's message shows what is now
 * due, with the buttons to do it: log the safety plan (the note modal, kind
 * "Safety plan"), cancel the client's check-in, record the outcome (the only
 * way a crisis ends).
 */
export function registerCrisisButtons(app: App, deps: Deps): void {
  registerEscalationButton(app, deps, CRISIS_ACTIONS.cancelCheckin, async ({ me, a, row }) => {
    const r = await cancelCheckin(deps, { escalationId: row.e.id, staffId: me.id });
    return tell(a, r.ok ? `The check-in message to the client for ${row.c.reference} is cancelled (recorded).` : r.message);
  });
  registerEscalationButton(app, deps, CRISIS_ACTIONS.outcome, async ({ a, row, msg, client, triggerId }) => {
    if (row.e.reason !== 'crisis') return tell(a, 'This button is for crises only.');
    if (row.e.resolvedAt) return tell(a, 'This crisis has already been resolved; nothing more to do.');
    await client.views.open({ trigger_id: triggerId, view: crisisOutcomeModal(row.c.reference, metaFrom(row.e.id, msg)) });
  });
  registerReasonView(app, deps, CRISIS_VIEWS.outcome, async ({ me, meta, reason, f }) => {
    const outcome = f.select(FIELDS.crisisOutcome);
    if (!outcome) return { ok: false, field: FIELDS.crisisOutcome, message: 'Choose what happened.' };
    const r = await recordCrisisOutcome(deps, { escalationId: meta.escalationId, staffId: me.id, outcome, note: reason });
    if (!r.ok)
      return {
        ok: false,
        field: r.error === 'invalid' ? (/Choose/.test(r.message) ? FIELDS.crisisOutcome : FIELDS.reason) : FIELDS.reason,
        message: r.message,
      };
    return {
      ok: true,
      line: `✅ Crisis resolved by <@${me.slackUserId}> at ${when(me, deps.clock.now().toJSDate())}: ${CRISIS_OUTCOMES[outcome as keyof typeof CRISIS_OUTCOMES]}.`,
    };
  });
}
