import type { BlockButtonAction } from '@slack/bolt';
import type { RegisterListener } from '../index.js';
import { endHandover } from '../../../handover/handover.service.js';
import { HANDOVER_UNDO_ACTION } from '../../blocks/handover.blocks.js';
import { askerOf } from '../../escalation-buttons.flow.js';
import { endedText } from '../../handover.screen.js';
import { guarded, staffOrRefuse, tell } from '../../slack.kit.js';
import { isUuid } from '../../../lib/uuid.js';

/** [Undo handover]: the cases still held by the covering worker go back at once (permission checked by the service). */
export const registerHandoverUndo: RegisterListener = (app, deps) => {
  app.action<BlockButtonAction>(HANDOVER_UNDO_ACTION, async ({ ack, body, action, client, respond }) => {
    await ack();
    const a = askerOf(body, client, respond);
    await guarded(deps, a, `action:${HANDOVER_UNDO_ACTION}`, async () => {
      const me = await staffOrRefuse(deps, a);
      if (!me) return;
      const id = String(action.value ?? '');
      if (!isUuid(id)) return tell(a, 'This button is out of date.');
      await tell(a, endedText(await endHandover(deps, id, { mode: 'undo', actor: me })));
    });
  });
};
