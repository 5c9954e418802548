import type { ReferralOutcome } from '../../referrals/referrals.domain.js';

/**
 * Every Slack id of the app, written once: action ids (buttons, pickers),
 * view callback ids (modals), block ids and modal field ids. Button values
 * carry ids only (a case or appointment uuid); listeners reload and re-check
 * everything. Listener tables are keyed by ACTIONS and VIEWS.
 */
export const ACTIONS = {
  // case card, caseload lists, App Home
  intakeAssignMe: 'intake_assign_me',
  intakeAssignPick: 'intake_assign_pick',
  show: 'case_show',
  /** Also on reminders, nudges, crisis pages and outcome questions: the same note modal. */
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
  // escalation ladder and crisis pages
  escAck: 'esc_ack',
  escSnooze: 'esc_snooze',
  escSnoozeDay: 'esc_snooze_day',
  escNotNeeded: 'esc_not_needed',
  reassign: 'case_reassign',
  openCase: 'case_open',
  crisisCancelCheckin: 'crisis_checkin_cancel',
  crisisOutcome: 'crisis_outcome',
  // appointments: the client's answer, the outcome question
  keep: 'appt_keep',
  outcomeAttended: 'appt_outcome_attended',
  outcomeNoShow: 'appt_outcome_no_show',
  // erasure decisions, leave cover, referrals
  erasureEraseNow: 'erasure_erase_now',
  erasureHold: 'erasure_hold',
  handoverUndo: 'handover_undo',
  /** The prefix of the referral outcome buttons: `referral_outcome_<outcome>` (see referralOutcomeAction). */
  referralOutcome: 'referral_outcome',
} as const;

/** Modal callback ids. */
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
  escSnooze: 'esc_snooze_modal',
  escNotNeeded: 'esc_not_needed_modal',
  crisisOutcome: 'crisis_outcome_modal',
  erasureHold: 'erasure_hold_modal',
  handover: 'handover_modal',
  noteRedact: 'note_redact_modal',
  resource: 'resource_modal',
  referral: 'referral_modal',
} as const;

/** Block ids of action blocks (those carrying an id take it after a colon). */
export const BLOCKS = {
  case: (caseId: string) => `case:${caseId}` as const,
  appointment: (appointmentId: string) => `appt:${appointmentId}` as const,
  caseFile: (caseId: string) => `file:${caseId}` as const,
  history: (caseId: string) => `history:${caseId}` as const,
  intake: (caseId: string) => `intake:${caseId}` as const,
  caseload: (prefix: string, caseId: string) => `${prefix}:${caseId}` as const,
  handoverPacket: (caseId: string) => `handover_packet:${caseId}` as const,
  handover: (handoverId: string) => `handover:${handoverId}` as const,
  answer: (appointmentId: string) => `answer:${appointmentId}` as const,
  referral: (referralId: string) => `referral:${referralId}` as const,
  escalation: 'escalation',
  followUpNudge: 'follow_up_nudge',
  crisisPage: 'crisis_page',
  /** One crisis's buttons in a page listing several (each block id unique in its message). */
  crisisPageOf: (escalationId: string) => `crisis_page:${escalationId}` as const,
  crisisFollowUp: 'crisis_follow_up',
  outcomeQuestion: 'appointment_outcome',
  outcomeDone: 'appointment_outcome_done',
  erasure: 'erasure',
} as const;

/** Every input in our modals uses this action id; the block id names the field (errors are keyed by it). */
export const INPUT = 'v';

/** Modal field ids (the input blocks' block ids), read back from view.state.values. */
export const FIELDS = {
  caseRef: 'case_ref',
  kind: 'kind',
  contactDate: 'contact_date',
  contactTime: 'contact_time',
  text: 'text',
  followUp: 'follow_up',
  date: 'date',
  time: 'time',
  duration: 'duration',
  mode: 'mode',
  location: 'location',
  plan: 'plan',
  selfHelp: 'self_help',
  caseType: 'case_type',
  phase: 'phase',
  reason: 'reason',
  evaluation: 'evaluation',
  reasonDetail: 'reason_detail',
  cases: 'cases',
  name: 'name',
  categories: 'categories',
  languages: 'languages',
  phone: 'phone',
  email: 'email',
  website: 'website',
  address: 'address',
  description: 'description',
  resource: 'resource',
  share: 'share',
  verbalReason: 'verbalReason',
  crisisOutcome: 'outcome',
  until: 'until',
  note: 'note',
  goal: (i: number) => `goal_${i}` as const,
  assess: (i: number) => `assess_${i}` as const,
  target: (i: number) => `target_${i}` as const,
  outcome: (i: number) => `outcome_${i}` as const,
} as const;

/** The referral outcome button of one outcome (the listener matches the ACTIONS.referralOutcome prefix). */
export const referralOutcomeAction = (o: ReferralOutcome) => `${ACTIONS.referralOutcome}_${o}` as const;

/** Value of an outcome-question button: the appointment and the version the question was asked for. */
export const outcomeValue = (appointmentId: string, version: number): string => `${appointmentId}:${version}`;

export type ActionId = (typeof ACTIONS)[keyof typeof ACTIONS] | ReturnType<typeof referralOutcomeAction>;
export type ViewId = (typeof VIEWS)[keyof typeof VIEWS];
type Ids<T> = { [K in keyof T]: T[K] extends (...a: never[]) => infer R ? R : T[K] }[keyof T];
export type BlockId = Ids<typeof BLOCKS>;
export type FieldId = Ids<typeof FIELDS>;

// The groups the listeners were written against (each value is one of ACTIONS / VIEWS above).
export const ESC_ACTIONS = {
  ack: ACTIONS.escAck,
  snooze: ACTIONS.escSnooze,
  snoozeDay: ACTIONS.escSnoozeDay,
  notNeeded: ACTIONS.escNotNeeded,
  logNote: ACTIONS.logNote,
  reassign: ACTIONS.reassign,
  openCase: ACTIONS.openCase,
} as const;
export const ESC_VIEWS = { snooze: VIEWS.escSnooze, notNeeded: VIEWS.escNotNeeded } as const;
export const CRISIS_ACTIONS = { cancelCheckin: ACTIONS.crisisCancelCheckin, outcome: ACTIONS.crisisOutcome } as const;
export const CRISIS_VIEWS = { outcome: VIEWS.crisisOutcome } as const;
export const ANSWER_ACTIONS = { reschedule: ACTIONS.reschedule, cancel: ACTIONS.cancel, keep: ACTIONS.keep } as const;
export const OUTCOME_ACTIONS = { attended: ACTIONS.outcomeAttended, noShow: ACTIONS.outcomeNoShow, logNote: ACTIONS.logNote } as const;
export const ERASURE_ACTIONS = { eraseNow: ACTIONS.erasureEraseNow, hold: ACTIONS.erasureHold } as const;
export const REFERRAL_OUTCOME_ACTION = ACTIONS.referralOutcome;
export const HANDOVER_UNDO_ACTION = ACTIONS.handoverUndo;
export const HANDOVER_VIEW = VIEWS.handover;
export const REDACT_VIEW = VIEWS.noteRedact;
export const RESOURCE_VIEW = VIEWS.resource;
export const REFERRAL_VIEW = VIEWS.referral;
export const ERASURE_HOLD_VIEW = VIEWS.erasureHold;
