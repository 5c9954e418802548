import { Duration } from 'luxon';
import type { RegisterListener } from '../index.js';
import { snoozeEscalation } from '../../../escalations/escalation-actions.service.js';
import { registerReasonView, when } from '../../escalation-buttons.flow.js';
import { ESC_VIEWS } from '../../ui/ids.js';
import { SNOOZE_CHOICES } from '../actions/esc-snooze.js';

/** Snooze modal submitted: reason required (inline error otherwise); the message then says who snoozed it and until when. */
export const registerEscSnoozeView: RegisterListener = (app, deps) =>
  registerReasonView(app, deps, ESC_VIEWS.snooze, async ({ me, meta, reason, f }) => {
    const pick = f.select('until') || 'P1D';
    if (!SNOOZE_CHOICES.some(([v]) => v === pick)) return { ok: false, field: 'until', message: 'Please choose one of the listed times.' };
    const until = deps.clock.now().plus(Duration.fromISO(pick));
    const r = await snoozeEscalation(deps, { escalationId: meta.escalationId, staffId: me.id, until, reason });
    if (!r.ok) return { ok: false, message: r.message };
    return { ok: true, line: `💤 Snoozed by <@${me.slackUserId}> until ${when(me, until.toJSDate())} (reason recorded).` };
  });
