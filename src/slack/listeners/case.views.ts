import { DateTime } from 'luxon';
import { describeForStaff } from '../../appointments/appointment.format.js';
import { cancelAppointment, rescheduleAppointment, scheduleAppointment } from '../../appointments/appointments.service.js';
import { MAX_GOALS, PHASE_LABELS } from '../../cases/case.domain.js';
import { messageClient } from '../../cases/case-messages.service.js';
import { logNote, NOTE_KIND_LABELS } from '../../cases/case-notes.service.js';
import { closeCase, movePhase, saveGoalsPlan } from '../../cases/case-plan.service.js';
import { parseReference } from '../../cases/case-reference.js';
import { caseForActor } from '../access.js';
import { assignOverLimit } from '../assign.flow.js';
import { esc } from '../ui/blocks.js';
import { fieldError, fieldsOf, readMeta } from '../slack.kit.js';
import { caseView } from '../view-submit.flow.js';
import { viewFailed } from './staff.js';
import type { StaffViewHandler } from './types.js';
import { VIEWS } from '../ui/ids.js';

const STALE = 'This form is out of date. Close it and open it again from the case card.';

/**
 * The case modals' submissions, keyed by callback id. Each runs after the
 * staff wrapper (directory); caseView does the rest (metadata, inline field
 * errors, the 3 s ack budget, the confirmation in the case's thread or DM).
 */
export const CASE_VIEWS = {
  /**
   * Log note submitted. Dates are read in the worker's zone; the follow-up date
   * becomes the start of their working day (or its end, when it is today).
   * The modal's nonce is the note's idempotency key: a double click saves one note.
   */
  [VIEWS.note]: caseView({
    fallbackField: 'text',
    async handle({ deps, me, meta, f }) {
      const typed = f.text('case_ref');
      const ref = parseReference(typed);
      if (!ref)
        return {
          ok: false,
          field: 'case_ref',
          message: typed.trim()
            ? `“${typed.trim().slice(0, 30)}” is not a case reference; they look like C-2026-0042.`
            : 'Write the case reference, like C-2026-0042.',
        };
      const access = await caseForActor(deps, me, { reference: ref }, 'note');
      if (!access.ok) return { ok: false, field: 'case_ref', message: access.message };
      const zone = me.timeZone;
      const now = deps.clock.now();
      const date = f.date('contact_date');
      // Without a time: now, for a contact today; midday for an earlier day.
      const time = f.time('contact_time') || (date === now.setZone(zone).toISODate() ? now.setZone(zone).toFormat('HH:mm') : '12:00');
      const contactAt = date ? DateTime.fromISO(`${date}T${time}`, { zone }) : DateTime.invalid('no date');
      const fu = f.date('follow_up');
      let nextFollowUpAt: DateTime | null = null;
      if (fu) {
        const today = fu === now.setZone(zone).toISODate();
        nextFollowUpAt = DateTime.fromISO(`${fu}T${today ? me.workingHours.end : me.workingHours.start}`, { zone });
        if (!nextFollowUpAt.isValid) return { ok: false, field: 'follow_up', message: 'Choose a valid date.' };
      }
      const r = await logNote(deps, me, {
        caseId: access.case.id,
        kind: f.select('kind'),
        contactAt,
        text: f.text('text'),
        nextFollowUpAt,
        idempotencyKey: `slack:note:${meta.nonce}`,
      });
      if (!r.ok || r.duplicate) return r;
      return { ...r, value: { ...r.value, caseId: access.case.id, kind: f.select('kind'), followUp: nextFollowUpAt } };
    },
    confirm: ({ value, reference, me }) =>
      `📝 ${NOTE_KIND_LABELS[value.kind] ?? 'Note'} logged on ${reference}.${value.followUp ? ` Next follow-up ${value.followUp.setZone(me.timeZone).toFormat('ccc d LLL')}.` : ' No follow-up set.'}`,
  }),

  /**
   * Schedule (no appointment in the metadata) or reschedule (appointment id and
   * the version the modal was opened on). Times are in the submitter's zone.
   * Schedule: the nonce is the appointment's idempotency key. Reschedule: the
   * nonce is taken once, and a version that moved meanwhile is refused.
   */
  [VIEWS.appointment]: caseView({
    fallbackField: 'date',
    async handle({ deps, me, meta, f }) {
      const fields = {
        date: f.date('date'),
        time: f.time('time'),
        durationMin: Number(f.select('duration') || NaN),
        mode: f.select('mode'),
        location: f.text('location'),
      };
      if (!meta.caseId) return { ok: false, field: 'date', message: STALE };
      if (meta.appointmentId) {
        return rescheduleAppointment(deps, me, {
          ...fields,
          appointmentId: meta.appointmentId,
          expectedVersion: meta.version ?? 0,
          dedupeKey: `view:${meta.nonce}`,
        });
      }
      return scheduleAppointment(deps, me, { ...fields, caseId: meta.caseId, idempotencyKey: `slack:appt:${meta.nonce}` });
    },
    confirm: ({ value, reference, me, meta }) =>
      `📅 Appointment ${meta.appointmentId ? 'moved' : 'booked'} for ${reference}: ${describeForStaff(value.appointment, me.timeZone)}. The client's Telegram message is queued.`,
  }),

  /** Cancel an appointment (version-checked, once per modal). Its reminders are retired; the client is told. */
  [VIEWS.cancel]: caseView({
    fallbackField: 'date',
    async handle({ deps, me, meta }) {
      if (!meta.appointmentId) return { ok: false, message: STALE };
      return cancelAppointment(deps, me, { appointmentId: meta.appointmentId, expectedVersion: meta.version ?? 0, dedupeKey: `view:${meta.nonce}` });
    },
    confirm: ({ value, reference, me }) =>
      `❌ Appointment for ${reference} cancelled (${describeForStaff(value.appointment, me.timeZone)}). The client is told on Telegram.`,
  }),

  /** Goals & plan submitted: up to three goals (clearing one drops it), the plan, the self-help focus, the case type. */
  [VIEWS.goals]: caseView({
    fallbackField: 'plan',
    async handle({ deps, me, meta, f }) {
      if (!meta.caseId) return { ok: false, message: STALE };
      const goals = Array.from({ length: MAX_GOALS }, (_, i) => ({
        goalId: meta.goalIds?.[i] ?? null,
        description: f.text(`goal_${i}`),
        assessment: f.text(`assess_${i}`),
        targetDate: f.date(`target_${i}`),
      })).filter((g) => g.goalId || g.description.trim() || g.assessment.trim() || g.targetDate);
      return saveGoalsPlan(deps, me, {
        caseId: meta.caseId,
        goals,
        plan: f.text('plan'),
        selfHelpFocus: f.text('self_help'),
        caseType: f.select('case_type') || null,
        dedupeKey: `view:${meta.nonce}`,
      });
    },
    confirm: ({ value, reference }) => `🎯 Goals & plan saved on ${reference} (${value.goals} goal${value.goals === 1 ? '' : 's'}).`,
  }),

  /** Move phase: forward freely, back only with a reason (kept, encrypted, on the record). */
  [VIEWS.phase]: caseView({
    fallbackField: 'phase',
    async handle({ deps, me, meta, f }) {
      if (!meta.caseId) return { ok: false, message: STALE };
      return movePhase(deps, me, { caseId: meta.caseId, target: f.select('phase'), reason: f.text('reason'), dedupeKey: `view:${meta.nonce}` });
    },
    confirm: ({ value, reference }) => `➡️ ${reference} moved from ${PHASE_LABELS[value.from]} to ${PHASE_LABELS[value.to]}.`,
  }),

  /** Message client: stored as a message note, sent by the Telegram bot (once per modal, whatever the clicks). */
  [VIEWS.message]: caseView({
    fallbackField: 'text',
    async handle({ deps, me, meta, f }) {
      if (!meta.caseId) return { ok: false, field: 'text', message: STALE };
      return messageClient(deps, me, { caseId: meta.caseId, text: f.text('text'), idempotencyKey: `slack:msg:${meta.nonce}` });
    },
    confirm: ({ reference, f }) => `✉️ Sent to the client of ${reference} on Telegram:\n>${esc(f.text('text').trim().slice(0, 2800)).replace(/\n/g, '\n>')}`,
  }),

  /** Close case: an outcome per goal, the evaluation summary (refused on its field when missing) and a reason. */
  [VIEWS.close]: caseView({
    fallbackField: 'evaluation',
    async handle({ deps, me, meta, f }) {
      if (!meta.caseId) return { ok: false, message: STALE };
      const outcomes = (meta.goalIds ?? []).filter((id): id is string => !!id).map((goalId, i) => ({ goalId, outcome: f.select(`outcome_${i}`) }));
      return closeCase(deps, me, {
        caseId: meta.caseId,
        outcomes,
        evaluation: f.text('evaluation'),
        reason: f.select('reason'),
        reasonDetail: f.text('reason_detail'),
        dedupeKey: `view:${meta.nonce}`,
      });
    },
    confirm: ({ reference, value: { cancelledAppointments: n } }) =>
      `✅ ${reference} is closed. Thank you for the evaluation.${n ? ` ${n === 1 ? 'Its upcoming appointment was' : `Its ${n} upcoming appointments were`} cancelled and the client told.` : ''}`,
  }),

  /** The over-the-limit reason submitted: the reason is required (answered on the field, the text kept); access is checked again by the service. */
  [VIEWS.assignOverLimit]: {
    field: 'reason',
    async handle({ deps, me, callbackId, ack, view, client }) {
      const meta = readMeta(view.private_metadata);
      if (!meta?.caseId || !meta.staffId)
        return void (await ack(fieldError(undefined, 'This form is out of date. Pick the person again on the intake card.', 'reason')));
      try {
        const r = await assignOverLimit(deps, { client, userId: me.slackUserId }, me, meta.caseId, meta.staffId, fieldsOf(view.state.values).text('reason'));
        if (!r.ok) return void (await ack(fieldError('reason', r.message, 'reason')));
        await ack();
        await r.done();
      } catch (err) {
        await viewFailed(deps, ack, callbackId, err, 'reason');
      }
    },
  },
} satisfies Record<string, StaffViewHandler>;
