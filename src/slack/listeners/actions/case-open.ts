import type { BlockButtonAction } from '@slack/bolt';
import type { RegisterListener } from '../index.js';
import { ESC_ACTIONS } from '../../ui/ids.js';
import { showCaseCard } from '../../screens.js';
import { askerOf } from '../../escalation-buttons.flow.js';
import { guarded, staffOrRefuse } from '../../slack.kit.js';

/** [Open case] on an escalation or crisis page: the case card, only to the asker (access checked and audited by showCaseCard). */
export const registerCaseOpen: RegisterListener = (app, deps) => {
  app.action<BlockButtonAction>(ESC_ACTIONS.openCase, async ({ ack, body, action, client, respond }) => {
    await ack();
    const a = askerOf(body, client, respond);
    await guarded(deps, a, 'action:case_open', async () => {
      const me = await staffOrRefuse(deps, a);
      if (!me) return;
      await showCaseCard(deps, a, me, { id: String(action.value ?? '') });
    });
  });
};
