import { Duration } from 'luxon';
import { CRISIS_OUTCOMES } from '../../escalations/crisis-followup.service.js';
import { dismissFollowUp, recordCrisisOutcome, snoozeEscalation } from '../../escalations/escalation-actions.service.js';
import { reasonView, SNOOZE_CHOICES, when } from '../escalation-buttons.flow.js';
import type { StaffViewHandler } from './types.js';
import { CRISIS_VIEWS, ESC_VIEWS, FIELDS } from '../ui/ids.js';

/**
 * The reason modals of escalation messages, keyed by callback id. A reason is
 * required (inline error otherwise); success closes the modal and the original
 * message says who did what (reasonView).
 */
export const ESCALATION_VIEWS = {
  /** Snooze modal submitted: the message then says who snoozed it and until when. */
  [ESC_VIEWS.snooze]: reasonView(async ({ deps, me, meta, reason, f }) => {
    const pick = f.select(FIELDS.until) || 'P1D';
    if (!SNOOZE_CHOICES.some(([v]) => v === pick)) return { ok: false, field: 'until', message: 'Please choose one of the listed times.' };
    const until = deps.clock.now().plus(Duration.fromISO(pick));
    const r = await snoozeEscalation(deps, { escalationId: meta.escalationId, staffId: me.id, until, reason });
    if (!r.ok) return { ok: false, message: r.message };
    return { ok: true, line: `💤 Snoozed by <@${me.slackUserId}> until ${when(me, until.toJSDate())} (reason recorded).` };
  }),

  /** "No follow-up needed" submitted: the nudge is resolved and says by whom. */
  [ESC_VIEWS.notNeeded]: reasonView(async ({ deps, me, meta, reason }) => {
    const r = await dismissFollowUp(deps, { escalationId: meta.escalationId, staffId: me.id, reason });
    if (!r.ok) return { ok: false, message: r.message };
    return { ok: true, line: `✔️ No follow-up needed — closed by <@${me.slackUserId}> (reason recorded).` };
  }),

  /** A crisis's outcome recorded: it is resolved (and any temporary access it gave ends). */
  [CRISIS_VIEWS.outcome]: reasonView(async ({ deps, me, meta, reason, f }) => {
    const outcome = f.select(FIELDS.crisisOutcome);
    if (!outcome) return { ok: false, field: 'outcome', message: 'Choose what happened.' };
    const r = await recordCrisisOutcome(deps, { escalationId: meta.escalationId, staffId: me.id, outcome, note: reason });
    if (!r.ok) return { ok: false, field: r.error === 'invalid' ? (/Choose/.test(r.message) ? 'outcome' : 'reason') : 'reason', message: r.message };
    return {
      ok: true,
      line: `✅ Crisis resolved by <@${me.slackUserId}> at ${when(me, deps.clock.now().toJSDate())}: ${CRISIS_OUTCOMES[outcome as keyof typeof CRISIS_OUTCOMES]}.`,
    };
  }),
} satisfies Record<string, StaffViewHandler>;
