import { describeForStaff, RESPONSE_EN, staffTime } from '../../appointments/appointment.format.js';
import { appointmentResponse } from '../../appointments/appointment-questions.js';
import { deliveryKind } from '../../delivery/kinds/kind.js';
import { answerActions } from '../ui/appointment.blocks.js';
import { section } from '../ui/blocks.js';

/**
 * The client's answer to a reminder, told to the worker at once. The ledger
 * kind is 'appointment_response.<answer>', so each different answer is told
 * once (a client may confirm, then say they cannot come). "Can't come" and
 * "another time" come with [Reschedule] [Cancel appointment] [Keep it].
 */
export const appointmentResponseKind = deliveryKind({
  kind: 'appointment_response',
  async render(deps, row) {
    const r = await appointmentResponse(deps, row);
    if ('skip' in r) return r;
    const ref = r.case?.reference ?? 'a case';
    const zone = r.worker.timeZone;
    const when = describeForStaff(r.appt, zone);
    if (!r.acting) {
      const text = `The client of ${ref} answered the reminder for ${when}: *${RESPONSE_EN[r.answer] ?? r.answer}*.`;
      return { channel: 'slack', to: r.worker.slackUserId, text };
    }
    const text =
      r.answer === 'cant_come'
        ? `The client of ${ref} says they *can't come* to the appointment on ${when}. Their remaining reminders for it are off. Reschedule, cancel or keep it.`
        : `The client of ${ref} *needs another time* for the appointment on ${when}. They were asked which days and times suit; their answer will appear in the case thread. Their remaining reminders for it are off.`;
    const followUp = r.case?.nextFollowUpAt
      ? ` If nothing is decided, the case is due for follow-up ${staffTime(r.case.nextFollowUpAt, zone)} and you will be nudged then.`
      : '';
    return {
      channel: 'slack',
      to: r.worker.slackUserId,
      text,
      blocks: [section(`${text}${followUp}`), answerActions(r.appt)],
    };
  },
});
