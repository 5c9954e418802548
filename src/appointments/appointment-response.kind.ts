import { deliveryKind } from '../delivery/kinds/kind.js';
import { loadCase, loadStaff, recipientId, staffUnreachable } from '../delivery/recipients.js';
import { describeForStaff, loadAppointment, RESPONSE_EN } from './appointment.format.js';

/**
 * The client's answer to a reminder, told to the worker at once. The ledger
 * kind is 'appointment_response.<answer>', so each different answer is told
 * once (a client may confirm, then say they cannot come).
 */
export const appointmentResponseKind = deliveryKind({
  kind: 'appointment_response',
  async render(deps, row) {
    const appt = await loadAppointment(deps.db, row.subjectId);
    if (!appt) return { skip: 'appointment_not_found' };
    if (appt.version !== row.version) return { skip: 'superseded' };
    const answer = row.kind.split('.')[1] ?? '';
    const workerId = recipientId(row.recipient, 'staff');
    const worker = workerId ? await loadStaff(deps.db, workerId) : undefined;
    const unreachable = staffUnreachable(worker);
    if (unreachable) return { skip: unreachable };
    const c = await loadCase(deps.db, appt.caseId);
    const follow = answer === 'confirmed' ? '' : ' Please contact the client to arrange what happens next.';
    const text = `The client of ${c?.reference ?? 'a case'} answered the reminder for ${describeForStaff(appt, worker!.timeZone)}: *${RESPONSE_EN[answer] ?? answer}*.${follow}`;
    return { channel: 'slack', to: worker!.slackUserId, text };
  },
});
