import type { RegisterListener } from '../index.js';
import { dismissFollowUp } from '../../../escalations/escalation-actions.service.js';
import { registerReasonView } from '../../escalation-buttons.flow.js';
import { ESC_VIEWS } from '../../ui/ids.js';

/** "No follow-up needed" submitted: reason required (inline error otherwise); the nudge is resolved and says by whom. */
export const registerEscNotNeededView: RegisterListener = (app, deps) =>
  registerReasonView(app, deps, ESC_VIEWS.notNeeded, async ({ me, meta, reason }) => {
    const r = await dismissFollowUp(deps, { escalationId: meta.escalationId, staffId: me.id, reason });
    if (!r.ok) return { ok: false, message: r.message };
    return { ok: true, line: `✔️ No follow-up needed — closed by <@${me.slackUserId}> (reason recorded).` };
  });
