import type { BlockButtonAction } from '@slack/bolt';
import type { RegisterListener } from '../index.js';
import { ACTIONS } from '../../ui/ids.js';
import { openView, showFullIntake } from '../../case-file.flow.js';
import { guarded, staffOrRefuse, type Asker } from '../../slack.kit.js';

/** [Full intake] on a case card: every intake answer in a modal, to those who may see the case. */
export const registerCaseFullIntake: RegisterListener = (app, deps) => {
  app.action<BlockButtonAction>(ACTIONS.fullIntake, async ({ ack, body, action, client, respond }) => {
    await ack();
    const a: Asker = { client, userId: body.user.id, channelId: body.channel?.id, respond: body.response_url ? respond : undefined };
    await guarded(deps, a, `action:${ACTIONS.fullIntake}`, async () => {
      const me = await staffOrRefuse(deps, a);
      if (!me) return;
      await showFullIntake(deps, a, me, { id: String(action.value ?? '') }, openView(client, body.trigger_id));
    });
  });
};
