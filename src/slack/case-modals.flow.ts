import { DateTime } from 'luxon';
import type { Deps } from '../deps.js';
import { loadCaseCard, type CaseCard } from '../cases/case-card.js';
import { loadAppointment, openLocation, staffTime, type AppointmentRow } from '../appointments/appointment.format.js';
import type { StaffRow } from '../staff/staff.repo.js';
import { caseForActor, REFUSE } from './access.js';
import type { ModalView } from '@slack/types';
import { appointmentModal, cancelModal, closeModal, goalsModal, messageModal, noteModal, phaseModal } from './ui/modals.blocks.js';
import { newMeta, tell } from './slack.kit.js';
import { type StaffActionHandler, buttonValue } from './listeners/types.js';
import { ACTIONS } from './ui/ids.js';
import { isUuid } from '../lib/uuid.js';

type CaseModalActionId = (typeof ACTIONS)['logNote' | 'schedule' | 'goals' | 'phase' | 'message' | 'close' | 'reschedule' | 'cancel'];

/**
 * The buttons that open a modal for a case (Log note, Schedule appointment,
 * Goals & plan, Move phase, Message client, Close case, Reschedule, Cancel).
 * After the staff wrapper (ack, directory): case access checked on the server,
 * then the modal opens with a fresh nonce (the submission's idempotency key).
 * Keyed by the button's action id.
 */
type Build = (x: { card: CaseCard; me: StaffRow; now: DateTime; appt?: AppointmentRow; deps: Deps }) => ModalView;
export interface CaseModal {
  build: Build;
  /** The button carries an appointment id (Reschedule, Cancel); otherwise a case id. */
  byAppointment?: boolean;
}

/** The handler of one such button: the modal it opens, built once access is checked. */
export function caseModalButton(m: CaseModal): StaffActionHandler {
  return async ({ deps, me, a, actionId, body, action, client }) => {
    const value = buttonValue(action);
    let appt: AppointmentRow | undefined;
    let caseId = value;
    if (m.byAppointment) {
      appt = isUuid(value) ? await loadAppointment(deps.db, value) : undefined;
      if (!appt) return tell(a, 'This appointment no longer exists.');
      caseId = appt.caseId;
    }
    // Access first: what is true now about an appointment (its new time) is the case's to tell.
    const access = await caseForActor(deps, me, { id: caseId }, actionId);
    if (!access.ok) return tell(a, access.message);
    if (appt && (appt.status !== 'scheduled' || appt.startsAt.getTime() <= deps.clock.now().toMillis()))
      return tell(a, appointmentNowText(appt, me.timeZone, deps.clock.now()));
    if (access.case.status !== 'open') return tell(a, REFUSE.closed);
    const card = await loadCaseCard(deps, caseId);
    if (!card) return tell(a, REFUSE.unavailable(access.case.reference));
    await deps.audit.record({ actor: { type: 'staff', id: me.id }, action: 'case.viewed', caseId, details: { via: actionId } });
    await client.views.open({ trigger_id: body.trigger_id, view: m.build({ card, me, now: deps.clock.now(), deps, ...(appt ? { appt } : {}) }) });
  };
}

/** A button about an appointment that is no longer as it was: say what is true now. */
export function appointmentNowText(appt: AppointmentRow, zone: string, now: DateTime): string {
  const at = staffTime(appt.startsAt, zone);
  if (appt.status === 'cancelled') return `This appointment was cancelled (it was on ${at}); nothing to do here.`;
  if (appt.status === 'attended' || appt.status === 'no_show' || appt.startsAt.getTime() <= now.toMillis())
    return `This appointment has passed (it was on ${at}).`;
  return `This appointment was moved since this message: it is now on ${at}. Use the buttons on the latest message or the case card.`;
}

export const CASE_MODALS = {
  [ACTIONS.logNote]: { build: ({ card, me, now }) => noteModal(card, newMeta(card.id), me.timeZone, now) },
  [ACTIONS.schedule]: { build: ({ card, me }) => appointmentModal(card, newMeta(card.id), me.timeZone) },
  [ACTIONS.goals]: { build: ({ card }) => goalsModal(card, newMeta(card.id)) },
  [ACTIONS.phase]: { build: ({ card }) => phaseModal(card, newMeta(card.id)) },
  [ACTIONS.message]: { build: ({ card }) => messageModal(card, newMeta(card.id)) },
  [ACTIONS.close]: { build: ({ card }) => closeModal(card, newMeta(card.id)) },
  [ACTIONS.reschedule]: {
    byAppointment: true,
    build: ({ card, me, appt, deps }) =>
      appointmentModal(card, newMeta(card.id, { appointmentId: appt!.id, version: appt!.version }), me.timeZone, {
        startsAt: DateTime.fromJSDate(appt!.startsAt, { zone: 'utc' }),
        durationMin: appt!.durationMin,
        mode: appt!.mode,
        location: openLocation(deps, appt!),
      }),
  },
  [ACTIONS.cancel]: {
    byAppointment: true,
    build: ({ card, me, appt }) =>
      cancelModal(card, newMeta(card.id, { appointmentId: appt!.id, version: appt!.version }), staffTime(appt!.startsAt, me.timeZone)),
  },
} satisfies Record<CaseModalActionId, CaseModal>;
