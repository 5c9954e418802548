import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, inArray } from 'drizzle-orm';
import { appointments, auditLog, clients, deliveries } from '../../src/db/schema.js';
import { scheduleAppointment } from '../../src/appointments/appointments.service.js';
import { planAppointmentReminders } from '../../src/appointments/reminders.service.js';
import { jobHorizonMs } from '../../src/delivery/horizon.js';
import { findStaffById, type StaffRow } from '../../src/staff/staff.repo.js';
import { createWorld, type World } from './delivery-fixtures.js';
import { makeCase, makeStaff, stamped } from '../helpers/factories.js';

/**
 * What one booking writes, through the booking path (case lock reading the
 * client and worker, one ledger insert for the notice and the whole reminder
 * plan, both audit entries at once): it must be exactly what the general
 * planning path (used by reschedule and cancel) would have produced, with one
 * send job per pending row, and a double submit must book once.
 */
let w: World;
let worker: StaffRow;

beforeAll(async () => {
  w = await createWorld();
  worker = (await findStaffById(w.deps.db, w.workerId))!;
});
afterAll(async () => {
  await w?.close();
});

/** Queued send jobs for messages (the card and App Home refreshes every change also queues are left out; see slack-live-cards.test.ts). */
async function queuedDeliveryIds(): Promise<string[]> {
  const jobs = await w.deps.queues.queue('delivery').getJobs(['delayed', 'waiting']);
  const refresh = new Set(
    (
      await w.deps.db
        .select({ id: deliveries.id })
        .from(deliveries)
        .where(inArray(deliveries.kind, ['case_card_update', 'app_home']))
    ).map((r) => r.id),
  );
  return jobs
    .map((j) => (j.data as { deliveryId: string }).deliveryId)
    .filter((id) => !refresh.has(id))
    .sort();
}

/** Booking adds send jobs only for rows due within the job horizon (src/delivery/horizon.ts); the reconciler adds the rest later. */
function dueWithinHorizon(rows: Array<{ id: string; status: string; dueAt: Date; notBefore: Date | null }>): string[] {
  const until = w.deps.clock.now().toMillis() + jobHorizonMs(w.deps.config);
  return rows.filter((r) => r.status === 'pending' && (r.notBefore ?? r.dueAt).getTime() <= until).map((r) => r.id);
}

async function rowsOf(apptId: string) {
  return w.deps.db.select().from(deliveries).where(eq(deliveries.subjectId, apptId));
}

async function auditOf(apptId: string) {
  return w.deps.db.select().from(auditLog).where(eq(auditLog.subjectId, apptId)).orderBy(auditLog.id);
}

describe('booking an appointment', () => {
  it('writes the appointment, two audit entries, the notice and the reminder plan, and one job per pending row due within the job horizon; a double submit books once', async () => {
    // Monday 23 Nov 09:00 UTC; Wednesday 25 Nov 10:00 London (GMT) typed by the worker.
    const input = { caseId: w.caseId, date: '2026-11-25', time: '10:00', durationMin: 60, mode: 'in_person', idempotencyKey: 'booking-writes-1' };
    const res = await scheduleAppointment(w.deps, worker, input);
    if (!res.ok || res.duplicate) throw new Error(`not booked: ${JSON.stringify(res)}`);
    const appt = res.value.appointment;
    expect(appt).toMatchObject({
      caseId: w.caseId,
      workerId: w.workerId,
      durationMin: 60,
      mode: 'in_person',
      status: 'scheduled',
      version: 1,
      idempotencyKey: 'booking-writes-1',
    });
    expect(appt.startsAt.toISOString()).toBe('2026-11-25T10:00:00.000Z');
    expect(await w.deps.db.select().from(appointments).where(eq(appointments.caseId, w.caseId))).toEqual([appt]);

    const rows = await rowsOf(appt.id);
    expect(rows.map((r) => [r.kind, r.recipient, r.channel, r.dueAt.toISOString(), r.status, r.version, r.caseId]).sort()).toEqual([
      ['appointment_notice', `client:${w.clientId}`, 'telegram', '2026-11-23T09:00:00.000Z', 'pending', 1, w.caseId],
      ['appointment_reminder.PT24H', `client:${w.clientId}`, 'telegram', '2026-11-24T10:00:00.000Z', 'pending', 1, w.caseId],
      ['appointment_reminder.PT24H', `staff:${w.workerId}`, 'slack', '2026-11-24T10:00:00.000Z', 'pending', 1, w.caseId],
      ['appointment_reminder.PT2H', `client:${w.clientId}`, 'telegram', '2026-11-25T08:00:00.000Z', 'pending', 1, w.caseId],
      ['appointment_reminder.PT30M', `staff:${w.workerId}`, 'slack', '2026-11-25T09:30:00.000Z', 'pending', 1, w.caseId],
      ['outcome_question', `staff:${w.workerId}`, 'slack', '2026-11-25T12:00:00.000Z', 'pending', 1, w.caseId],
    ]);
    // Only the notice (due now) is within the horizon; the reminders get their jobs from the reconciler later.
    expect(dueWithinHorizon(rows)).toEqual(rows.filter((r) => r.kind === 'appointment_notice').map((r) => r.id));
    expect(await queuedDeliveryIds()).toEqual(dueWithinHorizon(rows).sort());

    const audit = await auditOf(appt.id);
    expect(audit.map((a) => [a.action, a.actorType, a.actorId, a.caseId, a.details])).toEqual([
      ['appointment.scheduled', 'staff', w.workerId, w.caseId, { mode: 'in_person', durationMin: 60 }],
      ['appointment.reminders_planned', 'system', null, w.caseId, { version: 1, status: 'scheduled', planned: 5, retired: 0 }],
    ]);

    // The general planning path (reschedule, cancel) finds nothing to add or retire: the same rows, by id.
    const general = await w.deps.db.transaction((tx) => planAppointmentReminders(w.deps, appt.id, tx));
    expect(general.retired).toBe(0);
    expect(general.rows.map((r) => r.id).sort()).toEqual(
      rows
        .filter((r) => r.kind !== 'appointment_notice')
        .map((r) => r.id)
        .sort(),
    );

    // Double submit: the same idempotency key books nothing more and queues nothing more.
    const again = await scheduleAppointment(w.deps, worker, input);
    expect(again).toEqual({ ok: true, duplicate: true });
    expect(await w.deps.db.select().from(appointments).where(eq(appointments.caseId, w.caseId))).toHaveLength(1);
    expect(await rowsOf(appt.id)).toHaveLength(6);
    expect(await auditOf(appt.id)).toHaveLength(3); // the two above + the general path's own entry
    expect(await queuedDeliveryIds()).toEqual(dueWithinHorizon(rows).sort());
  });

  it('records the reminders it will not send (client opted out) and queues only the rest', async () => {
    await w.deps.db.update(clients).set({ remindersOff: true }).where(eq(clients.id, w.clientId));
    const before = await queuedDeliveryIds();
    const res = await scheduleAppointment(w.deps, worker, {
      caseId: w.caseId,
      date: '2026-12-02',
      time: '14:30',
      durationMin: 30,
      mode: 'phone',
      idempotencyKey: 'booking-writes-2',
    });
    if (!res.ok || res.duplicate) throw new Error(`not booked: ${JSON.stringify(res)}`);
    const rows = await rowsOf(res.value.appointment.id);
    expect(rows.map((r) => [r.kind, r.recipient.split(':')[0], r.status, r.reason]).sort()).toEqual([
      ['appointment_notice', 'client', 'pending', null],
      ['appointment_reminder.PT24H', 'client', 'skipped', 'reminders_off'],
      ['appointment_reminder.PT24H', 'staff', 'pending', null],
      ['appointment_reminder.PT2H', 'client', 'skipped', 'reminders_off'],
      ['appointment_reminder.PT30M', 'staff', 'pending', null],
      ['outcome_question', 'staff', 'pending', null],
    ]);
    const pending = dueWithinHorizon(rows);
    expect(pending).toEqual(rows.filter((r) => r.kind === 'appointment_notice').map((r) => r.id));
    expect(await queuedDeliveryIds()).toEqual([...before, ...pending].sort());
    const audit = await auditOf(res.value.appointment.id);
    expect(audit.map((a) => [a.action, a.details])).toEqual([
      ['appointment.scheduled', { mode: 'phone', durationMin: 30 }],
      ['appointment.reminders_planned', { version: 1, status: 'scheduled', planned: 3, retired: 0 }],
    ]);
  });

  it("refuses someone else's case and an unassigned one without writing anything; the worker's supervisor may book", async () => {
    const now = w.deps.clock.now().toJSDate();
    const other = await makeStaff(w.deps.db, { slackUserId: 'U0OTHER01', displayName: 'Other', role: 'worker', timeZone: 'Europe/London', ...stamped(now) });
    const unassigned = await makeCase(w.deps.db, { clientId: w.clientId, category: 'family', priority: 'normal' }, w.deps.clock.now());
    const count = async () => [
      (await w.deps.db.select().from(appointments)).length,
      (await w.deps.db.select().from(deliveries)).length,
      (await w.deps.db.select().from(auditLog)).length,
      (await queuedDeliveryIds()).length,
    ];
    const before = await count();
    const input = { date: '2026-12-03', time: '09:00', durationMin: 60, mode: 'video' };

    expect(await scheduleAppointment(w.deps, other!, { ...input, caseId: w.caseId, idempotencyKey: 'booking-writes-3' })).toMatchObject({
      ok: false,
      field: 'case',
      message: expect.stringMatching(/^I can't show case: there is no such case among the ones you can see/),
    });
    const supervisor = (await findStaffById(w.deps.db, w.supervisorId))!;
    expect(await scheduleAppointment(w.deps, supervisor, { ...input, caseId: unassigned.id, idempotencyKey: 'booking-writes-4' })).toEqual({
      ok: false,
      field: 'date',
      message: 'Assign the case to a worker before booking an appointment.',
    });
    // Nothing written but the refusal's own audit row.
    expect(await count()).toEqual([before[0], before[1], before[2]! + 1, before[3]]);
    const [refused] = await w.deps.db.select().from(auditLog).where(eq(auditLog.action, 'case.access_refused'));
    expect(refused).toMatchObject({ actorId: other.id, caseId: w.caseId, details: { attempted: w.caseId, via: 'change' } });

    const res = await scheduleAppointment(w.deps, supervisor, { ...input, caseId: w.caseId, idempotencyKey: 'booking-writes-5' });
    if (!res.ok || res.duplicate) throw new Error(`not booked: ${JSON.stringify(res)}`);
    expect(res.value.appointment.workerId).toBe(w.workerId);
    expect((await auditOf(res.value.appointment.id)).map((a) => [a.action, a.actorId])).toEqual([
      ['appointment.scheduled', w.supervisorId],
      ['appointment.reminders_planned', null],
    ]);
  });
});
