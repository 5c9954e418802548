import type { Deps } from '../deps.js';
import type { DeliveryRow } from '../delivery/ledger.js';
import { type CaseRow, loadCase, loadStaff, recipientId, type StaffRow, staffUnreachable } from '../delivery/recipients.js';
import { type AppointmentRow, loadAppointment, staleReason } from './appointment.format.js';
import { RECORD_DUE_HOURS } from './appointment-outcome.service.js';
import { type ActingAnswer, isActingAnswer } from './client-answer.js';

/**
 * What the worker is told about an appointment, decided at send time: the
 * outcome question after it and the client's answer to a reminder. Plain
 * data (rows and decisions); the Slack kinds put it into words and buttons.
 */
type Skip = { skip: string };

async function reachableWorker(deps: Deps, row: DeliveryRow): Promise<StaffRow | Skip> {
  const workerId = recipientId(row.recipient, 'staff');
  const worker = workerId ? await loadStaff(deps.db, workerId) : undefined;
  const unreachable = staffUnreachable(worker);
  return unreachable ? { skip: unreachable } : worker!;
}

export interface OutcomeQuestion {
  appt: AppointmentRow;
  worker: StaffRow;
  case: CaseRow | undefined;
  /** The case's follow-up, when it already falls before the record is due (it stays); else null. */
  followUpKept: Date | null;
  /** When a record of the appointment is due (the case's follow-up is set to then unless kept). */
  recordDue: Date;
}

/** After the appointment: the question to ask, or why not (outcome recorded, appointment changed, worker unreachable). */
export async function outcomeQuestion(deps: Deps, row: DeliveryRow): Promise<OutcomeQuestion | Skip> {
  const appt = await loadAppointment(deps.db, row.subjectId);
  const stale = staleReason(appt, row);
  if (stale) return { skip: stale };
  if (appt!.outcomeAt || appt!.status !== 'scheduled') return { skip: 'outcome_recorded' };
  const worker = await reachableWorker(deps, row);
  if ('skip' in worker) return worker;
  const c = await loadCase(deps.db, appt!.caseId);
  // What the question sets (see expectRecordAfterAppointment), so no follow-up ever moves silently.
  const due = deps.clock.now().plus({ hours: RECORD_DUE_HOURS });
  const kept = !!c?.nextFollowUpAt && c.nextFollowUpAt.getTime() <= due.toMillis();
  return { appt: appt!, worker, case: c, followUpKept: kept ? c!.nextFollowUpAt : null, recordDue: due.toJSDate() };
}

export type AppointmentResponse = { appt: AppointmentRow; worker: StaffRow; case: CaseRow | undefined } & (
  | { acting: true; answer: ActingAnswer }
  | { acting: false; answer: string }
);

/** The client's answer to a reminder (the ledger kind is 'appointment_response.<answer>'), or why it is not told. */
export async function appointmentResponse(deps: Deps, row: DeliveryRow): Promise<AppointmentResponse | Skip> {
  const appt = await loadAppointment(deps.db, row.subjectId);
  if (!appt) return { skip: 'appointment_not_found' };
  if (appt.version !== row.version) return { skip: 'superseded' };
  const answer = row.kind.split('.')[1] ?? '';
  const worker = await reachableWorker(deps, row);
  if ('skip' in worker) return worker;
  const c = await loadCase(deps.db, appt.caseId);
  return isActingAnswer(answer) ? { appt, worker, case: c, acting: true, answer } : { appt, worker, case: c, acting: false, answer };
}
