import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';

/**
 * Send budgets shared by every worker process through Redis (the platforms
 * count per bot / per chat / per channel, not per process):
 * - Telegram: TELEGRAM_MESSAGES_PER_SECOND for the whole bot (Telegram allows
 *   ~30/s; we keep a margin) and TELEGRAM_CHAT_MESSAGES_PER_SECOND per chat;
 * - Slack: SLACK_CHANNEL_MESSAGES_PER_SECOND per channel or DM.
 * A platform 429 blocks the key for exactly the time the platform asked, so
 * every process waits, not just the one that was told.
 * Fixed one-second windows (rate-limiter-flexible): two sends can fall either
 * side of a window edge; the platforms tolerate short bursts, and a 429 that
 * still happens is honoured the same way.
 */
export type BudgetKey = { limiter: 'telegram_bot' | 'telegram_chat' | 'slack_channel'; id: string };

export type BudgetDecision = { ok: true } | { ok: false; waitMs: number };

export class RateBudgets {
  private readonly limiters: Record<BudgetKey['limiter'], RateLimiterRedis>;

  constructor(redis: Redis, config: Pick<Config, 'QUEUE_PREFIX' | 'TELEGRAM_MESSAGES_PER_SECOND' | 'TELEGRAM_CHAT_MESSAGES_PER_SECOND' | 'SLACK_CHANNEL_MESSAGES_PER_SECOND'>) {
    const make = (name: string, points: number) =>
      new RateLimiterRedis({ storeClient: redis, useRedisPackage: false, keyPrefix: `${config.QUEUE_PREFIX}:rl:${name}`, points, duration: 1 });
    this.limiters = {
      telegram_bot: make('tg-bot', config.TELEGRAM_MESSAGES_PER_SECOND),
      telegram_chat: make('tg-chat', config.TELEGRAM_CHAT_MESSAGES_PER_SECOND),
      slack_channel: make('slack-ch', config.SLACK_CHANNEL_MESSAGES_PER_SECOND),
    };
  }

  /**
   * Take one send from every key, narrowest first. When one refuses, the
   * caller waits the longest time any key asked for. (A point taken from a
   * narrower key before a wider one refused is simply spent: a slightly slower
   * send, never a faster one.)
   */
  async take(keys: BudgetKey[]): Promise<BudgetDecision> {
    for (const k of keys) {
      try {
        await this.limiters[k.limiter].consume(k.id);
      } catch (res) {
        if (res instanceof RateLimiterRes) return { ok: false, waitMs: Math.max(1, res.msBeforeNext) };
        throw res;
      }
    }
    return { ok: true };
  }

  /** The platform said "retry after": nobody sends on this key until then. */
  async pause(key: BudgetKey, ms: number): Promise<void> {
    await this.limiters[key.limiter].block(key.id, Math.max(1, Math.ceil(ms / 1000)));
  }
}
