import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_WAIT } from '../helpers/waits.js';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { boot, type Running } from '../../src/boot.js';
import { OffsetClock } from '../../src/lib/clock.js';
import { FieldCipher } from '../../src/lib/crypto.js';
import { staff } from '../../src/db/schema.js';
import { sandboxConfig, SANDBOX_STAFF } from '../../src/sandbox/sandbox.world.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { deleteRedisPrefix, testRedisPrefix, TEST_REDIS_URL } from '../helpers/redis.js';

/**
 * Sandbox mode as `npm start` runs it with no platform tokens: boot() with the
 * sandbox config and an OffsetClock, app and workers in one process. The bot
 * long-polls the Telegram emulator; the console API drives everything.
 */
let db: TestDatabase;
let running: Running;
let api: string;
const prefix = testRedisPrefix();
const clock = new OffsetClock();

beforeAll(async () => {
  db = await createTestDatabase();
  const base = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, PORT: '0' });
  expect(base.sandbox).toBe(true);
  const config = await sandboxConfig(base);
  running = await boot(config, {
    app: true,
    workers: true,
    overrides: { database: db, clock, logger: pino({ level: 'silent' }), cipher: new FieldCipher([{ id: 't', key: Buffer.alloc(32, 7) }]) },
  });
  api = `${running.url}/sandbox/api`;
}, 60_000);
afterAll(async () => {
  await running?.stop();
  await deleteRedisPrefix(prefix);
  await db?.destroy();
});

const post = async (path: string, body: unknown) => {
  const res = await fetch(api + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { ok: boolean; error?: string; result?: unknown } };
};
const state = async () =>
  (await fetch(`${api}/state`)).json() as Promise<{
    now: string;
    offsetMs: number;
    clients: Array<{ user: { id: number; language_code: string }; messages: Array<{ text?: string; from?: { is_bot: boolean } }> }>;
    staff: Array<{ slackUserId: string; home: unknown }>;
  }>;

describe('sandbox mode', () => {
  it('points the app at the local emulators, seeds the demo staff, serves the console', async () => {
    expect(running.deps.config.TELEGRAM_API_ROOT).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(running.deps.config.SLACK_API_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
    const rows = await running.deps.db.select().from(staff);
    expect(rows.map((r) => r.slackUserId).sort()).toEqual(SANDBOX_STAFF.map((p) => p.slackUserId).sort());
    const wen = rows.find((r) => r.displayName === 'Wen Li')!;
    expect(wen.supervisorId).toBe(rows.find((r) => r.displayName === 'Sam Supervisor')!.id);
    expect(rows.find((r) => r.displayName === 'Kai Chen')!.timeZone).toBe('Asia/Shanghai');
    const page = await fetch(`${running.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Casework');
    expect((await fetch(`${running.url}/sandbox/static/console.js`)).status).toBe(200);
  });

  it("the client's /start reaches the real bot (long polling the emulator) and is answered", async () => {
    expect(await post('/client/text', { text: '/start' })).toMatchObject({ status: 200, body: { ok: true } });
    await expect
      .poll(async () => (await state()).clients[0]!.messages.some((m) => m.from?.is_bot && m.text?.includes('Which language')), {
        ...E2E_WAIT,
        message: 'the language question',
      })
      .toBeTruthy();
  });

  it('the Chinese demo client is a chat of their own, answered in Chinese (issue 19)', async () => {
    const s0 = await state();
    expect(s0.clients.map((c) => [c.user.id, c.user.language_code])).toEqual([
      [7_100_001, 'en'],
      [7_100_002, 'zh'],
    ]);
    const before = s0.clients[0]!.messages.length;
    expect(await post('/client/text', { client: 7_100_002, text: '/help' })).toMatchObject({ status: 200, body: { ok: true } });
    await expect
      .poll(async () => (await state()).clients[1]!.messages.some((m) => m.from?.is_bot && m.text?.includes('开始或继续填写申请')), {
        ...E2E_WAIT,
        message: 'the Chinese help',
      })
      .toBeTruthy();
    expect((await state()).clients[0]!.messages.length).toBe(before);
    expect(await post('/client/text', { client: 42, text: 'hi' })).toMatchObject({ status: 400, body: { error: 'client: not one of the demo clients' } });
  });

  it('a signed Slack event opens App Home for the supervisor', async () => {
    expect(await post('/slack/home', { user: 'U0SBSUPER1' })).toMatchObject({ status: 200, body: { ok: true, result: 200 } });
    await expect.poll(async () => (await state()).staff.find((p) => p.slackUserId === 'U0SBSUPER1')?.home, { ...E2E_WAIT, message: 'App Home' }).toBeTruthy();
  });

  it('the clock control moves the service clock forward only', async () => {
    const before = clock.now();
    expect(await post('/clock', { hours: 24 })).toMatchObject({ status: 200 });
    expect(clock.now().diff(before, 'hours').hours).toBeGreaterThanOrEqual(24);
    expect((await state()).offsetMs).toBe(24 * 3_600_000);
    expect(await post('/clock', { hours: -1 })).toMatchObject({ status: 400, body: { ok: false, error: 'hours: Too small: expected number to be >0' } });
    // "Next event" on the console's API: moves to the earliest thing due, or says nothing is.
    const next = await post('/clock/next', {});
    expect(next.status).toBe(200);
    expect(String((next.body.result as { message: string }).message)).toMatch(/^(Moved to |Nothing is scheduled)/);
  });

  it('answers bad console input with what is wrong', async () => {
    expect(await post('/client/text', { text: '   ' })).toMatchObject({ status: 400, body: { error: 'text: type something first' } });
    expect(await post('/client/text', { text: 'x'.repeat(4097) })).toMatchObject({ status: 400, body: { error: 'text: at most 4096 characters' } });
    expect((await post('/slack/home', { user: 'U0NOBODY' })).status).toBe(400);
    expect(await post('/client/click', { messageId: 999_999, data: 't:nope' })).toMatchObject({ status: 422, body: { ok: false } });
    expect(await post('/slack/close', { user: 'U0SBWORK01', viewId: 'V404' })).toMatchObject({ status: 422, body: { error: 'That form is no longer open.' } });
  });
});
