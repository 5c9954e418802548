import type { ActionsBlock } from '@slack/types';
import type { AppointmentRow } from '../../appointments/appointment.format.js';
import { buttons } from './blocks.js';
import { ACTIONS, BLOCKS, outcomeValue } from './ids.js';

/**
 * [Reschedule] [Cancel appointment] [Keep it] under a "can't come" / "another
 * time" notice: values carry the id (and, for keep, the version the notice was about).
 */
export function answerActions(appt: Pick<AppointmentRow, 'id' | 'version'>): ActionsBlock {
  return buttons(BLOCKS.answer(appt.id), [
    { text: 'Reschedule', actionId: ACTIONS.reschedule, value: appt.id, style: 'primary' },
    { text: 'Cancel appointment', actionId: ACTIONS.cancel, value: appt.id, style: 'danger' },
    { text: 'Keep it', actionId: ACTIONS.keep, value: `${appt.id}:${appt.version}` },
  ]);
}

/** [Attended] [No-show] [Log note] under the outcome question. */
export function outcomeActions(appt: Pick<AppointmentRow, 'id' | 'version' | 'caseId'>): ActionsBlock {
  const value = outcomeValue(appt.id, appt.version);
  return buttons(BLOCKS.outcomeQuestion, [
    { text: 'Attended', actionId: ACTIONS.outcomeAttended, value, style: 'primary' },
    { text: 'No-show', actionId: ACTIONS.outcomeNoShow, value },
    { text: 'Log note', actionId: ACTIONS.logNote, value: appt.caseId },
  ]);
}
