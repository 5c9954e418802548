import { afterEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { deliveries, staff } from '../../src/db/schema.js';
import { planAppointmentReminders } from '../../src/appointments/reminders.service.js';
import { rescheduleAppointment } from '../../src/appointments/appointments.service.js';
import { claimDelivery } from '../../src/delivery/claims.js';
import { journalSent } from '../../src/delivery/send-journal.js';
import { sendDelivery } from '../../src/delivery/send.service.js';
import { startWorkers } from '../../workers/start.js';
import { TEST_REDIS_URL } from '../helpers/redis.js';
import { advanceTo, bookAppointment, CLIENT_CHAT, clientTexts, createWorld, settle, type World } from './delivery-fixtures.js';
import { otherProcessDeps } from '../helpers/delivery-world.js';

/**
 * Delivery through the faults the fault suite (test/faults) drives with real
 * processes, here one step at a time with the ManualClock: a reschedule that
 * races its old reminder, a send whose `sent` could not be recorded, a
 * platform that was not configured when its messages fell due.
 */
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});
async function world(opts: Parameters<typeof createWorld>[0] = {}): Promise<World> {
  const w = await createWorld({ ...opts, env: { REMINDER_OFFSETS_CLIENT: 'PT24H', REMINDER_OFFSETS_WORKER: 'PT24H', ...opts.env } });
  cleanups.push(() => w.close());
  return w;
}
const clientRowOf = async (w: World, apptId: string) => (await planAppointmentReminders(w.deps, apptId)).rows.find((r) => r.recipient.startsWith('client:'))!;

describe('delivery recovery', () => {
  it('a reschedule that commits while the old reminder waits for its send slot: the old one is not sent', async () => {
    const w = await world();
    const apptId = await bookAppointment(w, '2026-11-25T10:00:00Z');
    const row = await clientRowOf(w, apptId);
    w.deps.clock.set(DateTime.fromISO('2026-11-24T10:00:01Z', { zone: 'utc' }));
    // The reminder has rendered and claimed its row, and waits in-process for a send slot a moment away.
    const sending = sendDelivery(w.deps, row.id, { finalAttempt: false, slotAt: Date.now() + 700 });
    for (;;) {
      const [r] = await w.deps.db.select({ token: deliveries.claimToken }).from(deliveries).where(eq(deliveries.id, row.id));
      if (r!.token) break;
      await new Promise((res) => setTimeout(res, 5));
    }
    const [worker] = await w.deps.db.select().from(staff).where(eq(staff.id, w.workerId));
    const moved = await rescheduleAppointment(w.deps, worker!, {
      appointmentId: apptId,
      expectedVersion: 1,
      dedupeKey: 'race-1',
      date: '2026-11-27',
      time: '15:00',
      durationMin: 60,
      mode: 'phone',
    });
    expect(moved.ok).toBe(true);

    expect(await sending).toEqual({ kind: 'skipped', reason: 'superseded' });
    expect(clientTexts(w)).toEqual([]);
    const [after] = await w.deps.db.select().from(deliveries).where(eq(deliveries.id, row.id));
    expect(after).toMatchObject({ status: 'skipped', reason: 'superseded' });
  });

  it('an earlier attempt was accepted by Telegram but could not record it (journaled): the next claimant records it and does not send again', async () => {
    const w = await world();
    const row = await clientRowOf(w, await bookAppointment(w, '2026-11-25T10:00:00Z'));
    w.deps.clock.set(DateTime.fromISO('2026-11-24T10:00:00Z', { zone: 'utc' }));
    // The earlier attempt: claimed, sent (Telegram's message 4242), PostgreSQL down, journaled, then the process exited.
    expect(await claimDelivery(w.deps.db, row.id, 'dead-attempt', w.deps.clock.now(), w.deps.config.DELIVERY_CLAIM_LEASE_SECONDS)).not.toBeNull();
    await journalSent(w.deps.redis, w.deps.config.QUEUE_PREFIX, row.id, { externalRef: '4242', chatId: CLIENT_CHAT });
    w.deps.clock.set(w.deps.clock.now().plus({ seconds: w.deps.config.DELIVERY_CLAIM_LEASE_SECONDS + 1 }));

    expect(await sendDelivery(w.deps, row.id, { finalAttempt: false })).toEqual({ kind: 'sent', externalRef: '4242' });
    expect(w.tg.calls.filter((c) => c.method === 'sendMessage')).toHaveLength(0);
    const [after] = await w.deps.db.select().from(deliveries).where(eq(deliveries.id, row.id));
    expect(after).toMatchObject({ status: 'sent', externalRef: '4242', attempts: 2 });
  });

  it('messages failed as "telegram_not_configured" are sent once a workers process that can send for Telegram starts', async () => {
    const w = await world({ env: { TELEGRAM_BOT_TOKEN: '' } });
    const row = await clientRowOf(w, await bookAppointment(w, '2026-11-25T10:00:00Z'));
    w.deps.clock.set(DateTime.fromISO('2026-11-24T10:00:00Z', { zone: 'utc' }));
    expect(await sendDelivery(w.deps, row.id, { finalAttempt: false })).toEqual({ kind: 'failed', reason: 'telegram_not_configured' });

    // The operator sets the token and starts the workers again.
    const fixed = await otherProcessDeps(w, Object.freeze({ ...w.deps.config, TELEGRAM_BOT_TOKEN: w.tg.token }), TEST_REDIS_URL);
    const running = await startWorkers(fixed, { queues: ['delivery'] });
    cleanups.push(async () => {
      await running.close(2000);
      await fixed.close();
      await fixed.redis.quit().catch(() => undefined);
    });
    const [requeued] = await w.deps.db.select().from(deliveries).where(eq(deliveries.id, row.id));
    expect(requeued).toMatchObject({ status: 'pending', reason: null });
    await advanceTo(w, '2026-11-24T10:00:05Z');
    await settle(w);
    expect(clientTexts(w)).toHaveLength(1);
    const [after] = await w.deps.db.select().from(deliveries).where(eq(deliveries.id, row.id));
    expect(after).toMatchObject({ status: 'sent' });
  });
});
