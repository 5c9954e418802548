import type { SlackViewAction } from '@slack/bolt';
import type { RegisterListener } from '../index.js';
import { assignOverLimit } from '../../assign.flow.js';
import { REFUSE, staffFor } from '../../access.js';
import { VIEWS } from '../../ui/ids.js';
import { fieldError, fieldsOf, readMeta } from '../../slack.kit.js';

/** The over-the-limit reason submitted: the reason is required (answered on the field, the text kept); access is checked again by the service. */
export const registerAssignOverLimitView: RegisterListener = (app, deps) => {
  app.view<SlackViewAction>(VIEWS.assignOverLimit, async ({ ack, body, view, client }) => {
    const me = await staffFor(deps.db, body.user.id).catch(() => undefined);
    if (!me) return void (await ack(fieldError(undefined, REFUSE.notStaff, 'reason')));
    const meta = readMeta(view.private_metadata);
    if (!meta?.caseId || !meta.staffId)
      return void (await ack(fieldError(undefined, 'This form is out of date. Pick the person again on the intake card.', 'reason')));
    try {
      const r = await assignOverLimit(deps, { client, userId: me.slackUserId }, me, meta.caseId, meta.staffId, fieldsOf(view.state.values).text('reason'));
      if (!r.ok) return void (await ack(fieldError('reason', r.message, 'reason')));
      await ack();
      await r.done();
    } catch (err) {
      deps.logger.error({ where: `view:${VIEWS.assignOverLimit}`, err: (err as Error)?.message }, 'slack handler failed');
      await ack(fieldError(undefined, 'Sorry, this could not be saved because of a problem on our side. Please try again.', 'reason'));
    }
  });
};
