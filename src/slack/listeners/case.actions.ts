import type { StaticSelectAction, UsersSelectAction } from '@slack/bolt';
import { caseForActor, REFUSE } from '../access.js';
import { assignFromSlack } from '../assign.flow.js';
import { openView, showFullIntake, showHistory, updateView } from '../case-file.flow.js';
import { CASE_MODALS, caseModalButton } from '../case-modals.flow.js';
import { showCaseCard } from '../screens.js';
import { reassignBlocks } from '../ui/intake-card.blocks.js';
import { tell } from '../slack.kit.js';
import { type StaffActionHandler, buttonValue } from './types.js';
import { ACTIONS, ESC_ACTIONS } from '../ui/ids.js';

/**
 * The buttons of the case card, the caseload lists and the intake card, keyed
 * by action id. Each runs after the staff wrapper (ack, directory, failures
 * reported with a reference); case access is checked on the server and
 * audited by the screens, never trusted from the button's value.
 */
export const CASE_ACTIONS = {
  /** [Open case] in a caseload list: the case card, only to the asker. */
  [ACTIONS.show]: ({ deps, a, me, action }) => showCaseCard(deps, a, me, { id: buttonValue(action) }),

  /** [Open case] on an escalation or crisis page: the case card, only to the asker (access checked and audited by showCaseCard). */
  [ESC_ACTIONS.openCase]: ({ deps, a, me, action }) => showCaseCard(deps, a, me, { id: buttonValue(action) }),

  /** [Full intake] on a case card: every intake answer in a modal, to those who may see the case. */
  [ACTIONS.fullIntake]: ({ deps, a, me, action, client, body }) => showFullIntake(deps, a, me, { id: buttonValue(action) }, openView(client, body.trigger_id)),

  /** [History] on a case card opens the notes and messages, newest first. */
  [ACTIONS.history]: ({ deps, a, me, action, client, body }) => showHistory(deps, a, me, { id: buttonValue(action) }, 0, openView(client, body.trigger_id)),

  /** [← Newer] / [Older →] inside the history modal turn the page (value `caseId:page`), each page checked and audited again. */
  [ACTIONS.historyPage]: async ({ deps, a, me, action, client, body }) => {
    const [caseId = '', page = '0'] = buttonValue(action).split(':');
    const viewId = body.view?.id;
    const show = viewId ? updateView(client, viewId) : openView(client, body.trigger_id);
    await showHistory(deps, a, me, { id: caseId }, Number.parseInt(page, 10) || 0, show);
  },

  /** [Assign to me] on the intake card. */
  [ACTIONS.intakeAssignMe]: ({ deps, a, me, action, body }) => assignFromSlack(deps, a, me, buttonValue(action), me.slackUserId, body.trigger_id),

  /** [Assign…] on the intake card (the caseload picker, or Slack's user picker): the case id is in the block id (`intake:<uuid>`); over the limit, a modal asks why. */
  [ACTIONS.intakeAssignPick]: async ({ deps, a, me, action, body }) => {
    const pick = action as UsersSelectAction | StaticSelectAction;
    const caseId = /^intake:(.+)$/.exec(pick.block_id)?.[1] ?? '';
    const picked = 'selected_user' in pick ? pick.selected_user : pick.selected_option?.value;
    if (!picked) return;
    await assignFromSlack(deps, a, me, caseId, picked, body.trigger_id);
  },

  /**
   * [Reassign] on an escalation: a person picker, only to the asker. The pick is
   * the intake card's picker (block `intake:<caseId>`), so it goes through the
   * same listener and src/slack/assign.flow.ts (canAssign re-checked there).
   */
  [ESC_ACTIONS.reassign]: async ({ deps, a, me, action }) => {
    if (me.role === 'worker') return tell(a, REFUSE.role('supervisors and admins can reassign a case'));
    const access = await caseForActor(deps, me, { id: buttonValue(action) }, 'reassign');
    if (!access.ok) return tell(a, access.message);
    if (access.case.status !== 'open') return tell(a, REFUSE.closed);
    const text = `Reassign ${access.case.reference}: who should have it?`;
    await tell(a, text, reassignBlocks(access.case.id, text));
  },

  // The buttons that open a case modal (also the reminder/nudge [Log note] buttons): src/slack/case-modals.flow.ts.
  [ACTIONS.logNote]: caseModalButton(CASE_MODALS[ACTIONS.logNote]),
  [ACTIONS.schedule]: caseModalButton(CASE_MODALS[ACTIONS.schedule]),
  [ACTIONS.goals]: caseModalButton(CASE_MODALS[ACTIONS.goals]),
  [ACTIONS.phase]: caseModalButton(CASE_MODALS[ACTIONS.phase]),
  [ACTIONS.message]: caseModalButton(CASE_MODALS[ACTIONS.message]),
  [ACTIONS.close]: caseModalButton(CASE_MODALS[ACTIONS.close]),
} satisfies Record<string, StaffActionHandler>;
