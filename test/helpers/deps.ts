import { pino } from 'pino';
import { loadConfig, type Config } from '../../src/config.js';
import { createDeps } from '../../src/compose.js';
import type { Deps } from '../../src/deps.js';
import { ManualClock } from '../../src/lib/clock.js';
import { FieldCipher } from '../../src/lib/crypto.js';
import { createCluster, createRedis } from '../../src/lib/redis.js';
import { createTestDatabase, type TestDatabase } from './db.js';
import { deleteRedisPrefix, testRedisPrefix, TEST_REDIS_URL } from './redis.js';

export interface TestDeps extends Deps {
  clock: ManualClock;
  testDb: TestDatabase;
  /** Close everything, drop the database and delete this file's Redis keys. */
  destroy(): Promise<void>;
}

/**
 * Real PostgreSQL (a fresh database per call), real Redis (a fresh key prefix),
 * a ManualClock and a silent logger. Use one per test file (beforeAll/afterAll).
 */
export async function createTestDeps(opts: { env?: Record<string, string>; start?: string; redisClusterNodes?: string } = {}): Promise<TestDeps> {
  const testDb = await createTestDatabase();
  const prefix = testRedisPrefix();
  const config: Readonly<Config> = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: testDb.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    // Tests answer at machine speed under a frozen clock: gathering by time is turned on by the tests of it.
    INTAKE_GATHER_SECONDS: '0',
    ...(opts.redisClusterNodes ? { REDIS_CLUSTER_NODES: opts.redisClusterNodes } : {}),
    ...opts.env,
  });
  const clock = new ManualClock(opts.start ?? '2026-11-23T09:00:00Z');
  const deps = await createDeps(config, {
    clock,
    database: testDb,
    // A test's own cluster (test/helpers/redis-cluster.ts) is removed whole afterwards.
    redis: opts.redisClusterNodes ? createCluster(opts.redisClusterNodes, TEST_REDIS_URL) : createRedis(TEST_REDIS_URL),
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    cipher: new FieldCipher([{ id: 'test1', key: Buffer.alloc(32, 9) }]),
  });
  return {
    ...deps,
    clock,
    testDb,
    async destroy() {
      await deps.close();
      await deps.redis.quit().catch(() => deps.redis.disconnect());
      if (!opts.redisClusterNodes) await deleteRedisPrefix(prefix);
      await testDb.destroy();
    },
  };
}
