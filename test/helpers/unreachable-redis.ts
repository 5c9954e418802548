import { pino } from 'pino';
import { createDeps } from '../../src/compose.js';
import type { Deps } from '../../src/deps.js';
import { createRedis } from '../../src/lib/redis.js';

/**
 * The same service (clock, database, cipher, config) with its Redis on a closed port: for "Redis is down"
 * paths of one process (the B6/B7 runs and test/faults stop a real redis-server). `close` ends its retries.
 */
export async function depsWithRedisUnreachable(deps: Deps): Promise<{ deps: Deps; close: () => void }> {
  const dead = createRedis('redis://127.0.0.1:1', { retryStrategy: () => 1000 });
  dead.on('error', () => {});
  const broken = await createDeps(deps.config, {
    clock: deps.clock,
    database: deps.database,
    cipher: deps.cipher,
    redis: dead,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
  });
  return { deps: broken, close: () => dead.disconnect() };
}
