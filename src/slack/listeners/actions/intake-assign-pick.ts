import type { BlockAction, StaticSelectAction, UsersSelectAction } from '@slack/bolt';
import type { RegisterListener } from '../index.js';
import { ACTIONS } from '../../ui/ids.js';
import { assignFromSlack } from '../../assign.flow.js';
import { guarded, staffOrRefuse, type Asker } from '../../slack.kit.js';

/** [Assign…] on the intake card (the caseload picker, or Slack's user picker): the case id is in the block id (`intake:<uuid>`); over the limit, a modal asks why. */
export const registerIntakeAssignPick: RegisterListener = (app, deps) => {
  app.action<BlockAction<UsersSelectAction | StaticSelectAction>>(ACTIONS.intakeAssignPick, async ({ ack, body, action, client, respond }) => {
    await ack();
    const a: Asker = { client, userId: body.user.id, channelId: body.channel?.id, respond };
    await guarded(deps, a, 'action:intake_assign_pick', async () => {
      const me = await staffOrRefuse(deps, a);
      if (!me) return;
      const caseId = /^intake:(.+)$/.exec(action.block_id)?.[1] ?? '';
      const picked = 'selected_user' in action ? action.selected_user : action.selected_option?.value;
      if (!picked) return;
      await assignFromSlack(deps, a, me, caseId, picked, body.trigger_id);
    });
  });
};
