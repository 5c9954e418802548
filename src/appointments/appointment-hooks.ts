import type { Deps } from '../deps.js';
import type { Db } from '../db/client.js';
import type { DeliveryRow } from '../delivery/ledger.js';
import { planAppointmentReminders } from './reminders.service.js';

/**
 * Called inside the transaction of every schedule, reschedule and cancel
 * (src/appointments/appointments.service.ts): the reminders side plans the
 * current version's reminders and retires older ones. Returns the rows to
 * schedule after commit.
 */
export async function afterAppointmentChange(deps: Deps, appointmentId: string, tx: Db): Promise<DeliveryRow[]> {
  const plan = await planAppointmentReminders(deps, appointmentId, tx);
  return plan.rows;
}
