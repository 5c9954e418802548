import { makePlatformSenders } from './senders.js';
import type { Config } from './config.js';
import type { Deps } from './deps.js';
import { openDatabase, type Database } from './db/client.js';
import { AuditService } from './audit/audit.service.js';
import { systemClock, type Clock } from './lib/clock.js';
import { FieldCipher, loadOrCreateKeyFile, parseKeyList } from './lib/crypto.js';
import { createLogger, type Logger } from './lib/logger.js';
import { createRedisFor, type RedisClient } from './lib/redis.js';
import { JobQueues } from './jobs/queues.js';
import type { DeliveryKindRegistry } from './delivery/kinds/registry.js';
import { DELIVERY_KINDS } from './catalogue.js';

/**
 * The one composition root: builds the Deps every feature receives (src/deps.ts),
 * with the delivery kinds of the catalogue (src/catalogue.ts). Entry points,
 * CLIs and tests call createDeps; features never import this file.
 */
export interface DepsOverrides {
  deliveryKinds?: DeliveryKindRegistry<Deps>;
  clock?: Clock;
  logger?: Logger;
  database?: Database;
  redis?: RedisClient;
  cipher?: FieldCipher;
}

function createCipher(config: Pick<Config, 'ENCRYPTION_KEYS' | 'ENCRYPTION_KEY_FILE' | 'NODE_ENV'>, logger?: Logger): FieldCipher {
  if (config.ENCRYPTION_KEYS) return new FieldCipher(parseKeyList(config.ENCRYPTION_KEYS));
  if (config.NODE_ENV === 'production') throw new Error('ENCRYPTION_KEYS is required in production');
  const { keys, created } = loadOrCreateKeyFile(config.ENCRYPTION_KEY_FILE);
  if (created) logger?.warn({ file: config.ENCRYPTION_KEY_FILE }, 'created a local encryption key file (development only); keep it with the data');
  return new FieldCipher(keys);
}

export async function createDeps(config: Readonly<Config>, o: DepsOverrides = {}): Promise<Deps> {
  const logger = o.logger ?? createLogger({ level: config.LOG_LEVEL });
  const clock = o.clock ?? systemClock;
  const database = o.database ?? (await openDatabase(config, (err) => logger.warn({ err: err.message }, 'database connection error')));
  const cipher = o.cipher ?? createCipher(config, logger);
  const redis = o.redis ?? createRedisFor(config);
  redis.on('error', (err: Error) => logger.warn({ err: err.message }, 'redis connection error'));
  const queues = new JobQueues(redis, config.QUEUE_PREFIX);
  const audit = new AuditService(database.db, clock);
  let closed = false;
  return {
    config,
    logger,
    clock,
    database,
    db: database.db,
    cipher,
    audit,
    redis,
    queues,
    deliveryKinds: o.deliveryKinds ?? DELIVERY_KINDS,
    makeSenders: makePlatformSenders,
    async close() {
      if (closed) return;
      closed = true;
      await queues.close().catch(() => {});
      if (!o.redis) await redis.quit().catch(() => redis.disconnect());
      if (!o.database) await database.close().catch(() => {});
    },
  };
}
