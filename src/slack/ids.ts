/**
 * Action and view ids of the Slack app. Button values carry ids only (a case
 * or appointment uuid); listeners reload and re-check everything.
 * 'case_log_note' is shared with the reminder/nudge buttons (same modal).
 */
export const ACTIONS = {
  intakeAssignMe: 'intake_assign_me',
  intakeAssignPick: 'intake_assign_pick',
  show: 'case_show',
  logNote: 'case_log_note',
  schedule: 'case_schedule',
  goals: 'case_goals',
  phase: 'case_phase',
  message: 'case_message',
  close: 'case_close',
  reschedule: 'appt_reschedule',
  cancel: 'appt_cancel',
  fullIntake: 'case_full_intake',
  history: 'case_history',
  historyPage: 'case_history_page',
} as const;

export const VIEWS = {
  note: 'note_modal',
  appointment: 'appointment_modal',
  cancel: 'appointment_cancel_modal',
  goals: 'goals_modal',
  phase: 'phase_modal',
  close: 'close_modal',
  message: 'message_modal',
  intake: 'intake_modal',
  history: 'history_modal',
  assignOverLimit: 'assign_over_limit_modal',
} as const;

/** Every input in our modals uses this action id; the block id names the field (errors are keyed by it). */
export const INPUT = 'v';
