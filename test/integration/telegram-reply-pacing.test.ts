import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Update } from 'telegraf/types';
import type { SimUser } from '../../src/sandbox/telegram-emulator.js';
import { RateBudgets, TELEGRAM_BOT_BUDGET } from '../../src/delivery/rate-budget.js';
import { createBot } from '../../src/telegram/telegram.bot.js';
import { createLater } from '../../src/db/after-commit.js';
import { createRedis } from '../../src/lib/redis.js';
import type { Deps } from '../../src/deps.js';
import { SLACK_WAIT } from '../helpers/waits.js';
import { createHarness, type Harness } from './telegram-harness.js';

/**
 * The bot's own replies in a conversation take a turn on the bot-wide send
 * budget the delivery worker uses, and a 429 on one is waited out and sent
 * again (src/telegram/reply-pacing.ts); the emergency reply never asks the
 * budget; with Redis unreachable replies still go out.
 */
const CONTACTS = 'Emergency services: 999';

async function toName(h: Harness, user: SimUser) {
  await h.command(user, '/start');
  await h.click(user, 'English');
  await h.click(user, 'I agree');
  await h.click(user, "Yes, I'm safe");
}

describe('with the platform limiting the bot to 10 messages a second', () => {
  // The emulator's window clock: "free" jumps 10 s a call (nothing is limited while the clients are set up);
  // "burst" stands still until the first 429 (so the burst falls in one window whatever the machine's speed),
  // then runs in real time so the wait asked for ends. Time only moves forward.
  const clock = { mode: 'free' as 'free' | 'burst' | 'real', skew: 0, frozenAt: 0 };
  let h: Harness;
  const now = (): number => {
    if (clock.mode === 'free') return Date.now() + (clock.skew += 10_000);
    if (clock.mode === 'burst' && (h?.tg.stats.rateLimited ?? 0) === 0) return (clock.frozenAt ||= Date.now() + clock.skew);
    clock.mode = 'real';
    return Math.max(Date.now() + clock.skew, clock.frozenAt);
  };
  beforeAll(async () => {
    h = await createHarness({ tgRateLimits: { global: { limit: 10, windowMs: 1000 }, perChat: false, now } });
  });
  afterAll(async () => h?.close());

  it('twenty-five clients answering at once all get their next question; every 429 is followed by the same message arriving', async () => {
    const users: SimUser[] = Array.from({ length: 25 }, (_, i) => ({ id: 18_400 + i, first_name: `P${i}`, language_code: 'en' }));
    for (const u of users) await toName(h, u);
    const before = new Map(users.map((u) => [u.id, h.messages(u).length]));
    const callsBefore = h.tg.calls.length;

    clock.mode = 'burst';
    const updates = await Promise.all(users.map((u) => h.tg.sendText(u, `Name ${u.id}`)));
    await Promise.all(updates.map((u) => h.handle(u)));
    await h.app.settle();

    // The limit was reached (25 replies for 10 a second: some are refused twice, which one retry would not survive) …
    expect(h.tg.stats.rateLimited).toBeGreaterThan(0);
    // … and still every client got exactly one reply: the category question.
    for (const u of users) {
      const fresh = h.messages(u).slice(before.get(u.id));
      expect(fresh, `client ${u.id}`).toHaveLength(1);
      expect(fresh[0]!.reply_markup?.inline_keyboard.flat().some((b) => b.text === 'Health')).toBe(true);
    }
    // Every refused send was made again, and accepted, later.
    const sends = h.tg.calls.slice(callsBefore).filter((c) => c.method === 'sendMessage');
    const refused = sends.filter((c) => c.error?.error_code === 429);
    expect(refused.length).toBe(h.tg.stats.rateLimited);
    for (const r of refused) {
      const later = sends.slice(sends.indexOf(r) + 1);
      expect(later.some((c) => c.ok && c.params.chat_id === r.params.chat_id && c.params.text === r.params.text)).toBe(true);
    }
    clock.mode = 'free';
  }, 60_000);
});

describe('the emergency reply and the send budget', () => {
  // Waits for a turn are held here until the test lets them go (no real time is involved).
  const held: Array<{ ms: number; go: () => void }> = [];
  let holding = false;
  const slept: number[] = [];
  const sleep = (ms: number) => {
    slept.push(ms);
    return holding ? new Promise<void>((go) => held.push({ ms, go })) : Promise.resolve();
  };
  let h: Harness;
  beforeAll(async () => {
    // Any turn is waited for (up to 2 minutes), so an exhausted budget holds every interactive reply.
    h = await createHarness({ replyPacing: { maxWaitMs: 120_000, sleep } });
  });
  afterAll(async () => {
    holding = false;
    for (const w of held.splice(0)) w.go();
    await h?.close();
  });

  it('goes out while the bot-wide budget is exhausted and an ordinary reply waits for its turn', async () => {
    const waiting: SimUser = { id: 18_500, first_name: 'W', language_code: 'en' };
    const inCrisis: SimUser = { id: 18_501, first_name: 'C', language_code: 'en' };
    // The whole bot is held for a minute (as after a platform 429 in a reminder burst).
    await new RateBudgets(h.deps.redis, h.deps.config).pause(TELEGRAM_BOT_BUDGET, 60_000);
    holding = true;

    const ordinary = h.handle(await h.tg.sendCommand(waiting, '/start'));
    await expect.poll(() => held.length, SLACK_WAIT).toBeGreaterThan(0);
    // The ordinary reply asked for its turn and was told to wait most of the minute.
    expect(held[0]!.ms).toBeGreaterThan(30_000);

    const crisis = h.handle(await h.tg.sendText(inCrisis, 'I want to kill myself'));
    await expect.poll(() => h.messages(inCrisis).some((m) => (m.text ?? '').includes(CONTACTS)), SLACK_WAIT).toBe(true);
    // The emergency reply arrived while the ordinary one is still waiting for its turn.
    expect(h.messages(waiting)).toHaveLength(0);
    expect(held.length).toBeGreaterThan(0);

    holding = false;
    while (held.length) held.shift()!.go();
    await Promise.all([ordinary, crisis]);
    await h.app.settle();
    expect(h.messages(waiting).length).toBeGreaterThan(0);
    expect(h.messages(inCrisis).filter((m) => (m.text ?? '').includes(CONTACTS))).toHaveLength(1);
  }, 30_000);
  it('a 429 on a reply is waited out as asked and the reply sent again, at most twice', async () => {
    const twice: SimUser = { id: 18_510, first_name: 'T', language_code: 'en' };
    const thrice: SimUser = { id: 18_511, first_name: 'U', language_code: 'en' };
    const tooMany = { error_code: 429, description: 'Too Many Requests: retry after 2', parameters: { retry_after: 2 } };
    slept.length = 0;
    const mark = h.tg.calls.length;
    h.tg.failNext('sendMessage', tooMany, 2);
    const replies = await h.command(twice, '/start');
    expect(replies).toHaveLength(1);
    // Refused twice, waited 2 s each time as asked, sent the third time.
    const sends = h.tg.calls.slice(mark).filter((c) => c.method === 'sendMessage');
    expect(sends.map((c) => c.error?.error_code ?? 'ok')).toEqual([429, 429, 'ok']);
    expect(slept.filter((ms) => ms === 2000)).toHaveLength(2);

    // A third refusal in a row is not waited out: the bound holds, and the error goes on as before
    // (the update fails; the client is told something went wrong instead of getting the question).
    slept.length = 0;
    const mark2 = h.tg.calls.length;
    h.tg.failNext('sendMessage', tooMany, 3);
    const got = await h.command(thrice, '/start');
    h.tg.clearFaults();
    const sends2 = h.tg.calls.slice(mark2).filter((c) => c.method === 'sendMessage');
    expect(sends2.slice(0, 3).map((c) => c.error?.error_code)).toEqual([429, 429, 429]);
    expect(slept.filter((ms) => ms === 2000)).toHaveLength(2);
    expect(got.some((m) => m.reply_markup?.inline_keyboard.flat().some((b) => b.text === 'English'))).toBe(false);
  });
});

describe('with Redis unreachable', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => h?.close());

  it('interactive replies still go out', async () => {
    const dead = createRedis('redis://127.0.0.1:1', { retryStrategy: () => 1000 });
    dead.on('error', () => {});
    const deps = { ...h.deps, redis: dead } as unknown as Deps;
    const app = createBot(deps, {
      token: h.tg.token,
      apiRoot: h.deps.config.TELEGRAM_API_ROOT,
      botInfo: h.tg.botInfo as never,
      later: createLater(deps.logger),
    });
    try {
      const user: SimUser = { id: 18_600, first_name: 'R', language_code: 'en' };
      await app.bot.handleUpdate((await h.tg.sendCommand(user, '/start')) as unknown as Update);
      await app.settle();
      const first = h.messages(user);
      expect(first.length).toBeGreaterThan(0);
      const m = first.at(-1)!;
      const data = m.reply_markup!.inline_keyboard.flat().find((b) => b.text === 'English')!.callback_data!;
      const got = new Promise((resolve) => h.tg.once('update', resolve));
      const clicked = h.tg.clickButton(user, m.message_id, data, { force: true });
      await app.bot.handleUpdate((await got) as Update);
      await clicked;
      await app.settle();
      expect(h.messages(user).length).toBeGreaterThan(first.length);
    } finally {
      await app.close();
      dead.disconnect();
    }
  }, 30_000);
});
