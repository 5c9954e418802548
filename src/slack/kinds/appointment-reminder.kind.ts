import { describeForStaff, RESPONSE_EN } from '../../appointments/appointment.format.js';
import { clientReminder, loadReminder } from '../../appointments/appointment-reminder.js';
import { deliveryKind } from '../../delivery/kinds/kind.js';

/**
 * Reminder before an appointment (src/appointments/appointment-reminder.ts):
 * the client's copy on Telegram is worded there (i18n texts); the worker's
 * Slack DM is worded here.
 */
export const appointmentReminderKind = deliveryKind({
  kind: 'appointment_reminder',
  async render(deps, row) {
    const r = await loadReminder(deps, row);
    if ('skip' in r) return r;
    if (r.for === 'client') return clientReminder(deps, r);
    const answer = r.appt.clientResponse ? ` The client ${RESPONSE_EN[r.appt.clientResponse]}.` : ' The client has not answered the reminder yet.';
    const text = `Reminder: appointment for ${r.reference} — ${describeForStaff(r.appt, r.zone)}.${answer}`;
    return { channel: 'slack', to: r.to, text };
  },
});
