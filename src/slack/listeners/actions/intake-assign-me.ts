import type { BlockButtonAction } from '@slack/bolt';
import type { RegisterListener } from '../index.js';
import { ACTIONS } from '../../ui/ids.js';
import { assignFromSlack } from '../../assign.flow.js';
import { guarded, staffOrRefuse, type Asker } from '../../slack.kit.js';

/** [Assign to me] on the intake card. */
export const registerIntakeAssignMe: RegisterListener = (app, deps) => {
  app.action<BlockButtonAction>(ACTIONS.intakeAssignMe, async ({ ack, body, action, client, respond }) => {
    await ack();
    const a: Asker = { client, userId: body.user.id, channelId: body.channel?.id, respond };
    await guarded(deps, a, 'action:intake_assign_me', async () => {
      const me = await staffOrRefuse(deps, a);
      if (!me) return;
      await assignFromSlack(deps, a, me, String(action.value ?? ''), me.slackUserId, body.trigger_id);
    });
  });
};
