import type { SlackViewAction } from '@slack/bolt';
import type { RegisterListener } from '../index.js';
import { startHandover } from '../../../handover/handover.service.js';
import { findStaffById } from '../../../staff/staff.repo.js';
import { REFUSE, refusalText, staffFor } from '../../access.js';
import { handoverDoneBlocks } from '../../blocks/handover.blocks.js';
import { HANDOVER_VIEW, handoverMetaSchema, startedText } from '../../handover.screen.js';
import { INPUT } from '../../ids.js';
import { fieldError } from '../../slack.kit.js';
import { isUuid } from '../../../lib/uuid.js';

/** The handover modal submitted: the chosen cases move (one transaction); the supervisor gets a DM with [Undo handover]. */
export const registerHandoverView: RegisterListener = (app, deps) => {
  app.view<SlackViewAction>(HANDOVER_VIEW, async ({ ack, body, view, client }) => {
    const me = await staffFor(deps.db, body.user.id).catch(() => undefined);
    if (!me) return void (await ack(fieldError(undefined, REFUSE.notStaff, 'cases')));
    let meta: ReturnType<typeof handoverMetaSchema.parse>;
    try {
      meta = handoverMetaSchema.parse(JSON.parse(view.private_metadata));
    } catch {
      return void (await ack(fieldError(undefined, 'This form is out of date. Close it and run the command again.', 'cases')));
    }
    const picked =
      (view.state.values as Record<string, Record<string, { selected_options?: Array<{ value: string }> }>>).cases?.[INPUT]?.selected_options ?? [];
    const caseIds = picked.map((o) => o.value).filter(isUuid);
    if (caseIds.length === 0) return void (await ack(fieldError('cases', 'Choose at least one case to hand over.', 'cases')));
    try {
      const r = await startHandover(deps, me, {
        fromId: meta.fromId,
        toId: meta.toId,
        untilOn: meta.untilOn,
        caseIds,
        dedupeKey: `view:${HANDOVER_VIEW}:${meta.nonce}`,
      });
      if (!r.ok) return void (await ack(fieldError('cases', refusalText(r), 'cases')));
      await ack();
      if (r.duplicate) return;
      const to = await findStaffById(deps.db, meta.toId);
      const text = startedText(r, to?.slackUserId ?? '');
      await client.chat.postMessage({ channel: me.slackUserId, text, blocks: handoverDoneBlocks(text, r.handover.id) as never }).catch(() => {});
    } catch (err) {
      deps.logger.error({ where: `view:${HANDOVER_VIEW}`, err: (err as Error)?.message }, 'slack handler failed');
      await ack(fieldError('cases', 'Sorry, nothing was moved because of a problem on our side. Please try again.', 'cases'));
    }
  });
};
