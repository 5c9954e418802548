import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { planAppointmentReminders } from '../../src/appointments/reminders.service.js';
import { reconcileDeliveries } from '../../src/delivery/reconcile.js';
import { enqueueDueDeliveries } from '../../src/delivery/tick.js';
import { deliverySendJob } from '../../src/jobs/delivery-send.job.js';
import { startWorkers, type RunningWorkers } from '../../workers/start.js';
import { advanceTo, clientTexts, createWorld, bookAppointment, ledger, settle, slackTexts, WORKER_SLACK, type World } from './delivery-fixtures.js';

/**
 * The job horizon (src/delivery/horizon.ts): planning adds BullMQ jobs only for
 * rows due within it; the reconciler adds the others as the clock brings them
 * within it. Time moves by ManualClock; the real workers send.
 */
let w: World;
let workers: RunningWorkers;

beforeAll(async () => {
  // Horizon 1 h (4 reconcile periods of 10 min = 40 min is less, so 1 h stands).
  w = await createWorld({ env: { DELIVERY_JOB_HORIZON_SECONDS: '3600', RECONCILE_EVERY_SECONDS: '600' } });
  workers = await startWorkers(w.deps, { queues: ['delivery'] });
});
afterAll(async () => {
  await workers?.close(2000);
  await w?.close();
});

const jobOf = (id: string) => w.deps.queues.queue('delivery').getJob(deliverySendJob.jobId({ deliveryId: id }));
const setClock = (iso: string) => w.deps.clock.set(DateTime.fromISO(iso, { zone: 'utc' }));

describe('delivery job horizon', () => {
  it('adds no job for a reminder due beyond the horizon; the reconciler adds it once within; it is sent exactly once', async () => {
    // Booked Monday 09:00 for Wednesday 10:00: the day-before reminders are due Tuesday 10:00, 25 h away.
    const apptId = await bookAppointment(w, '2026-11-25T10:00:00Z');
    const plan = await planAppointmentReminders(w.deps, apptId);
    const dayBefore = plan.rows.filter((r) => r.kind === 'appointment_reminder.PT24H');
    expect(dayBefore).toHaveLength(2);
    for (const r of plan.rows) expect(await jobOf(r.id)).toBeUndefined();

    // 61 minutes before: still beyond the horizon.
    setClock('2026-11-24T08:59:00Z');
    expect(await reconcileDeliveries(w.deps)).toEqual({ pending: 0, present: 0, enqueued: 0 });
    for (const r of plan.rows) expect(await jobOf(r.id)).toBeUndefined();

    // 59 minutes before: within it. The reconciler adds exactly the two day-before reminders, delayed to their time.
    setClock('2026-11-24T09:01:00Z');
    expect(await reconcileDeliveries(w.deps)).toEqual({ pending: 2, present: 0, enqueued: 2 });
    for (const r of dayBefore) {
      const job = await jobOf(r.id);
      expect(await job?.getState()).toBe('delayed');
      expect(job?.opts.delay).toBe(59 * 60_000);
    }
    for (const r of plan.rows.filter((r) => !dayBefore.includes(r))) expect(await jobOf(r.id)).toBeUndefined();
    // Run again: nothing added twice.
    expect(await reconcileDeliveries(w.deps)).toEqual({ pending: 2, present: 2, enqueued: 0 });

    await advanceTo(w, '2026-11-24T10:00:00Z');
    await settle(w);
    expect(clientTexts(w)).toHaveLength(1);
    expect(slackTexts(w, WORKER_SLACK)).toHaveLength(1);

    // Another reconcile and tick after the send: nothing goes out again.
    await reconcileDeliveries(w.deps);
    await enqueueDueDeliveries(w.deps);
    await settle(w);
    expect(clientTexts(w)).toHaveLength(1);
    expect(slackTexts(w, WORKER_SLACK)).toHaveLength(1);
    const rows = await ledger(w);
    expect(rows.filter((r) => r.kind === 'appointment_reminder.PT24H').map((r) => r.status)).toEqual(['sent', 'sent']);
    expect(rows.filter((r) => r.kind !== 'appointment_reminder.PT24H' && r.status !== 'pending')).toEqual([]);
  });
});
