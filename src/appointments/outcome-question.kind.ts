import { deliveryKind } from '../delivery/kinds/kind.js';
import { loadCase, loadStaff, recipientId, staffUnreachable } from '../delivery/recipients.js';
import { buttons, section } from '../delivery/slack-blocks.js';
import { describeForStaff, loadAppointment, staffTime, staleReason } from './appointment.format.js';
import { expectRecordAfterAppointment, RECORD_DUE_HOURS } from './appointment-outcome.service.js';

/** Slack action ids of the outcome buttons (listeners in src/slack/listeners/actions/appointment-outcome.ts). */
export const OUTCOME_ACTIONS = { attended: 'appt_outcome_attended', noShow: 'appt_outcome_no_show', logNote: 'case_log_note' } as const;

/** Value of an outcome button: the appointment and the version the question was asked for. */
export function outcomeValue(appointmentId: string, version: number): string {
  return `${appointmentId}:${version}`;
}

/**
 * After the appointment (end + OUTCOME_QUESTION_AFTER): ask the worker what
 * happened, with [Attended] [No-show] [Log note]. Skipped when the outcome is
 * already recorded or the appointment changed.
 */
export const outcomeQuestionKind = deliveryKind({
  kind: 'outcome_question',
  async render(deps, row) {
    const appt = await loadAppointment(deps.db, row.subjectId);
    const stale = staleReason(appt, row);
    if (stale) return { skip: stale };
    if (appt!.outcomeAt || appt!.status !== 'scheduled') return { skip: 'outcome_recorded' };
    const workerId = recipientId(row.recipient, 'staff');
    const worker = workerId ? await loadStaff(deps.db, workerId) : undefined;
    const unreachable = staffUnreachable(worker);
    if (unreachable) return { skip: unreachable };
    const c = await loadCase(deps.db, appt!.caseId);
    // Say what the question sets (see expectRecordAfterAppointment), so no follow-up ever moves silently.
    const due = deps.clock.now().plus({ hours: RECORD_DUE_HOURS });
    const kept = !!c?.nextFollowUpAt && c.nextFollowUpAt.getTime() <= due.toMillis();
    const then = kept
      ? `Your follow-up stays ${staffTime(c!.nextFollowUpAt!, worker!.timeZone)}.`
      : `A note is due by ${staffTime(due.toJSDate(), worker!.timeZone)}: the case's follow-up is set to then.`;
    const text = `How did the appointment for ${c?.reference ?? 'the case'} go? (${describeForStaff(appt!, worker!.timeZone)}) ${then}`;
    const value = outcomeValue(appt!.id, appt!.version);
    return {
      channel: 'slack',
      to: worker!.slackUserId,
      text,
      blocks: [
        section(text),
        buttons('appointment_outcome', [
          { text: 'Attended', actionId: OUTCOME_ACTIONS.attended, value, style: 'primary' },
          { text: 'No-show', actionId: OUTCOME_ACTIONS.noShow, value },
          { text: 'Log note', actionId: OUTCOME_ACTIONS.logNote, value: appt!.caseId },
        ]),
      ],
    };
  },
  async afterSent(deps, row) {
    await expectRecordAfterAppointment(deps, row.subjectId);
  },
});
