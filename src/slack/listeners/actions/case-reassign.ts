import type { BlockButtonAction } from '@slack/bolt';
import type { RegisterListener } from '../index.js';
import { ESC_ACTIONS } from '../../ui/ids.js';
import { reassignBlocks } from '../../ui/intake-card.blocks.js';
import { caseForActor, REFUSE } from '../../access.js';
import { askerOf } from '../../escalation-buttons.flow.js';
import { guarded, staffOrRefuse, tell } from '../../slack.kit.js';

/**
 * [Reassign] on an escalation: a person picker, only to the asker. The pick is
 * the intake card's picker (block `intake:<caseId>`), so it goes through the
 * same listener and src/slack/assign.flow.ts (canAssign re-checked there).
 */
export const registerCaseReassign: RegisterListener = (app, deps) => {
  app.action<BlockButtonAction>(ESC_ACTIONS.reassign, async ({ ack, body, action, client, respond }) => {
    await ack();
    const a = askerOf(body, client, respond);
    await guarded(deps, a, 'action:case_reassign', async () => {
      const me = await staffOrRefuse(deps, a);
      if (!me) return;
      if (me.role === 'worker') return tell(a, REFUSE.role('supervisors and admins can reassign a case'));
      const access = await caseForActor(deps, me, { id: String(action.value ?? '') }, 'reassign');
      if (!access.ok) return tell(a, access.message);
      if (access.case.status !== 'open') return tell(a, REFUSE.closed);
      const text = `Reassign ${access.case.reference}: who should have it?`;
      await tell(a, text, reassignBlocks(access.case.id, text));
    });
  });
};
