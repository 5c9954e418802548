/**
 * The delivery world (test/integration/delivery-fixtures.ts) for a whole test file: each helper
 * registers its beforeAll/afterAll (useForFile). Register the world first, so that what is started
 * on it closes before it does.
 */
import { pino } from 'pino';
import { createDeps } from '../../src/compose.js';
import type { Deps } from '../../src/deps.js';
import { createRedis } from '../../src/lib/redis.js';
import { createLater } from '../../src/db/after-commit.js';
import { createBot, type TelegramBot } from '../../src/telegram/telegram.bot.js';
import { startWorkers, type RunningWorkers } from '../../workers/start.js';
import { createWorld, type World } from '../integration/delivery-fixtures.js';
import { useForFile } from './suite-fixture.js';

/** Client and worker reminders only 24 hours ahead, and sends paced at 30 a second. */
export const REMINDER_24H_ENV = {
  REMINDER_OFFSETS_CLIENT: 'PT24H',
  REMINDER_OFFSETS_WORKER: 'PT24H',
  SLACK_CHANNEL_MESSAGES_PER_SECOND: '30',
  TELEGRAM_CHAT_MESSAGES_PER_SECOND: '30',
} as const;

/** A delivery world for the whole file (createWorld in beforeAll, closed in afterAll). */
export function useDeliveryWorld(opts: Parameters<typeof createWorld>[0] = {}): World {
  return useForFile(
    'the delivery world',
    () => createWorld(opts),
    (w) => w.close(),
  );
}

/** The delivery queue's workers running on the world for the whole file. */
export function useDeliveryWorkers(w: World): RunningWorkers {
  return useForFile(
    'the delivery workers',
    () => startWorkers(w.deps, { queues: ['delivery'] }),
    (workers) => workers.close(2000),
  );
}

/** The bot the front end builds (createBot), against the world's Telegram emulator, for the whole file. */
export function useTelegramBot(w: World): TelegramBot {
  return useForFile(
    'the Telegram bot',
    () => createBot(w.deps, { token: w.tg.token, apiRoot: w.tg.url, botInfo: w.tg.botInfo as never, later: createLater(w.deps.logger) }),
    (tb) => tb.close(),
  );
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
