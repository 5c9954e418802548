import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { RateBudgets, type BudgetKey, type Slot } from '../../src/delivery/rate-budget.js';
import { deleteRedisPrefix, testRedisPrefix, TEST_REDIS_URL } from '../helpers/redis.js';

/**
 * The shared send budgets on real Redis. What matters to a client and to the
 * platforms: sends are spaced evenly (never a burst that draws a 429 and a
 * bot-wide pause), a chat never gets two within a second, one chat's queue
 * does not hold up another's, and a platform's "retry after" holds everyone.
 * Asserted on the slots Redis hands out (its own clock), not on elapsed time.
 */
const prefix = testRedisPrefix();
let redis: Redis;
let budgets: RateBudgets;
const bot: BudgetKey = { limiter: 'telegram_bot', id: 'bot' };
const chat = (id: string): BudgetKey => ({ limiter: 'telegram_chat', id });

beforeAll(() => {
  redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  // 4/s for the bot: slots 250 ms apart, far more than a Redis call takes even on a busy machine,
  // so the slots handed out do not depend on how fast the test runs.
  budgets = new RateBudgets(redis, {
    QUEUE_PREFIX: prefix,
    TELEGRAM_MESSAGES_PER_SECOND: 4,
    TELEGRAM_CHAT_MESSAGES_PER_SECOND: 1,
    SLACK_CHANNEL_MESSAGES_PER_SECOND: 1,
  });
});
afterAll(async () => {
  await redis.quit();
  await deleteRedisPrefix(prefix);
});

describe('send slots', () => {
  it('a burst to 40 different chats gets slots exactly 1/rate apart, in the order asked', async () => {
    const slots: Slot[] = [];
    for (let i = 0; i < 40; i++) slots.push(await budgets.reserve([chat(`burst-${i}`), bot]));
    const gaps = slots.slice(1).map((s, i) => s.redisAt - slots[i]!.redisAt);
    for (const g of gaps) expect(g).toBeCloseTo(250, 2); // 4/s
    // Ten seconds' worth queued: the last waits about 9.75 s, so it would be delayed as a job, not held in-process.
    expect(slots.at(-1)!.waitMs).toBeGreaterThan(9000);
  });

  it('the same chat gets one slot per second, while another chat is not held up by it', async () => {
    const a1 = await budgets.reserve([chat('a'), { limiter: 'telegram_bot', id: 'bot-2' }]);
    const a2 = await budgets.reserve([chat('a'), { limiter: 'telegram_bot', id: 'bot-2' }]);
    const b1 = await budgets.reserve([chat('b'), { limiter: 'telegram_bot', id: 'bot-2' }]);
    expect(a2.redisAt - a1.redisAt).toBeCloseTo(1000, 2);
    // Chat a's second message waits for chat a, not the whole bot: chat b goes straight after a1.
    expect(b1.redisAt - a1.redisAt).toBeCloseTo(250, 2);
  });

  it('a platform "retry after" on the bot moves every later slot and the send gate past it', async () => {
    const key: BudgetKey = { limiter: 'telegram_bot', id: 'bot-3' };
    const before = await budgets.reserve([chat('p1'), key]);
    await budgets.pause(key, 5000);
    const after = await budgets.reserve([chat('p2'), key]);
    expect(after.redisAt - before.redisAt).toBeGreaterThanOrEqual(5000);
    expect(await budgets.gate([key])).toBeGreaterThan(4000);
  });
});

describe('the send gate', () => {
  it('a send late for its turn keeps it by under half its tightest interval (never under the floor)', () => {
    // Here: Slack DMs 1/s, the bot 4/s (250 ms), a chat 1/s.
    expect(budgets.lateToleranceMs([{ limiter: 'slack_channel', id: 'staff:x' }], 15)).toBe(450);
    expect(budgets.lateToleranceMs([chat('late'), bot], 15)).toBe(112);
    expect(budgets.lateToleranceMs([chat('late'), bot], 200)).toBe(200);
  });

  it('lets one send through, then makes the next one to the same chat wait about a second', async () => {
    expect(await budgets.gate([chat('gate-1')])).toBe(0);
    const wait = await budgets.gate([chat('gate-1')]);
    expect(wait).toBeGreaterThan(500);
    expect(wait).toBeLessThanOrEqual(1000);
    expect(await budgets.gate([chat('gate-2')])).toBe(0); // another chat is free
  });

  it('hands each waiting send its own turn once: three sends to one chat get turns about 0, 1 and 2 s away', async () => {
    // Nobody asks twice: the second and third callers are told their turn and are counted at once.
    const turns = [await budgets.gate([chat('turns')]), await budgets.gate([chat('turns')]), await budgets.gate([chat('turns')])];
    expect(turns[0]).toBe(0);
    expect(turns[1]).toBeGreaterThan(900);
    expect(turns[2]).toBeGreaterThan(1900);
    expect(turns[2]).toBeLessThanOrEqual(2000);
  });

  it('spaces turns one interval apart from the previous turn, not from when the caller asks', async () => {
    // Five senders asking at once for the bot (4/s): turns 0, 250, 500, 750, 1000 ms after the first ask, by Redis's clock.
    const key: BudgetKey = { limiter: 'telegram_bot', id: 'turns' };
    const started = Date.now();
    const turns: number[] = [];
    for (let i = 0; i < 5; i++) turns.push(await budgets.gate([key]));
    const elapsed = Date.now() - started;
    expect(turns[0]).toBe(0);
    for (let k = 1; k < 5; k++) {
      expect(turns[k]).toBeLessThanOrEqual(k * 250);
      expect(turns[k]! + elapsed).toBeGreaterThanOrEqual(k * 250 - 1);
    }
  });

  it('a turn too far away to wait for in-process is not taken: it does not push later sends back', async () => {
    const key = chat('far');
    expect(await budgets.gate([key])).toBe(0);
    // The next turn is about a second away: a caller that will not wait that long is told, and nothing is recorded.
    for (let i = 0; i < 3; i++) expect(await budgets.gate([key], 100)).toBeGreaterThan(100);
    const taken = await budgets.gate([key]);
    expect(taken).toBeGreaterThan(100);
    expect(taken).toBeLessThanOrEqual(1000);
  });
});
