import type { Config } from './config.js';
import { openDatabase, type Database, type Db } from './db/client.js';
import { AuditService } from './audit/audit.service.js';
import { systemClock, type Clock } from './lib/clock.js';
import { FieldCipher, loadOrCreateKeyFile, parseKeyList } from './lib/crypto.js';
import { createLogger, type Logger } from './lib/logger.js';
import { createRedisFor, type RedisClient } from './lib/redis.js';
import { JobQueues } from './jobs/queues.js';
import type { PlatformClients } from './delivery/sender.js';
import { makePlatformSenders } from './senders.js';

/**
 * The one composition root. Features receive what they need from here; there is
 * no container and no global state, so tests build their own Deps on a test
 * database, a test Redis prefix and a ManualClock.
 */
export interface Deps {
  config: Readonly<Config>;
  logger: Logger;
  clock: Clock;
  database: Database;
  db: Db;
  cipher: FieldCipher;
  audit: AuditService;
  redis: RedisClient;
  queues: JobQueues;
  /** The platforms the delivery worker sends to (src/senders.ts); delivery builds them once per deps (platformSenders). */
  makeSenders: (deps: Deps) => PlatformClients;
  close(): Promise<void>;
}

export interface DepsOverrides {
  clock?: Clock;
  logger?: Logger;
  database?: Database;
  redis?: RedisClient;
  cipher?: FieldCipher;
}

export function createCipher(config: Pick<Config, 'ENCRYPTION_KEYS' | 'ENCRYPTION_KEY_FILE' | 'NODE_ENV'>, logger?: Logger): FieldCipher {
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
