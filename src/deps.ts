import type { Config } from './config.js';
import type { Database, Db } from './db/client.js';
import type { AuditService } from './audit/audit.service.js';
import type { Clock } from './lib/clock.js';
import type { FieldCipher } from './lib/crypto.js';
import type { Logger } from './lib/logger.js';
import type { RedisClient } from './lib/redis.js';
import type { JobQueues } from './jobs/queues.js';
import type { DeliveryKindRegistry } from './delivery/kinds/registry.js';
import type { PlatformClients } from './delivery/sender.js';

/**
 * What every feature receives: built in one place, the composition root
 * (createDeps in src/compose.ts, with the job and delivery-kind catalogue of
 * src/catalogue.ts). There is no container and no global state, so tests build
 * their own Deps on a test database, a test Redis prefix and a ManualClock.
 * Type imports only, of modules that never import a feature back: every feature imports this file.
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
  /** The renderer of every delivery kind, by name (src/catalogue.ts): what the sender looks a row's kind up in. */
  deliveryKinds: DeliveryKindRegistry<Deps>;
  /** The platforms the delivery worker sends to (src/senders.ts); delivery builds them once per deps (platformSenders). */
  makeSenders: (deps: Deps) => PlatformClients;
  close(): Promise<void>;
}
