import { and, eq, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Deps } from '../deps.js';
import { inTransaction, type Db } from '../db/client.js';
import { appointments, cases, staff } from '../db/schema.js';
import { openEscalation } from '../escalations/escalations.repo.js';
import { requestEscalationSweep } from '../escalations/escalation-sweep.service.js';
import { staffHours } from '../escalations/escalation-config.js';
import { decideAfterNoShow } from './reminders.domain.js';
import { planAppointmentReminders } from './reminders.service.js';
import { loadAppointment } from './appointment.format.js';
import { planCardRefresh } from '../cases/case-card-refresh.js';
import { scheduleAfterCommit, type DeliveryRow } from '../delivery/ledger.js';

/**
 * The worker answers the outcome question. Attended resets the no-show run;
 * a no-show sets the case's next follow-up to the start of the worker's next
 * working day, and a second no-show in a row opens a 'no_show_repeat'
 * escalation that goes straight to the supervisor. Idempotent per appointment
 * version: answering twice (or after a reschedule) changes nothing.
 */
export type OutcomeResult =
  | { ok: true; status: 'recorded' | 'unchanged'; outcome: 'attended' | 'no_show'; followUpAt?: DateTime; supervisorInformed?: boolean }
  | { ok: false; error: 'not_found' | 'outdated' | 'not_allowed' | 'not_yet'; message: string };

export async function recordAppointmentOutcome(
  deps: Deps,
  input: { appointmentId: string; version: number; outcome: 'attended' | 'no_show'; staffId: string },
): Promise<OutcomeResult> {
  const now = deps.clock.now();
  let refresh: DeliveryRow[] = [];
  const out = await inTransaction(deps.db, async (tx): Promise<OutcomeResult> => {
    const result = await recordIn(tx);
    // The card's next appointment and follow-up change with the outcome.
    if (result.ok && result.status === 'recorded') refresh = await planCardRefresh(tx, (await loadAppointment(tx, input.appointmentId))!.caseId, now);
    return result;
  });
  await scheduleAfterCommit(deps, refresh);
  async function recordIn(tx: Db): Promise<OutcomeResult> {
    const [row] = await tx
      .select({ a: appointments, c: cases })
      .from(appointments)
      .innerJoin(cases, eq(cases.id, appointments.caseId))
      .where(eq(appointments.id, input.appointmentId))
      .for('update', { of: appointments })
      .limit(1);
    if (!row) return { ok: false, error: 'not_found', message: 'This appointment no longer exists.' };
    const [who] = await tx
      .select()
      .from(staff)
      .where(and(eq(staff.id, input.staffId), eq(staff.active, true)))
      .limit(1);
    if (!who || (who.role === 'worker' && who.id !== row.a.workerId && who.id !== row.c.assignedWorkerId)) {
      return { ok: false, error: 'not_allowed', message: 'Only the worker on this case or a supervisor can record the outcome.' };
    }
    if (row.a.status === input.outcome) return { ok: true, status: 'unchanged', outcome: input.outcome };
    if (row.a.version !== input.version || row.a.status !== 'scheduled') {
      return {
        ok: false,
        error: 'outdated',
        message: 'This appointment has changed since the question was asked (rescheduled, cancelled or already recorded).',
      };
    }
    // Whether someone came can only be known once the appointment has begun.
    if (row.a.startsAt > now.toJSDate()) {
      return { ok: false, error: 'not_yet', message: 'This appointment has not started yet: its outcome can be recorded once it has begun.' };
    }
    await tx.update(appointments).set({ status: input.outcome, outcomeAt: now.toJSDate(), updatedAt: now.toJSDate() }).where(eq(appointments.id, row.a.id));
    await deps.audit.record(
      { actor: { type: 'staff', id: who.id }, action: `appointment.${input.outcome}`, caseId: row.c.id, subjectType: 'appointment', subjectId: row.a.id },
      tx,
    );
    if (input.outcome === 'attended') {
      await tx.update(cases).set({ consecutiveNoShows: 0, updatedAt: now.toJSDate() }).where(eq(cases.id, row.c.id));
      return { ok: true, status: 'recorded', outcome: 'attended' };
    }
    const [worker] = await tx
      .select()
      .from(staff)
      .where(eq(staff.id, row.c.assignedWorkerId ?? row.a.workerId))
      .limit(1);
    const decision = decideAfterNoShow({ consecutiveNoShows: row.c.consecutiveNoShows + 1, workerWorkingHours: staffHours(worker!), now });
    await tx
      .update(cases)
      .set({
        consecutiveNoShows: sql`${cases.consecutiveNoShows} + 1`,
        nextFollowUpAt: decision.followUpAt.toJSDate(),
        followUpSetAt: now.toJSDate(),
        updatedAt: now.toJSDate(),
      })
      .where(eq(cases.id, row.c.id));
    await deps.audit.record(
      { actor: { type: 'system' }, action: 'case.follow_up_set', caseId: row.c.id, details: { after: 'no_show', at: decision.followUpAt.toISO() } },
      tx,
    );
    if (decision.informSupervisor) {
      const esc = await openEscalation(tx, { caseId: row.c.id, reason: 'no_show_repeat' }, now);
      if (esc.created) {
        await deps.audit.record(
          {
            actor: { type: 'system' },
            action: 'escalation.opened',
            caseId: row.c.id,
            subjectType: 'escalation',
            subjectId: esc.row.id,
            details: { reason: 'no_show_repeat' },
          },
          tx,
        );
      }
    }
    return { ok: true, status: 'recorded', outcome: 'no_show', followUpAt: decision.followUpAt, supervisorInformed: decision.informSupervisor };
  }
  if (out.ok && out.status === 'recorded') {
    await planAppointmentReminders(deps, input.appointmentId); // retires whatever of this appointment was still pending
    if (out.supervisorInformed) await requestEscalationSweep(deps);
  }
  return out;
}

/**
 * After the outcome question goes out, the record of the contact is due:
 * unless a note was logged since the appointment began, the case's next
 * follow-up becomes (question time + RECORD_DUE_HOURS). If no note follows,
 * the normal follow-up ladder nudges the worker, then the supervisor.
 */
export const RECORD_DUE_HOURS = 24;

export async function expectRecordAfterAppointment(deps: Deps, appointmentId: string): Promise<void> {
  const now = deps.clock.now();
  const due = now.plus({ hours: RECORD_DUE_HOURS }).toJSDate();
  await inTransaction(deps.db, async (tx) => {
    const [row] = await tx
      .select({ a: appointments, c: cases })
      .from(appointments)
      .innerJoin(cases, eq(cases.id, appointments.caseId))
      .where(eq(appointments.id, appointmentId))
      .limit(1);
    if (row?.c.status !== 'open') return;
    if (row.c.lastNoteAt && row.c.lastNoteAt >= row.a.startsAt) return;
    // A follow-up already due no later than the record is kept as chosen (whenever it was set): moving it later would hide it.
    if (row.c.nextFollowUpAt && row.c.nextFollowUpAt <= due) return;
    await tx.update(cases).set({ nextFollowUpAt: due, followUpSetAt: row.a.startsAt, updatedAt: now.toJSDate() }).where(eq(cases.id, row.c.id));
    await deps.audit.record(
      { actor: { type: 'system' }, action: 'case.follow_up_set', caseId: row.c.id, details: { after: 'appointment', at: DateTime.fromJSDate(due).toISO() } },
      tx,
    );
  });
}
