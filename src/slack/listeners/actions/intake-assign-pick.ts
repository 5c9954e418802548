import type { BlockAction, UsersSelectAction } from '@slack/bolt';
import type { RegisterListener } from '../index.js';
import { ACTIONS } from '../../ids.js';
import { assignFromSlack } from '../../assign.flow.js';
import { guarded, staffOrRefuse, type Asker } from '../../slack.kit.js';

/** [Assign…] user picker on the intake card: the case id is in the block id (`intake:<uuid>`). */
export const registerIntakeAssignPick: RegisterListener = (app, deps) => {
  app.action<BlockAction<UsersSelectAction>>(ACTIONS.intakeAssignPick, async ({ ack, body, action, client, respond }) => {
    await ack();
    const a: Asker = { client, userId: body.user.id, channelId: body.channel?.id, respond };
    await guarded(deps, a, 'action:intake_assign_pick', async () => {
      const me = await staffOrRefuse(deps, a);
      if (!me) return;
      const caseId = /^intake:(.+)$/.exec(action.block_id)?.[1] ?? '';
      if (!action.selected_user) return;
      await assignFromSlack(deps, a, me, caseId, action.selected_user);
    });
  });
};
