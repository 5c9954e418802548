import { deliveryKind } from '../delivery/kinds/kind.js';
import { loadCase, loadStaff, recipientId, staffUnreachable } from '../delivery/recipients.js';
import { buttons, section } from '../delivery/slack-blocks.js';
import { describeForStaff, loadAppointment, RESPONSE_EN, staffTime } from './appointment.format.js';
import { answerButtons, isActingAnswer } from './client-answer.js';

/**
 * The client's answer to a reminder, told to the worker at once. The ledger
 * kind is 'appointment_response.<answer>', so each different answer is told
 * once (a client may confirm, then say they cannot come). "Can't come" and
 * "another time" come with [Reschedule] [Cancel appointment] [Keep it].
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
    const ref = c?.reference ?? 'a case';
    const when = describeForStaff(appt, worker!.timeZone);
    if (!isActingAnswer(answer)) {
      const text = `The client of ${ref} answered the reminder for ${when}: *${RESPONSE_EN[answer] ?? answer}*.`;
      return { channel: 'slack', to: worker!.slackUserId, text };
    }
    const text =
      answer === 'cant_come'
        ? `The client of ${ref} says they *can't come* to the appointment on ${when}. Their remaining reminders for it are off. Reschedule, cancel or keep it.`
        : `The client of ${ref} *needs another time* for the appointment on ${when}. They were asked which days and times suit; their answer will appear in the case thread. Their remaining reminders for it are off.`;
    const followUp = c?.nextFollowUpAt
      ? ` If nothing is decided, the case is due for follow-up ${staffTime(c.nextFollowUpAt, worker!.timeZone)} and you will be nudged then.`
      : '';
    return {
      channel: 'slack',
      to: worker!.slackUserId,
      text,
      blocks: [section(`${text}${followUp}`), buttons(`answer:${appt.id}`, answerButtons(appt))],
    };
  },
});
