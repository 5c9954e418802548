import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { scheduleAppointment } from '../../src/appointments/appointments.service.js';
import { assignCase } from '../../src/cases/case-assign.service.js';
import { appointments, deliveries } from '../../src/db/schema.js';
import { findActiveStaffBySlack } from '../../src/staff/staff.repo.js';
import { flush, newCase, U, useSlackWorld } from './slack-harness.js';

/**
 * An ordinary reassignment (a supervisor picks another worker, not a handover)
 * moves the worker's side of the case with it: the new worker is the one
 * reminded of the case's appointments, and the previous worker, who no longer
 * holds the case, is not.
 */
const w = useSlackWorld();

describe('reassigning a case', () => {
  it("moves the worker's future appointments and their planned reminders to the new worker", async () => {
    const d = w.deps;
    const c = await newCase(w, { assignTo: w.staff.worker, name: 'Reassigned Client' });
    const worker = (await findActiveStaffBySlack(d.db, U.worker))!;
    const booked = await scheduleAppointment(d, worker, {
      caseId: c.caseId,
      date: '2026-11-26',
      time: '10:00',
      durationMin: 45,
      mode: 'phone',
      idempotencyKey: 'appt-reassign',
    });
    expect(booked).toMatchObject({ ok: true });
    await flush(w, { all: true });

    const workerReminders = () =>
      d.db
        .select({ recipient: deliveries.recipient, status: deliveries.status, reason: deliveries.reason, dueAt: deliveries.dueAt })
        .from(deliveries)
        .where(and(eq(deliveries.caseId, c.caseId), eq(deliveries.kind, 'appointment_reminder.PT24H'), eq(deliveries.channel, 'slack')));
    const before = await workerReminders();
    expect(before.map((r) => [r.recipient, r.status])).toEqual([[`staff:${w.staff.worker}`, 'pending']]);

    const sup = (await findActiveStaffBySlack(d.db, U.sup))!;
    const worker2 = (await findActiveStaffBySlack(d.db, U.worker2))!;
    const r = await assignCase(d, sup, c.caseId, worker2);
    expect(r).toMatchObject({ ok: true, status: 'reassigned', previousWorkerId: w.staff.worker });

    const after = await workerReminders();
    expect(after.filter((x) => x.recipient === `staff:${w.staff.worker}`).map((x) => [x.status, x.reason])).toEqual([['skipped', 'handed_over']]);
    const moved = after.filter((x) => x.recipient === `staff:${w.staff.worker2}`);
    expect(moved.map((x) => x.status)).toEqual(['pending']);
    expect(moved[0]!.dueAt).toEqual(before[0]!.dueAt);
    const [appt] = await d.db.select({ workerId: appointments.workerId }).from(appointments).where(eq(appointments.caseId, c.caseId));
    expect(appt!.workerId).toBe(w.staff.worker2);

    // Assigning the same person again changes nothing more.
    expect(await assignCase(d, sup, c.caseId, worker2)).toMatchObject({ ok: true, status: 'already' });
    expect((await workerReminders()).length).toBe(after.length);
  });
});
