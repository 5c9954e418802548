import { describeForStaff, loadAppointment } from '../../appointments/appointment.format.js';
import { keepAppointment } from '../../appointments/appointment-keep.service.js';
import { recordAppointmentOutcome } from '../../appointments/appointment-outcome.service.js';
import { caseForActor } from '../access.js';
import { outcomeDoneBlocks } from '../ui/escalation.blocks.js';
import { appointmentNowText, CASE_MODALS, caseModalButton } from '../case-modals.flow.js';
import { markActed, messageOf, when } from '../escalation-buttons.flow.js';
import { tell } from '../slack.kit.js';
import { type StaffActionHandler, buttonValue } from './types.js';
import { ACTIONS, ANSWER_ACTIONS, OUTCOME_ACTIONS } from '../ui/ids.js';
import { isUuid, UUID_PATTERN } from '../../lib/uuid.js';

/**
 * [Attended] / [No-show] on the outcome question (value `<appointmentId>:<version>`).
 * Access is the case's (the worker on their own case, their supervisor, admins);
 * the service is idempotent per version, so a double click records once.
 * The message keeps only [Log note] and says who recorded what.
 */
const OUTCOME_VALUE = new RegExp(`^(${UUID_PATTERN}):(\\d{1,6})$`, 'i');
const OUTCOME_LABEL = { attended: 'Attended', no_show: 'No-show' } as const;

function outcomeButton(outcome: 'attended' | 'no_show'): StaffActionHandler {
  return async ({ deps, me, a, actionId, body, action, client }) => {
    const m = OUTCOME_VALUE.exec(buttonValue(action));
    const appt = m ? await loadAppointment(deps.db, m[1]!) : undefined;
    if (!m || !appt) return tell(a, 'This appointment no longer exists.');
    const access = await caseForActor(deps, me, { id: appt.caseId }, actionId);
    if (!access.ok) return tell(a, access.message);
    const r = await recordAppointmentOutcome(deps, { appointmentId: appt.id, version: Number(m[2]), outcome, staffId: me.id });
    if (!r.ok) return tell(a, r.message);
    const own = { subjectId: appt.id, title: `Appointment on ${when(me, appt.startsAt)}` };
    const logNote = outcomeDoneBlocks(appt.caseId);
    if (r.status === 'unchanged') {
      await markActed(deps, client, messageOf(body), `Recorded: *${OUTCOME_LABEL[outcome]}*.`, logNote, own);
      return tell(a, `This was already recorded as ${OUTCOME_LABEL[outcome].toLowerCase()}; nothing changed.`);
    }
    let line = `Recorded by <@${me.slackUserId}>: *${OUTCOME_LABEL[outcome]}*.`;
    if (r.followUpAt) line += ` Follow-up set for ${when(me, r.followUpAt.toJSDate())}.`;
    if (r.supervisorInformed) line += ' Second missed appointment in a row: the supervisor is informed.';
    await markActed(deps, client, messageOf(body), line, logNote, own);
  };
}

/** The appointment buttons (case card, client-answer notice, outcome question), keyed by action id; each after the staff wrapper. */
export const APPOINTMENT_ACTIONS = {
  /** [Reschedule] / [Cancel appointment] (case card and the client's "can't come" notice): their modals, after the access check. */
  [ACTIONS.reschedule]: caseModalButton(CASE_MODALS[ACTIONS.reschedule]),
  [ACTIONS.cancel]: caseModalButton(CASE_MODALS[ACTIONS.cancel]),

  /**
   * [Keep it] under a client's "can't come" / "another time": the appointment
   * stays; the notice loses its buttons and says who decided. A press on an
   * older notice is answered with what is true now (passed, moved, cancelled).
   * Only the notice we posted about this appointment is edited (never a message
   * a forged channel/ts names); otherwise the line goes to the person's DM.
   */
  [ANSWER_ACTIONS.keep]: async ({ deps, me, a, body, action, client }) => {
    const [id = '', v = ''] = buttonValue(action).split(':');
    const found = isUuid(id) ? await loadAppointment(deps.db, id) : undefined;
    if (!found) return tell(a, 'This appointment no longer exists.');
    // Access first: what is true now about the appointment is the case's to tell.
    const access = await caseForActor(deps, me, { id: found.caseId }, ANSWER_ACTIONS.keep);
    if (!access.ok) return tell(a, access.message);
    const r = await keepAppointment(deps, me, id, Number.parseInt(v, 10) || 0);
    if (!r.ok) return tell(a, 'stale' in r ? appointmentNowText(r.stale, me.timeZone, deps.clock.now()) : r.message);
    if (r.duplicate) return;
    const appt = r.value.appointment;
    const line = `Kept by <@${me.slackUserId}>: the appointment stays on ${when(me, appt.startsAt)}. The client gets no more reminders for it; tell them with *Message client*.`;
    const at = describeForStaff(appt, me.timeZone);
    const ref = access.case.reference;
    const title =
      r.value.answer === 'needs_other_time'
        ? `The client of ${ref} *needs another time* for the appointment on ${at}.`
        : `The client of ${ref} says they *can't come* to the appointment on ${at}.`;
    const own = { subjectId: appt.id, title };
    if (!(await markActed(deps, client, messageOf(body), line, [], own)))
      await client.chat.postMessage({ channel: me.slackUserId, text: line }).catch(() => {});
  },

  /** [Attended] on the outcome question. */
  [OUTCOME_ACTIONS.attended]: outcomeButton('attended'),
  /** [No-show] on the outcome question: follow-up next working day; two in a row inform the supervisor. */
  [OUTCOME_ACTIONS.noShow]: outcomeButton('no_show'),
} satisfies Record<string, StaffActionHandler>;
