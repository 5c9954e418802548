import type { RegisterListener } from '../index.js';
import { VIEWS } from '../../ui/ids.js';
import { rescheduleAppointment, scheduleAppointment } from '../../../appointments/appointments.service.js';
import { describeForStaff } from '../../../appointments/appointment.format.js';
import { registerCaseView } from '../../view-submit.flow.js';

/**
 * Schedule (no appointment in the metadata) or reschedule (appointment id and
 * the version the modal was opened on). Times are in the submitter's zone.
 * Schedule: the nonce is the appointment's idempotency key. Reschedule: the
 * nonce is taken once, and a version that moved meanwhile is refused.
 */
export const registerAppointmentView: RegisterListener = (app, deps) =>
  registerCaseView(app, deps, VIEWS.appointment, {
    fallbackField: 'date',
    async handle({ me, meta, f }) {
      const fields = {
        date: f.date('date'),
        time: f.time('time'),
        durationMin: Number(f.select('duration') || NaN),
        mode: f.select('mode'),
        location: f.text('location'),
      };
      if (!meta.caseId) return { ok: false, field: 'date', message: 'This form is out of date. Close it and open it again from the case card.' };
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
  });
