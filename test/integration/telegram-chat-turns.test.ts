import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { chatKey, createRedis } from '../../src/lib/redis.js';
import { ChatTurns } from '../../src/telegram/chat-turns.js';
import { SharedChatGate } from '../../src/telegram/telegram.shared-gate.js';
import { deleteRedisPrefix, testRedisPrefix, TEST_REDIS_URL } from '../helpers/redis.js';

/**
 * The per-chat turn shared by app processes (src/telegram/chat-turns.ts) on
 * real Redis: two gates stand for two processes. A process that died holding
 * a chat, or waiting in it, does not hold the chat beyond its lease; with
 * Redis unreachable every update is still handled, in order within the process.
 */
const prefix = testRedisPrefix();
let redis: Redis;
beforeAll(() => {
  redis = createRedis(TEST_REDIS_URL);
});
afterAll(async () => {
  redis.disconnect();
  await deleteRedisPrefix(prefix);
});

const gateOn = (r: Redis, leaseMs?: number) =>
  new SharedChatGate<string>({
    redis: r,
    prefix,
    redisTimeoutMs: 500,
    max: 100,
    windowMs: 60_000,
    flush: async () => {},
    ...(leaseMs ? { leaseMs } : {}),
  });

describe('chat turns across processes', () => {
  it('two processes: an update that arrived while an earlier one of its chat ran goes after it and after any lower id waiting', async () => {
    const a = gateOn(redis);
    const b = gateOn(redis);
    const log: string[] = [];
    let open!: () => void;
    const first = a.run(70, 100, async () => {
      log.push('100');
      await new Promise<void>((r) => {
        open = r;
      });
    });
    await expect.poll(() => log.length).toBe(1);
    const third = b.run(70, 103, async () => {
      log.push('103');
    });
    const second = a.run(70, 101, async () => {
      log.push('101');
    });
    await expect.poll(async () => redis.zcard(chatKey(prefix, 70, 'turns'))).toBe(3);
    open();
    await Promise.all([first, second, third]);
    expect(log).toEqual(['100', '101', '103']);
    expect(await redis.exists(chatKey(prefix, 70, 'cur'))).toBe(0);
  });

  it('a process that died holding a chat, or waiting in it, is passed over once its lease ends', async () => {
    // What a SIGKILLed process leaves: update 200 holding the chat, 201 waiting; neither renews again.
    const [turns, leases, cur] = new ChatTurns(redis, prefix, { timeoutMs: 500 }).keys(71);
    const t = Date.now();
    await redis
      .multi()
      .zadd(turns, 200, '200', 201, '201')
      .hset(leases, '200', String(t + 300), '201', String(t + 300))
      .set(cur, '200', 'PX', 300)
      .exec();
    const ran: number[] = [];
    await gateOn(redis, 5000).run(71, 202, async () => {
      ran.push(202);
    });
    expect(ran).toEqual([202]);
    expect(await redis.zrange(turns, '0', '-1')).toEqual([]);
  });

  it('Redis unreachable: every update is handled, in arrival order within the process, and floods are counted here', async () => {
    const dead = createRedis('redis://127.0.0.1:1', { retryStrategy: () => 1000 });
    dead.on('error', () => {});
    const warned: string[] = [];
    const gate = new SharedChatGate<string>({
      redis: dead,
      prefix,
      redisTimeoutMs: 200,
      max: 2,
      windowMs: 60_000,
      now: () => 0,
      flush: async () => {},
      onWarn: (m) => warned.push(m),
    });
    try {
      const log: number[] = [];
      await Promise.all(
        [5, 3, 4].map((id) =>
          gate.run(72, id, async () => {
            await new Promise((r) => setTimeout(r, 5));
            log.push(id);
          }),
        ),
      );
      expect(log).toEqual([5, 3, 4]);
      expect([await gate.admit(72), await gate.admit(72), await gate.admit(72)]).toEqual(['normal', 'normal', 'notify']);
    } finally {
      gate.close();
      dead.disconnect();
    }
  });
});
