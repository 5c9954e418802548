import type { App, BlockButtonAction } from '@slack/bolt';
import { DateTime } from 'luxon';
import type { Deps } from '../deps.js';
import { loadCaseCard, type CaseCard } from '../cases/case-card.js';
import { loadAppointment, openLocation, staffTime, type AppointmentRow } from '../appointments/appointment.format.js';
import type { StaffRow } from '../staff/staff.repo.js';
import { caseForActor, REFUSE } from './access.js';
import type { Block } from './blocks/common.js';
import { appointmentModal, cancelModal, closeModal, goalsModal, messageModal, noteModal, phaseModal } from './blocks/modals.blocks.js';
import { guarded, newMeta, staffOrRefuse, tell, type Asker } from './slack.kit.js';
import { isUuid } from '../lib/uuid.js';

/**
 * The buttons that open a modal for a case (Log note, Schedule appointment,
 * Goals & plan, Move phase, Message client, Close case, Reschedule, Cancel).
 * Ack first; then check the directory and case access on the server; then
 * open the modal with a fresh nonce (the submission's idempotency key).
 */
type Build = (x: { card: CaseCard; me: StaffRow; now: DateTime; appt?: AppointmentRow; deps: Deps }) => Block;

export function registerCaseModalButton(app: App, deps: Deps, actionId: string, build: Build, opts: { byAppointment?: boolean } = {}): void {
  app.action<BlockButtonAction>(actionId, async ({ ack, body, action, client, respond }) => {
    await ack();
    const a: Asker = {
      client,
      userId: body.user.id,
      channelId: body.channel?.id ?? body.container?.channel_id,
      respond: body.response_url ? respond : undefined,
    };
    await guarded(deps, a, `action:${actionId}`, async () => {
      const me = await staffOrRefuse(deps, a);
      if (!me) return;
      const value = String(action.value ?? '');
      let appt: AppointmentRow | undefined;
      let caseId = value;
      if (opts.byAppointment) {
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
      await client.views.open({ trigger_id: body.trigger_id, view: build({ card, me, now: deps.clock.now(), deps, ...(appt ? { appt } : {}) }) as never });
    });
  });
}

/** A button about an appointment that is no longer as it was: say what is true now. */
export function appointmentNowText(appt: AppointmentRow, zone: string, now: DateTime): string {
  const at = staffTime(appt.startsAt, zone);
  if (appt.status === 'cancelled') return `This appointment was cancelled (it was on ${at}); nothing to do here.`;
  if (appt.status === 'attended' || appt.status === 'no_show' || appt.startsAt.getTime() <= now.toMillis())
    return `This appointment has passed (it was on ${at}).`;
  return `This appointment was moved since this message: it is now on ${at}. Use the buttons on the latest message or the case card.`;
}

export const MODALS: Record<string, { build: Build; byAppointment?: boolean }> = {
  note: { build: ({ card, me, now }) => noteModal(card, newMeta(card.id), me.timeZone, now) },
  schedule: { build: ({ card, me }) => appointmentModal(card, newMeta(card.id), me.timeZone) },
  goals: { build: ({ card }) => goalsModal(card, newMeta(card.id)) },
  phase: { build: ({ card }) => phaseModal(card, newMeta(card.id)) },
  message: { build: ({ card }) => messageModal(card, newMeta(card.id)) },
  close: { build: ({ card }) => closeModal(card, newMeta(card.id)) },
  reschedule: {
    byAppointment: true,
    build: ({ card, me, appt, deps }) =>
      appointmentModal(card, newMeta(card.id, { appointmentId: appt!.id, version: appt!.version }), me.timeZone, {
        startsAt: DateTime.fromJSDate(appt!.startsAt, { zone: 'utc' }),
        durationMin: appt!.durationMin,
        mode: appt!.mode,
        location: openLocation(deps, appt!),
      }),
  },
  cancel: {
    byAppointment: true,
    build: ({ card, me, appt }) =>
      cancelModal(card, newMeta(card.id, { appointmentId: appt!.id, version: appt!.version }), staffTime(appt!.startsAt, me.timeZone)),
  },
};
