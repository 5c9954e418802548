/**
 * The delivery world (test/integration/delivery-fixtures.ts) as a suite fixture: each helper
 * registers its beforeAll/afterAll and returns a stand-in that forwards to the real thing once
 * beforeAll has made it. Register the world first: Vitest runs afterAll hooks in reverse
 * (sequence.hooks 'stack'), so what is started on the world closes before the world does.
 */
import { afterAll, beforeAll } from 'vitest';
import { pino } from 'pino';
import { createDeps } from '../../src/compose.js';
import type { Deps } from '../../src/deps.js';
import { createRedis } from '../../src/lib/redis.js';
import { createLater } from '../../src/db/after-commit.js';
import { createBot, type TelegramBot } from '../../src/telegram/telegram.bot.js';
import { startWorkers, type RunningWorkers } from '../../workers/start.js';
import { createWorld, type World } from '../integration/delivery-fixtures.js';

/** Client and worker reminders only 24 hours ahead, and sends paced at 30 a second. */
export const REMINDER_24H_ENV = {
  REMINDER_OFFSETS_CLIENT: 'PT24H',
  REMINDER_OFFSETS_WORKER: 'PT24H',
  SLACK_CHANNEL_MESSAGES_PER_SECOND: '30',
  TELEGRAM_CHAT_MESSAGES_PER_SECOND: '30',
} as const;

/** A stand-in for a value a beforeAll makes: property reads (methods bound) go to the value set. */
function lateValue<T extends object>(what: string): { proxy: T; set(v: T): void; get(): T | undefined } {
  let current: T | undefined;
  const proxy = new Proxy({} as T, {
    get(_, key) {
      if (!current) throw new Error(`${what} is used before its beforeAll made it`);
      const v = Reflect.get(current, key);
      return typeof v === 'function' ? v.bind(current) : v;
    },
  });
  return { proxy, set: (v) => (current = v), get: () => current };
}

/** A delivery world for the whole file (createWorld in beforeAll, closed in afterAll). */
export function useDeliveryWorld(opts: Parameters<typeof createWorld>[0] = {}): World {
  const world = lateValue<World>('the delivery world');
  beforeAll(async () => world.set(await createWorld(opts)));
  afterAll(async () => world.get()?.close());
  return world.proxy;
}

/** The delivery queue's workers running on the world for the whole file. */
export function useDeliveryWorkers(w: World): void {
  let workers: RunningWorkers | undefined;
  beforeAll(async () => {
    workers = await startWorkers(w.deps, { queues: ['delivery'] });
  });
  afterAll(async () => workers?.close(2000));
}

/** The bot the front end builds (createBot), against the world's Telegram emulator, for the whole file. */
export function useTelegramBot(w: World): TelegramBot {
  const tb = lateValue<TelegramBot>('the Telegram bot');
  beforeAll(() => {
    tb.set(createBot(w.deps, { token: w.tg.token, apiRoot: w.tg.url, botInfo: w.tg.botInfo as never, later: createLater(w.deps.logger) }));
  });
  afterAll(async () => tb.get()?.close());
  return tb.proxy;
}

/**
 * Another process's connections to the world: its database, clock and cipher, with `config` and a
 * Redis client of its own on `redisUrl`, logging nothing. The caller closes them.
 */
export function otherProcessDeps(w: World, config: Parameters<typeof createDeps>[0], redisUrl: string): Promise<Deps> {
  return createDeps(config, {
    clock: w.deps.clock,
    database: w.deps.testDb,
    redis: createRedis(redisUrl),
    cipher: w.deps.cipher,
    logger: pino({ level: 'silent' }),
  });
}
