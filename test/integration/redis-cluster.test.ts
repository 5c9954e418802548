import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { planAppointmentReminders } from '../../src/appointments/reminders.service.js';
import { RateBudgets } from '../../src/delivery/rate-budget.js';
import { escalationTickJob } from '../../src/jobs/escalation-tick.job.js';
import { SharedChatGate } from '../../src/telegram/telegram.shared-gate.js';
import { MessageTracker } from '../../src/telegram/telegram.tracker.js';
import { enqueueDueDeliveries } from '../../src/delivery/tick.js';
import { startWorkers, type RunningWorkers } from '../../workers/start.js';
import { hasRedisServer, startRedisCluster, type RedisCluster } from '../helpers/redis-cluster.js';
import { advanceTo, bookAppointment, CLIENT_CHAT, clientTexts, createWorld, ledger, settle, WORKER_SLACK, type World } from './delivery-fixtures.js';

/**
 * Issue 14, item 5: the worker suite's core on a three-node Redis Cluster
 * started for this file on loopback ports (test/helpers/redis-cluster.ts):
 * BullMQ queues, workers and schedulers under the hash-tagged prefix, the
 * shared send budgets, and the app's per-chat turns, flood window and
 * message tracker — each operation's keys in one slot (else: CROSSSLOT).
 */
const available = await hasRedisServer();
if (!available) console.warn('redis-cluster.test.ts skipped: redis-server is not installed (apt-get install redis-server)');

let cluster: RedisCluster | undefined;
let w: World;
let workers: RunningWorkers;

beforeAll(async () => {
  if (!available) return;
  cluster = await startRedisCluster();
  w = await createWorld({ redisClusterNodes: cluster.nodes });
  workers = await startWorkers(w.deps);
}, 120_000);
afterAll(async () => {
  await workers?.close(2000);
  await w?.close();
  await cluster?.stop();
});

describe.skipIf(!available)('on a three-node Redis Cluster', () => {
  it("a booked appointment's reminders go out once each through BullMQ; the escalation tick runs as a job and nudges the worker", async () => {
    const apptId = await bookAppointment(w, '2026-11-25T10:00:00Z');
    await planAppointmentReminders(w.deps, apptId);
    await advanceTo(w, '2026-11-24T10:00:00Z');
    await settle(w, 20_000);
    expect(clientTexts(w)).toEqual([
      'Reminder: you have an appointment with your case worker on Wednesday 25 November at 10:00 (in person).\nPlease tell us if you can come.',
    ]);
    // The due-row scan again (another worker, a restart): nothing twice.
    await advanceTo(w, '2026-11-24T10:00:01Z');
    await settle(w, 20_000);
    expect(clientTexts(w)).toHaveLength(1);
    for (const t of ['2026-11-25T08:00:00Z', '2026-11-25T09:30:00Z', '2026-11-25T12:00:00Z']) {
      await advanceTo(w, t);
      await settle(w, 20_000);
    }
    expect(clientTexts(w)).toHaveLength(2);

    // A day after the appointment nothing is logged: the sweep (a BullMQ job here) opens a nudge to the worker.
    const before = w.slack.messages(WORKER_SLACK).length;
    w.deps.clock.set(DateTime.fromISO('2026-11-26T12:00:01Z', { zone: 'utc' }));
    await w.deps.queues.add(escalationTickJob, {}, { jobId: 'escalations-tick-cluster-test' });
    const job = async () => w.deps.queues.queue('maintenance').getJob('escalations-tick-cluster-test');
    await expect.poll(async () => (await job())?.finishedOn, { timeout: 20_000 }).toBeTruthy();
    expect((await job())?.failedReason).toBeUndefined();
    await enqueueDueDeliveries(w.deps);
    await settle(w, 20_000);
    expect((await ledger(w)).some((r) => r.kind.startsWith('follow_up') && r.status === 'sent')).toBe(true);
    expect(w.slack.messages(WORKER_SLACK).length).toBe(before + 1);
  }, 120_000);

  it('send budgets: a Telegram send reserves its bot and chat slots in one script; slots 1/rate apart', async () => {
    const budgets = new RateBudgets(w.deps.redis, { ...w.deps.config, TELEGRAM_MESSAGES_PER_SECOND: 10, TELEGRAM_CHAT_MESSAGES_PER_SECOND: 1 });
    const slots = [];
    for (const chat of ['c1', 'c2', 'c3', 'c1']) {
      slots.push(
        await budgets.reserve([
          { limiter: 'telegram_bot', id: 'cluster-bot' },
          { limiter: 'telegram_chat', id: chat },
        ]),
      );
    }
    const at = slots.map((s) => s.redisAt);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(99.9);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(99.9);
    // The same chat again: its own 1/s decides.
    expect(at[3]! - at[0]!).toBeGreaterThanOrEqual(999.9);
    expect(
      await budgets.gate([
        { limiter: 'telegram_bot', id: 'gate-bot' },
        { limiter: 'telegram_chat', id: 'c9' },
      ]),
    ).toBe(0);
    await budgets.pause({ limiter: 'telegram_bot', id: 'gate-bot' }, 5000);
    expect(
      await budgets.gate([
        { limiter: 'telegram_bot', id: 'gate-bot' },
        { limiter: 'telegram_chat', id: 'c9' },
      ]),
    ).toBeGreaterThan(4000);
  });

  it("the app's chat turns, flood window and message tracker: one update of a chat at a time in update_id order", async () => {
    const gate = new SharedChatGate<string>({
      redis: w.deps.redis,
      prefix: w.deps.config.QUEUE_PREFIX,
      redisTimeoutMs: 2000,
      max: 2,
      windowMs: 60_000,
      now: () => 0,
      flush: async () => {},
      onWarn: (msg) => {
        throw new Error(`fell back: ${msg}`);
      },
    });
    const log: string[] = [];
    let open!: () => void;
    const first = gate.run(CLIENT_CHAT, 10, async () => {
      log.push('10 start');
      await new Promise<void>((r) => {
        open = r;
      });
      log.push('10 end');
    });
    await expect.poll(() => log.length).toBe(1);
    const later = gate.run(CLIENT_CHAT, 12, async () => {
      log.push('12');
    });
    const earlier = gate.run(CLIENT_CHAT, 11, async () => {
      log.push('11');
    });
    const other = gate.run(CLIENT_CHAT + 1, 13, async () => {
      log.push('other chat');
    });
    await other;
    open();
    await Promise.all([first, later, earlier]);
    expect(log).toEqual(['10 start', 'other chat', '10 end', '11', '12']);
    expect([await gate.admit(CLIENT_CHAT), await gate.admit(CLIENT_CHAT), await gate.admit(CLIENT_CHAT), await gate.admit(CLIENT_CHAT)]).toEqual([
      'normal',
      'normal',
      'notify',
      'hold',
    ]);
    gate.close();

    const tracker = new MessageTracker(w.deps.redis, w.deps.config.QUEUE_PREFIX);
    await Promise.all([tracker.add(501, 1, 2), tracker.add(502, 3), tracker.add(503, 4)]);
    const other2 = new MessageTracker(w.deps.redis, w.deps.config.QUEUE_PREFIX);
    expect(await other2.takeAll(501)).toEqual({ ids: [1, 2], complete: true });
    expect(await other2.takeAll(503)).toEqual({ ids: [4], complete: true });
  });
});
