import type { BlockButtonAction } from '@slack/bolt';
import type { RegisterListener } from '../index.js';
import { ACTIONS } from '../../ui/ids.js';
import { showCaseCard } from '../../screens.js';
import { guarded, staffOrRefuse, type Asker } from '../../slack.kit.js';

/** [Open case] in a caseload list: the case card, only to the asker. */
export const registerCaseShow: RegisterListener = (app, deps) => {
  app.action<BlockButtonAction>(ACTIONS.show, async ({ ack, body, action, client, respond }) => {
    await ack();
    const a: Asker = { client, userId: body.user.id, channelId: body.channel?.id, respond: body.response_url ? respond : undefined };
    await guarded(deps, a, 'action:case_show', async () => {
      const me = await staffOrRefuse(deps, a);
      if (!me) return;
      await showCaseCard(deps, a, me, { id: String(action.value ?? '') });
    });
  });
};
