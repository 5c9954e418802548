import { describeForStaff, staffTime } from '../../appointments/appointment.format.js';
import { expectRecordAfterAppointment } from '../../appointments/appointment-outcome.service.js';
import { outcomeQuestion } from '../../appointments/appointment-questions.js';
import { deliveryKind } from '../../delivery/kinds/kind.js';
import { outcomeActions } from '../ui/appointment.blocks.js';
import { section } from '../ui/blocks.js';

/**
 * After the appointment (end + OUTCOME_QUESTION_AFTER): ask the worker what
 * happened, with [Attended] [No-show] [Log note]. Skipped when the outcome is
 * already recorded or the appointment changed.
 */
export const outcomeQuestionKind = deliveryKind({
  kind: 'outcome_question',
  async render(deps, row) {
    const q = await outcomeQuestion(deps, row);
    if ('skip' in q) return q;
    const zone = q.worker.timeZone;
    // Say what the question sets, so no follow-up ever moves silently.
    const then = q.followUpKept
      ? `Your follow-up stays ${staffTime(q.followUpKept, zone)}.`
      : `A note is due by ${staffTime(q.recordDue, zone)}: the case's follow-up is set to then.`;
    const text = `How did the appointment for ${q.case?.reference ?? 'the case'} go? (${describeForStaff(q.appt, zone)}) ${then}`;
    return { channel: 'slack', to: q.worker.slackUserId, text, blocks: [section(text), outcomeActions(q.appt)] };
  },
  async afterSent(deps, row) {
    await expectRecordAfterAppointment(deps, row.subjectId);
  },
});
