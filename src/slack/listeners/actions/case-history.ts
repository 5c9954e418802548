import type { BlockButtonAction } from '@slack/bolt';
import type { RegisterListener } from '../index.js';
import { ACTIONS } from '../../ui/ids.js';
import { openView, showHistory, updateView } from '../../case-file.flow.js';
import { guarded, staffOrRefuse, type Asker } from '../../slack.kit.js';

/**
 * [History] on a case card opens the notes and messages, newest first;
 * [← Newer] / [Older →] inside that modal turn the page (value `caseId:page`),
 * each page checked and audited again.
 */
export const registerCaseHistory: RegisterListener = (app, deps) => {
  app.action<BlockButtonAction>(ACTIONS.history, async ({ ack, body, action, client, respond }) => {
    await ack();
    const a: Asker = { client, userId: body.user.id, channelId: body.channel?.id, respond: body.response_url ? respond : undefined };
    await guarded(deps, a, `action:${ACTIONS.history}`, async () => {
      const me = await staffOrRefuse(deps, a);
      if (!me) return;
      await showHistory(deps, a, me, { id: String(action.value ?? '') }, 0, openView(client, body.trigger_id));
    });
  });
  app.action<BlockButtonAction>(ACTIONS.historyPage, async ({ ack, body, action, client }) => {
    await ack();
    const a: Asker = { client, userId: body.user.id };
    await guarded(deps, a, `action:${ACTIONS.historyPage}`, async () => {
      const me = await staffOrRefuse(deps, a);
      if (!me) return;
      const [caseId = '', page = '0'] = String(action.value ?? '').split(':');
      const viewId = body.view?.id;
      const show = viewId ? updateView(client, viewId) : openView(client, body.trigger_id);
      await showHistory(deps, a, me, { id: caseId }, Number.parseInt(page, 10) || 0, show);
    });
  });
};
