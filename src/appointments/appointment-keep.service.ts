import { eq } from 'drizzle-orm';
import type { Deps } from '../deps.js';
import { appointments } from '../db/schema.js';
import { FieldRefusal, mutateCase, type Mutation } from '../cases/case-mutation.js';
import type { StaffRow } from '../staff/staff.repo.js';
import { clearAnswerFollowUp, isActingAnswer } from './client-answer.js';
import type { AppointmentRow } from './appointment.format.js';

/**
 * [Keep it] under a client's "can't come" / "another time": the worker
 * decides the appointment stays as it is (e.g. they spoke to the client).
 * Nothing about the appointment changes; the decision is audited and the
 * follow-up the answer set is cleared, so no nudge follows. The client's
 * reminders stay off: they said this time does not work, and the worker
 * tells them otherwise in their own words.
 */
export type KeepResult = { appointment: AppointmentRow; answer: string | null };

export async function keepAppointment(
  deps: Deps,
  actor: StaffRow,
  appointmentId: string,
  version: number,
): Promise<Mutation<KeepResult> | { ok: false; message: string; stale: AppointmentRow }> {
  const [current] = await deps.db.select().from(appointments).where(eq(appointments.id, appointmentId)).limit(1);
  if (!current) return { ok: false, message: 'This appointment no longer exists.' };
  const now = deps.clock.now();
  if (current.version !== version || current.status !== 'scheduled' || current.startsAt.getTime() <= now.toMillis())
    return { ok: false, message: 'stale', stale: current };
  return mutateCase(deps, actor, current.caseId, {}, async (tx, c) => {
    const [appt] = await tx.select().from(appointments).where(eq(appointments.id, appointmentId)).for('update').limit(1);
    if (!appt || appt.version !== version || appt.status !== 'scheduled')
      throw new FieldRefusal({ field: '', message: 'This appointment changed a moment ago. Look at its latest message.' });
    const cleared = await clearAnswerFollowUp(tx, appt, now);
    await deps.audit.record(
      {
        actor: { type: 'staff', id: actor.id },
        action: 'appointment.kept',
        caseId: c.id,
        subjectType: 'appointment',
        subjectId: appt.id,
        details: { version: appt.version, answer: isActingAnswer(appt.clientResponse) ? appt.clientResponse : null, followUpCleared: cleared },
      },
      tx,
    );
    return { appointment: appt, answer: appt.clientResponse };
  });
}
