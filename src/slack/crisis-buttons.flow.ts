import type { App } from '@slack/bolt';
import type { Deps } from '../deps.js';
import { CRISIS_OUTCOMES } from '../escalations/crisis-followup.service.js';
import { cancelCheckin, recordCrisisOutcome, type ActionResult } from '../escalations/escalation-actions.service.js';
import { ESC_ACTIONS } from './ui/ids.js';
import type { StaffRow } from '../staff/staff.repo.js';
import { actions, button, context, selectInput, type Block } from './ui/blocks.js';
import { metaFrom, reasonModal, registerEscalationButton, registerReasonView, when } from './escalation-buttons.flow.js';
import { tell } from './slack.kit.js';

/**
 * After a crisis is acknowledged, the acknowledger's message shows what is now
 * due, with the buttons to do it: log the safety plan (the note modal, kind
 * "Safety plan"), cancel the client's check-in, record the outcome (the only
 * way a crisis ends).
 */
export const CRISIS_ACTIONS = { cancelCheckin: 'crisis_checkin_cancel', outcome: 'crisis_outcome' } as const;
export const CRISIS_VIEWS = { outcome: 'crisis_outcome_modal' } as const;

export function crisisFollowUpBlocks(me: StaffRow, r: Extract<ActionResult, { ok: true }>, escalationId: string, caseId: string): Block[] {
  const f = r.crisis;
  if (!f) return [];
  const lines = [
    `*Next:* a safety plan note is due by ${when(me, f.safetyPlanDueAt.toJSDate())}; without one the crisis pages again.`,
    f.checkinAt ? `A check-in message goes to the client at ${when(me, f.checkinAt.toJSDate())} unless you cancel it.` : '',
    f.accessGranted ? 'You can open this case until the crisis is resolved.' : '',
    'The crisis stays open until someone records its outcome.',
  ].filter(Boolean);
  return [
    context(lines.join('\n')),
    actions('crisis_follow_up', [
      button({ text: 'Record safety plan', actionId: ESC_ACTIONS.logNote, value: caseId, style: 'primary' }),
      button({ text: 'Record outcome', actionId: CRISIS_ACTIONS.outcome, value: escalationId }),
      ...(f.checkinAt ? [button({ text: 'Cancel check-in', actionId: CRISIS_ACTIONS.cancelCheckin, value: escalationId })] : []),
      button({ text: 'Open case', actionId: ESC_ACTIONS.openCase, value: caseId }),
    ]),
  ];
}

export function registerCrisisButtons(app: App, deps: Deps): void {
  registerEscalationButton(app, deps, CRISIS_ACTIONS.cancelCheckin, async ({ me, a, row }) => {
    const r = await cancelCheckin(deps, { escalationId: row.e.id, staffId: me.id });
    return tell(a, r.ok ? `The check-in message to the client for ${row.c.reference} is cancelled (recorded).` : r.message);
  });
  registerEscalationButton(app, deps, CRISIS_ACTIONS.outcome, async ({ a, row, msg, client, triggerId }) => {
    if (row.e.reason !== 'crisis') return tell(a, 'This button is for crises only.');
    if (row.e.resolvedAt) return tell(a, 'This crisis has already been resolved; nothing more to do.');
    await client.views.open({
      trigger_id: triggerId,
      view: reasonModal(
        CRISIS_VIEWS.outcome,
        `Crisis ${row.c.reference}`,
        'Resolve',
        metaFrom(row.e.id, msg),
        `Record how the crisis on *${row.c.reference}* ended. This resolves it and ends any temporary access it gave. Details belong in a case note too.`,
        [selectInput('outcome', 'Outcome', Object.entries(CRISIS_OUTCOMES))],
      ) as never,
    });
  });
  registerReasonView(app, deps, CRISIS_VIEWS.outcome, async ({ me, meta, reason, f }) => {
    const outcome = f.select('outcome');
    if (!outcome) return { ok: false, field: 'outcome', message: 'Choose what happened.' };
    const r = await recordCrisisOutcome(deps, { escalationId: meta.escalationId, staffId: me.id, outcome, note: reason });
    if (!r.ok) return { ok: false, field: r.error === 'invalid' ? (/Choose/.test(r.message) ? 'outcome' : 'reason') : 'reason', message: r.message };
    return {
      ok: true,
      line: `✅ Crisis resolved by <@${me.slackUserId}> at ${when(me, deps.clock.now().toJSDate())}: ${CRISIS_OUTCOMES[outcome as keyof typeof CRISIS_OUTCOMES]}.`,
    };
  });
}
