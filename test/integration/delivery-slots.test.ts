import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { deliveries } from '../../src/db/schema.js';
import { planAppointmentReminders } from '../../src/appointments/reminders.service.js';
import { sendDelivery } from '../../src/delivery/send.service.js';
import { enqueueDueDeliveries } from '../../src/delivery/tick.js';
import { deliverySendJob } from '../../src/jobs/delivery-send.job.js';
import { bookAppointment, clientTexts, createWorld, type World } from './delivery-fixtures.js';

/**
 * A message waiting for the send slot it reserved keeps it: the due-row tick
 * (which promotes jobs whose real-time delay is behind deps.clock) must not
 * wake it early, and a job woken early anyway goes back to waiting for the
 * same slot without claiming the row or sending. Otherwise woken jobs would
 * sleep in a worker for minutes, blocking messages whose slot has come.
 */
let w: World;
beforeAll(async () => {
  // A job horizon wider than the test's days (src/delivery/horizon.ts): planning adds every row's job at once, as it assumes.
  w = await createWorld({ env: { REMINDER_OFFSETS_CLIENT: 'PT24H', REMINDER_OFFSETS_WORKER: 'PT24H', DELIVERY_JOB_HORIZON_SECONDS: String(30 * 24 * 3600) } });
});
afterAll(async () => w?.close());

describe('reserved send slots', () => {
  it('the tick leaves a job delayed to its slot alone; an early run re-waits for the same slot', async () => {
    const apptId = await bookAppointment(w, '2026-11-25T10:00:00Z');
    const { rows } = await planAppointmentReminders(w.deps, apptId);
    const row = rows.find((r) => r.recipient.startsWith('client:'))!;
    w.deps.clock.set(DateTime.fromISO('2026-11-24T10:00:00Z', { zone: 'utc' }));
    const slotAt = Date.now() + 60_000;
    const queue = w.deps.queues.queue(deliverySendJob.queue);
    const jobId = deliverySendJob.jobId({ deliveryId: row.id });
    await queue.remove(jobId);
    await queue.add(deliverySendJob.name, { deliveryId: row.id, slotAt }, { jobId, delay: 60_000 });

    // The worker's copy (no slot yet, its job delayed in real time for tomorrow) is promoted; the client's is not.
    const tick = await enqueueDueDeliveries(w.deps);
    expect(tick.promoted).toBe(1);
    expect(await queue.getJobState(jobId)).toBe('delayed');
    const workerRow = rows.find((r) => r.recipient.startsWith('staff:'))!;
    expect(await queue.getJobState(deliverySendJob.jobId({ deliveryId: workerRow.id }))).toBe('waiting');

    expect(await sendDelivery(w.deps, row.id, { finalAttempt: false, slotAt })).toMatchObject({ kind: 'wait', reason: 'rate_budget', slotAt });
    const [after] = await w.deps.db.select().from(deliveries).where(eq(deliveries.id, row.id));
    expect(after).toMatchObject({ status: 'pending', claimedAt: null, attempts: 0 });
    expect(clientTexts(w)).toHaveLength(0);
  });
});
