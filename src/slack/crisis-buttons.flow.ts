import type { ActionResult } from '../escalations/escalation-actions.service.js';
import { ESC_ACTIONS } from '../escalations/escalation.render.js';
import type { StaffRow } from '../staff/staff.repo.js';
import { actions, button, context, type Block } from './blocks/common.js';
import { when } from './escalation-buttons.flow.js';

/**
 * After a crisis is acknowledged, the acknowledger's message shows what is now
 * due, with the buttons to do it: log the safety plan (the note modal, kind
 * "Safety plan"), cancel the client's check-in, record the outcome (the only
 * way a crisis ends). Their listeners are in listeners/escalation.actions.ts
 * and listeners/escalation.views.ts.
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
