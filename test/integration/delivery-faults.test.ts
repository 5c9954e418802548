import { afterEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { deliveries } from '../../src/db/schema.js';
import { planAppointmentReminders } from '../../src/appointments/reminders.service.js';
import { claimDelivery } from '../../src/delivery/claims.js';
import { checkSchedules, scheduleIds } from '../../workers/schedules.js';
import { QUEUE_NAMES } from '../../src/jobs/job.js';
import { reconcileDeliveries } from '../../src/delivery/reconcile.js';
import { sendDelivery } from '../../src/delivery/send.service.js';
import { deliverySendJob } from '../../src/jobs/delivery-send.job.js';
import { startWorkers, type RunningWorkers } from '../../workers/start.js';
import { deleteRedisPrefix, TEST_REDIS_URL } from '../helpers/redis.js';
import { advanceTo, bookAppointment, clientTexts, createWorld, ledger, settle, slackTexts, WORKER_SLACK, type World } from './delivery-fixtures.js';
import { otherProcessDeps } from '../helpers/delivery-world.js';

/**
 * Faults around the sender. Every test asserts exactly which messages reached
 * the emulators and how many times.
 */
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function world(opts: Parameters<typeof createWorld>[0] = {}): Promise<World> {
  const w = await createWorld(opts);
  cleanups.push(() => w.close());
  return w;
}
async function workersFor(deps: World['deps']): Promise<RunningWorkers> {
  const r = await startWorkers(deps, { queues: ['delivery'] });
  cleanups.push(() => r.close(2000));
  return r;
}

// A job horizon wider than these tests' days (src/delivery/horizon.ts): planning adds every row's job at once, as they assume.
const ONE_REMINDER_EACH = { REMINDER_OFFSETS_CLIENT: 'PT24H', REMINDER_OFFSETS_WORKER: 'PT24H', DELIVERY_JOB_HORIZON_SECONDS: String(30 * 24 * 3600) };

describe('delivery faults', () => {
  it('Redis flushed while reminders are pending: schedules are rebuilt from PostgreSQL and every reminder goes out once', async () => {
    const w = await world({ env: ONE_REMINDER_EACH });
    await workersFor(w.deps);
    const apptId = await bookAppointment(w, '2026-11-25T10:00:00Z');
    await planAppointmentReminders(w.deps, apptId);
    const sendJobs = async () => (await w.deps.queues.queue('delivery').getJobs(['delayed', 'waiting'])).filter((j) => j.name === deliverySendJob.name).length;
    expect(await sendJobs()).toBe(3);

    const schedulers = async () =>
      (await Promise.all(QUEUE_NAMES.map((q) => w.deps.queues.queue(q).getJobSchedulers())))
        .flat()
        .map((s) => s.key ?? s.id)
        .sort();
    const started = await schedulers();
    expect(started).toEqual([...scheduleIds()].sort());
    expect(started).toContain('intake-sweep');
    await deleteRedisPrefix(w.deps.config.QUEUE_PREFIX); // everything: delayed jobs, schedulers, rate budgets
    expect(await sendJobs()).toBe(0);
    expect(await schedulers()).toEqual([]);
    expect(await checkSchedules(w.deps)).toBe(true); // the watchdog notices and rebuilds
    expect(await checkSchedules(w.deps)).toBe(false);
    // …all of them, the intake sweep too (idle nudges, draft deletion after 7 days), not only the delivery ones.
    expect(await schedulers()).toEqual(started);
    const r = await reconcileDeliveries(w.deps); // what the queued reconcile run does
    expect(r).toMatchObject({ pending: 3, enqueued: 3 });

    await advanceTo(w, '2026-11-24T10:00:00Z');
    await settle(w);
    await advanceTo(w, '2026-11-25T12:00:00Z');
    await settle(w);
    expect(clientTexts(w)).toHaveLength(1);
    expect(slackTexts(w, WORKER_SLACK)).toEqual([expect.stringMatching(/^Reminder: appointment/), expect.stringMatching(/^How did the appointment/)]);
    expect((await ledger(w)).map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
  });

  it('a worker that died mid-send (claimed, never finished) does not block the row forever, and it is sent once', async () => {
    const w = await world({ env: { ...ONE_REMINDER_EACH, DELIVERY_CLAIM_LEASE_SECONDS: '120' } });
    await workersFor(w.deps);
    const apptId = await bookAppointment(w, '2026-11-25T10:00:00Z');
    const { rows } = await planAppointmentReminders(w.deps, apptId);
    const clientRow = rows.find((r) => r.recipient.startsWith('client:'))!;
    // The dead worker: claimed the row at 10:00:00, then the process vanished (no outcome written).
    w.deps.clock.set(DateTime.fromISO('2026-11-24T10:00:00Z', { zone: 'utc' }));
    expect(await claimDelivery(w.deps.db, clientRow.id, 'dead-worker', w.deps.clock.now(), 120)).not.toBeNull();
    await advanceTo(w, '2026-11-24T10:00:00Z');
    await settle(w);
    expect(clientTexts(w)).toHaveLength(0);
    expect(slackTexts(w, WORKER_SLACK)).toHaveLength(1); // the worker's reminder was not held up
    const before = 0;

    // While the lease is live, a retry of the job (BullMQ stalled-job recovery) must not send.
    expect(await sendDelivery(w.deps, clientRow.id, { finalAttempt: false })).toEqual({ kind: 'skipped', reason: 'claimed_by_another_attempt' });
    await advanceTo(w, '2026-11-24T10:01:59Z');
    await settle(w);
    expect(clientTexts(w)).toHaveLength(before);

    // Lease over: the tick hands the row to a live worker, which sends it once.
    await advanceTo(w, '2026-11-24T10:02:01Z');
    await settle(w);
    expect(clientTexts(w)).toHaveLength(before + 1);
    const [row] = await w.deps.db.select().from(deliveries).where(eq(deliveries.id, clientRow.id));
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
    // The dead worker's late outcome cannot overwrite it (it no longer holds the claim).
    await advanceTo(w, '2026-11-24T10:10:00Z');
    await settle(w);
    expect(clientTexts(w)).toHaveLength(before + 1);
  });

  it('a 429 from Telegram and Slack: waits as told, then each message goes out exactly once', async () => {
    const w = await world({
      env: { ...ONE_REMINDER_EACH, TELEGRAM_CHAT_MESSAGES_PER_SECOND: '5', SLACK_CHANNEL_MESSAGES_PER_SECOND: '5' },
      // The platforms are stricter than our budget, so they answer 429 with a retry time.
      tg: { rateLimits: { perChat: { limit: 1, windowMs: 2000 }, global: false } },
      slack: { rateLimits: { perChannel: { limit: 1, windowMs: 2000 } } },
    });
    await workersFor(w.deps);
    for (const h of [10, 11, 12]) await planAppointmentReminders(w.deps, await bookAppointment(w, `2026-11-25T${h}:00:00Z`));
    await advanceTo(w, '2026-11-24T12:00:00Z');
    await settle(w, 20_000);

    expect(clientTexts(w)).toHaveLength(3);
    expect(slackTexts(w, WORKER_SLACK)).toHaveLength(3);
    expect(new Set(clientTexts(w)).size).toBe(3);
    expect(w.tg.stats.rateLimited).toBeGreaterThan(0);
    // After every 429, nothing more was accepted for that chat before the time Telegram gave.
    const tgSends = w.tg.calls.filter((c) => c.method === 'sendMessage');
    for (const [i, c] of tgSends.entries()) {
      if (c.ok) continue;
      const retryMs = Number(c.error!.parameters!.retry_after) * 1000;
      const nextOk = tgSends.slice(i + 1).find((n) => n.ok);
      if (nextOk) expect(nextOk.time - c.time).toBeGreaterThanOrEqual(retryMs - 50);
    }
    const slackPosts = w.slack.calls.filter((c) => c.method === 'chat.postMessage');
    expect(slackPosts.some((c) => c.status === 429)).toBe(true);
    const rows = await ledger(w);
    expect(rows.filter((r) => r.kind.startsWith('appointment_reminder')).map((r) => r.status)).toEqual(Array(6).fill('sent'));
    expect(rows.filter((r) => r.kind.startsWith('appointment_reminder')).every((r) => r.sentAt !== null)).toBe(true);
  }, 40_000);

  it('the same job added twice (and once more under another id) sends once', async () => {
    const w = await world({ env: ONE_REMINDER_EACH });
    const apptId = await bookAppointment(w, '2026-11-25T10:00:00Z');
    const { rows } = await planAppointmentReminders(w.deps, apptId);
    const clientRow = rows.find((r) => r.recipient.startsWith('client:'))!;
    w.deps.clock.set(w.deps.clock.now().plus({ days: 1, hours: 1 }));
    await w.deps.queues.add(deliverySendJob, { deliveryId: clientRow.id }, { delay: 0 });
    await w.deps.queues.add(deliverySendJob, { deliveryId: clientRow.id }, { delay: 0 });
    await w.deps.queues.queue('delivery').add(deliverySendJob.name, { deliveryId: clientRow.id }, { jobId: 'another-id-same-row' });
    await workersFor(w.deps);
    await settle(w);
    expect(clientTexts(w)).toHaveLength(1);
    const [row] = await w.deps.db.select().from(deliveries).where(eq(deliveries.id, clientRow.id));
    expect(row).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('two worker processes on the same queues: each message exactly once', async () => {
    const w = await world({
      env: { ...ONE_REMINDER_EACH, SLACK_CHANNEL_MESSAGES_PER_SECOND: '30', TELEGRAM_CHAT_MESSAGES_PER_SECOND: '30' },
      tg: { rateLimits: false },
      slack: { rateLimits: false },
    });
    // A second, independent set of connections, as a second process would have.
    const other = await otherProcessDeps(w, w.deps.config, TEST_REDIS_URL);
    cleanups.push(async () => {
      await other.close();
      await other.redis.quit().catch(() => undefined);
    });
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push(await bookAppointment(w, `2026-11-25T${String(9 + i).padStart(2, '0')}:00:00Z`));
    for (const id of ids) await planAppointmentReminders(w.deps, id);
    await workersFor(w.deps);
    await workersFor(other as World['deps']);
    w.deps.clock.set(DateTime.fromISO('2026-11-24T17:00:00Z', { zone: 'utc' })); // every 24 h reminder due, no appointment begun
    // Both processes' ticks run at once, and every send job is added by both.
    await Promise.all([
      import('../../src/delivery/tick.js').then((m) => m.enqueueDueDeliveries(w.deps)),
      import('../../src/delivery/tick.js').then((m) => m.enqueueDueDeliveries(other)),
    ]);
    await settle(w, 20_000);
    const sent = clientTexts(w);
    expect(sent).toHaveLength(8);
    expect(new Set(sent).size).toBe(8);
    expect(slackTexts(w, WORKER_SLACK)).toHaveLength(8);
    expect(new Set(slackTexts(w, WORKER_SLACK)).size).toBe(8);
    const reminders = (await ledger(w)).filter((r) => r.kind.startsWith('appointment_reminder'));
    expect(reminders.map((r) => [r.status, r.attempts])).toEqual(Array(16).fill(['sent', 1]));
  }, 40_000);
});
