import type { RegisterListener } from '../index.js';
import { VIEWS } from '../../ui/ids.js';
import { cancelAppointment } from '../../../appointments/appointments.service.js';
import { describeForStaff } from '../../../appointments/appointment.format.js';
import { registerCaseView } from '../../view-submit.flow.js';

/** Cancel an appointment (version-checked, once per modal). Its reminders are retired; the client is told. */
export const registerAppointmentCancelView: RegisterListener = (app, deps) =>
  registerCaseView(app, deps, VIEWS.cancel, {
    fallbackField: 'date',
    async handle({ me, meta }) {
      if (!meta.appointmentId) return { ok: false, message: 'This form is out of date. Close it and open it again from the case card.' };
      return cancelAppointment(deps, me, { appointmentId: meta.appointmentId, expectedVersion: meta.version ?? 0, dedupeKey: `view:${meta.nonce}` });
    },
    confirm: ({ value, reference, me }) =>
      `❌ Appointment for ${reference} cancelled (${describeForStaff(value.appointment, me.timeZone)}). The client is told on Telegram.`,
  });
