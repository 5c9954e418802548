import { afterEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Deps } from '../../src/deps.js';
import { deliveries } from '../../src/db/schema.js';
import { scheduleAppointment } from '../../src/appointments/appointments.service.js';
import { enqueueDueDeliveries } from '../../src/delivery/tick.js';
import { findStaffById } from '../../src/staff/staff.repo.js';
import { createWorld, type World } from './delivery-fixtures.js';
import { otherProcessDeps } from '../helpers/delivery-world.js';
import { startPrivateRedis } from '../helpers/private-redis.js';

/**
 * Booking while Redis is down: the appointment and its messages are committed
 * in PostgreSQL, so the form must not wait for Redis (BullMQ's add would wait
 * for the connection for as long as Redis is down). Redis here is this test's
 * own throwaway server, never the shared one.
 */
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

describe('booking while Redis is down', () => {
  it('returns at once with the appointment booked; its messages are committed pending and queued by the tick once Redis is back', async () => {
    const w: World = await createWorld();
    cleanups.push(() => w.close());
    const redis = await startPrivateRedis();
    cleanups.push(() => redis.kill());
    const url = redis.url;
    const deps: Deps = await otherProcessDeps(w, Object.freeze({ ...w.deps.config, REDIS_URL: url }), url);
    cleanups.push(async () => {
      await deps.close().catch(() => undefined);
      deps.redis.disconnect();
    });
    const worker = (await findStaffById(deps.db, w.workerId))!;
    // Connection errors while Redis is down are expected here; keep them out of the test output.
    deps.redis.on('error', () => undefined);
    for (const q of deps.queues.all()) q.on('error', () => undefined);

    await redis.kill();
    const res = await scheduleAppointment(deps, worker, {
      caseId: w.caseId,
      date: '2026-11-25',
      time: '10:00',
      durationMin: 60,
      mode: 'phone',
      idempotencyKey: 'redis-down-1',
    });
    // The booking came back while Redis was still down.
    expect(redis.running()).toBe(false);
    if (!res.ok || res.duplicate) throw new Error(`not booked: ${JSON.stringify(res)}`);
    const rows = await deps.db.select().from(deliveries).where(eq(deliveries.subjectId, res.value.appointment.id));
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.every((r) => r.status === 'pending')).toBe(true);

    // Redis back (empty, as after a crash without persistence): the due-row scan queues the notice, which is due now.
    await redis.restart();
    const notice = rows.find((r) => r.kind === 'appointment_notice')!;
    const queued = async () => {
      const ok = await enqueueDueDeliveries(deps).then(
        () => true,
        () => false,
      );
      return ok ? await deps.queues.queue('delivery').getJob(`delivery-${notice.id}`) : undefined;
    };
    // As long as the test may take (its timeout): the scan is retried until Redis takes the job.
    await expect.poll(queued, { timeout: 30_000, interval: 100 }).toBeTruthy();
  });
});
