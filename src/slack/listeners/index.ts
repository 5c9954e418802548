import type { App } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import { registerCaseCommand } from './commands/case.command.js';
import { registerIntakeAssignMe } from './actions/intake-assign-me.js';
import { registerIntakeAssignPick } from './actions/intake-assign-pick.js';
import { registerCaseShow } from './actions/case-show.js';
import { registerCaseLogNote } from './actions/case-log-note.js';
import { registerCaseSchedule } from './actions/case-schedule.js';
import { registerCaseGoals } from './actions/case-goals.js';
import { registerCasePhase } from './actions/case-phase.js';
import { registerCaseMessage } from './actions/case-message.js';
import { registerCaseClose } from './actions/case-close.js';
import { registerApptReschedule } from './actions/appt-reschedule.js';
import { registerApptCancel } from './actions/appt-cancel.js';
import { registerNoteView } from './views/note.view.js';
import { registerAppointmentView } from './views/appointment.view.js';
import { registerAppointmentCancelView } from './views/appointment-cancel.view.js';
import { registerGoalsView } from './views/goals.view.js';
import { registerPhaseView } from './views/phase.view.js';
import { registerCloseView } from './views/close.view.js';
import { registerMessageView } from './views/message.view.js';
import { registerAppHomeOpened } from './events/app-home-opened.js';
import { registerMessageIm } from './events/message-im.js';
import { registerEscAck } from './actions/esc-ack.js';
import { registerEscSnooze } from './actions/esc-snooze.js';
import { registerEscSnoozeDay } from './actions/esc-snooze-day.js';
import { registerEscNotNeeded } from './actions/esc-not-needed.js';
import { registerApptOutcomeAttended } from './actions/appt-outcome-attended.js';
import { registerApptOutcomeNoShow } from './actions/appt-outcome-no-show.js';
import { registerCaseOpen } from './actions/case-open.js';
import { registerCaseReassign } from './actions/case-reassign.js';
import { registerEscSnoozeView } from './views/esc-snooze.view.js';
import { registerEscNotNeededView } from './views/esc-not-needed.view.js';
import { registerCrisisButtons } from '../crisis-buttons.flow.js';
import { registerCaseFullIntake } from './actions/case-full-intake.js';
import { registerCaseHistory } from './actions/case-history.js';
import { registerApptKeep } from './actions/appt-keep.js';
import { registerErasureEraseNow } from './actions/erasure-erase-now.js';
import { registerErasureHold } from './actions/erasure-hold.js';
import { registerErasureHoldView } from './views/erasure-hold.view.js';
import { registerNoteRedactView } from './views/note-redact.view.js';
import { registerHandoverView } from './views/handover.view.js';
import { registerHandoverUndo } from './actions/handover-undo.js';
import { registerResourceView } from './views/resource.view.js';
import { registerReferralView } from './views/referral.view.js';
import { registerReferralOutcome } from './actions/referral-outcome.js';
import { registerAssignOverLimitView } from './views/assign-over-limit.view.js';

/**
 * Every Slack listener, one callback per file under commands/, actions/,
 * views/ and events/. Each file exports a `register(app, deps)` function;
 * add one import and one entry below for yours. Handlers ack first (Slack
 * allows 3 s), then do the work, and check role and case access on the
 * server (src/slack/access.ts) — never trusting what a button carries.
 */
export type RegisterListener = (app: App, deps: Deps) => void;

const LISTENERS: RegisterListener[] = [
  registerCaseCommand,
  registerIntakeAssignMe,
  registerIntakeAssignPick,
  registerCaseShow,
  registerCaseLogNote,
  registerCaseSchedule,
  registerCaseGoals,
  registerCasePhase,
  registerCaseMessage,
  registerCaseClose,
  registerApptReschedule,
  registerApptCancel,
  registerNoteView,
  registerAppointmentView,
  registerAppointmentCancelView,
  registerGoalsView,
  registerPhaseView,
  registerCloseView,
  registerMessageView,
  registerAppHomeOpened,
  registerMessageIm,
  registerEscAck,
  registerEscSnooze,
  registerEscSnoozeDay,
  registerEscNotNeeded,
  registerApptOutcomeAttended,
  registerApptOutcomeNoShow,
  registerCaseOpen,
  registerCaseReassign,
  registerEscSnoozeView,
  registerEscNotNeededView,
  registerCrisisButtons,
  registerCaseFullIntake,
  registerCaseHistory,
  registerApptKeep,
  registerErasureEraseNow,
  registerErasureHold,
  registerErasureHoldView,
  registerNoteRedactView,
  registerHandoverView,
  registerHandoverUndo,
  registerResourceView,
  registerReferralView,
  registerReferralOutcome,
  registerAssignOverLimitView,
];

export function registerListeners(app: App, deps: Deps): void {
  for (const register of LISTENERS) register(app, deps);
}
