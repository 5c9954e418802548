import type { Config } from './config.js';
import type { Db } from './db/client.js';
import { direct, type PlatformClients } from './delivery/sender.js';
import { SlackSender } from './delivery/senders/slack.sender.js';
import type { Clock } from './lib/clock.js';
import type { RedisClient } from './lib/redis.js';
import { TelegramSender } from './telegram/telegram.sender.js';
import { MessageTracker } from './telegram/telegram.tracker.js';

/**
 * The delivery worker's platform senders, chosen here at the composition root
 * (createDeps sets it as deps.makeSenders) so src/delivery stays free of the
 * platforms: a platform without a token is left out.
 */
export function makePlatformSenders(deps: { config: Readonly<Config>; db: Db; clock: Clock; redis: RedisClient }): PlatformClients {
  const c = deps.config;
  return {
    telegram: c.TELEGRAM_BOT_TOKEN
      ? new TelegramSender(deps, new MessageTracker(deps.redis, c.QUEUE_PREFIX), {
          token: c.TELEGRAM_BOT_TOKEN,
          apiRoot: c.TELEGRAM_API_ROOT,
          timeoutMs: c.PLATFORM_HTTP_TIMEOUT_MS,
        })
      : undefined,
    slack: c.SLACK_BOT_TOKEN ? direct(new SlackSender(c.SLACK_BOT_TOKEN, c.SLACK_API_URL, c.PLATFORM_HTTP_TIMEOUT_MS)) : undefined,
  };
}
