import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { and, eq } from 'drizzle-orm';
import express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clients, deliveries } from '../../src/db/schema.js';
import { createDeps } from '../../src/compose.js';
import { createRedis } from '../../src/lib/redis.js';
import { enqueueDueDeliveries } from '../../src/delivery/tick.js';
import { TelegramEmulator } from '../../src/sandbox/telegram-emulator.js';
import { startTelegram } from '../../src/telegram/telegram.frontend.js';
import { startWorkers, type RunningWorkers } from '../../workers/start.js';
import { featureRegistry } from '../../src/lib/metrics.js';
import { createHarness, type Harness } from './telegram-harness.js';

/**
 * Issue 11, "the first reply always arrives, whatever else is down": the real
 * bot, the Telegram emulator failing sends on purpose, real PostgreSQL, and a
 * real Redis server of this test's own that is killed mid-test.
 */
const CONTACTS = 'Emergency services: 999';
const waits: number[] = [];
let h: Harness;
let workers: RunningWorkers;

beforeAll(async () => {
  // Waits between attempts are recorded instead of slept: the retry schedule is asserted, not timed.
  h = await createHarness({ crisisReply: { sleep: async (ms) => void waits.push(ms) } });
  workers = await startWorkers(h.deps, { queues: ['delivery'] });
});
afterAll(async () => {
  await workers?.close(2000);
  await h?.close();
});

const replyRows = async (userId: number) => {
  const [c] = await h.deps.db.select().from(clients).where(eq(clients.telegramUserId, userId));
  return h.deps.db
    .select()
    .from(deliveries)
    .where(and(eq(deliveries.kind, 'crisis_reply'), eq(deliveries.recipient, `client:${c!.id}`)));
};
const emergencyMessages = (userId: number) => h.messages({ id: userId, first_name: 'x' }).filter((m) => (m.text ?? '').includes(CONTACTS));

describe('the emergency reply arrives whatever else fails', () => {
  it('a 502 on the first send is retried: the client gets the contacts once, and the ledger row is marked sent with the message id', async () => {
    const user = { id: 9100, first_name: 'A', language_code: 'en' };
    h.tg.failNext('sendMessage', { error_code: 502, description: 'Bad Gateway' });
    waits.length = 0;
    const replies = await h.text(user, 'I want to kill myself');
    expect(replies[0]!.text).toContain(CONTACTS);
    expect(emergencyMessages(user.id)).toHaveLength(1);
    expect(waits).toHaveLength(1);
    const [row] = await replyRows(user.id);
    expect(row).toMatchObject({ status: 'sent', externalRef: String(emergencyMessages(user.id)[0]!.message_id) });

    // After the hand-over time the worker sees the row is done: no second emergency message.
    h.deps.clock.advance({ seconds: h.deps.config.CRISIS_REPLY_HANDOVER_SECONDS + 1 });
    await enqueueDueDeliveries(h.deps);
    await h.app.settle();
    expect(emergencyMessages(user.id)).toHaveLength(1);
  });

  it("a 429 asking for 8 s is waited out as asked, then the reply arrives (in the client's words' language)", async () => {
    const user = { id: 9101, first_name: 'B', language_code: 'en' };
    h.tg.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 8', parameters: { retry_after: 8 } });
    waits.length = 0;
    const replies = await h.text(user, '我不想活了');
    expect(replies[0]!.text).toContain('紧急服务');
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(8000);
  });

  it('the bot stops before Telegram accepts it: the ledger row sends it after the hand-over, once', async () => {
    const user = { id: 9102, first_name: 'C', language_code: 'en' };
    await h.text(user, 'hello');
    h.tg.failNext('sendMessage', { error_code: 502, description: 'Bad Gateway' }, 1000);
    const update = await h.tg.sendText(user, 'he is going to kill me');
    await h.handle(update);
    // The process is going down (graceful stop): in-process retries end; nothing reached the client.
    await h.app.close();
    expect(emergencyMessages(user.id)).toHaveLength(0);
    const [pending] = await replyRows(user.id);
    expect(pending).toMatchObject({ status: 'pending' });

    h.tg.clearFaults();
    await h.restart();
    h.deps.clock.advance({ seconds: h.deps.config.CRISIS_REPLY_HANDOVER_SECONDS });
    await enqueueDueDeliveries(h.deps);
    await expect.poll(() => emergencyMessages(user.id).length, { timeout: 10_000 }).toBe(1);
    const [sent] = await replyRows(user.id);
    expect(sent).toMatchObject({ status: 'sent' });
    // Counted for the duty manager's dashboard (src/lib/metrics.ts): the outcome and how late it went out.
    expect(await featureRegistry.getSingleMetricAsString('casework_deliveries_total')).toMatch(
      /kind="crisis_reply",channel="telegram",outcome="sent",reason=""\} [1-9]/,
    );
    expect(await featureRegistry.getSingleMetricAsString('casework_send_lateness_seconds')).toMatch(
      /casework_send_lateness_seconds_count\{channel="telegram"\} [1-9]/,
    );
    h.deps.clock.advance({ minutes: 5 });
    await enqueueDueDeliveries(h.deps);
    await new Promise((r) => setTimeout(r, 300));
    expect(emergencyMessages(user.id)).toHaveLength(1);
  });
});

/** A Redis server of this test's own, so stopping it touches nothing else. */
async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe('with Redis stopped, polling', () => {
  let redisProc: ChildProcess | undefined;
  afterAll(() => {
    redisProc?.kill('SIGKILL');
  });

  it("answers a second client's crisis while the first client's /exit is still waiting on Redis", async () => {
    const port = await freePort();
    redisProc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const url = `redis://127.0.0.1:${port}`;
    const redis = createRedis(url, { retryStrategy: () => 200 });
    redis.on('error', () => {});
    await expect.poll(async () => redis.ping().catch(() => 'no'), { timeout: 10_000 }).toBe('PONG');
    // "Hangs on Redis": each Redis call on the update path waits this long before giving up.
    const config = { ...h.deps.config, TELEGRAM_REDIS_TIMEOUT_MS: 8000 };
    const deps = await createDeps(config, { clock: h.deps.clock, database: h.deps.database, cipher: h.deps.cipher, redis, logger: pino({ level: 'silent' }) });
    const tg = new TelegramEmulator({ rateLimits: false, maxPollTimeoutSec: 1, firstUpdateId: 950_000 });
    await tg.start();
    const running = await startTelegram(deps, express(), { token: tg.token, apiRoot: tg.url, botInfo: tg.botInfo as never });
    const first = { id: 9200, first_name: 'D', language_code: 'en' };
    const second = { id: 9201, first_name: 'E', language_code: 'en' };
    try {
      await tg.sendText(first, 'hello');
      await expect.poll(() => tg.messages(first.id).length, { timeout: 10_000 }).toBeGreaterThan(0);

      redisProc.kill('SIGKILL');
      await expect.poll(async () => redis.status, { timeout: 5000 }).not.toBe('ready');
      await tg.sendCommand(first, '/exit');
      await expect.poll(() => tg.calls.filter((c) => c.method === 'getUpdates').length).toBeGreaterThan(2);
      await tg.sendText(second, 'I am going to end my life');

      await expect
        .poll(
          () =>
            tg
              .messages(second.id)
              .map((m) => m.text ?? '')
              .join('\n'),
          { timeout: 7000 },
        )
        .toContain(CONTACTS);
      // The first client's quick exit is still waiting on Redis: nothing deleted yet.
      expect(tg.calls.filter((c) => c.method === 'deleteMessages')).toHaveLength(0);
      // …and then gives up cleanly, saying nothing, and still deletes this conversation's messages (the ids this
      // process saw are kept in memory too: someone may be looking at the client's phone).
      // (A generous bound: under a loaded CI run every step of the outage path waits out its Redis timeout.)
      await expect.poll(() => tg.calls.filter((c) => c.method === 'deleteMessages').length, { timeout: 45_000 }).toBeGreaterThan(0);
      expect(tg.history(first.id).filter((m) => !m.deleted)).toEqual([]);
      expect(
        tg
          .messages(first.id)
          .filter((m) => !m.deleted)
          .every((m) => !(m.text ?? '').includes('Sorry')),
      ).toBe(true);
    } finally {
      await running.stop();
      await tg.stop();
      redis.disconnect();
      await Promise.race([deps.close().catch(() => {}), new Promise((r) => setTimeout(r, 3000))]);
    }
  }, 100_000);
});
