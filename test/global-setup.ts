import { execFileSync } from 'node:child_process';
import { Redis } from 'ioredis';
import { ensureTemplate, TEST_DATABASE_URL, TEST_REDIS_URL, withAdmin } from './helpers/pg-template.js';
import { describeEndpoint } from '../src/config.js';

/**
 * The integration and e2e tests need the real PostgreSQL and Redis: they are never
 * skipped. If either is down, fail at once with a message that says how to start it.
 * Both projects name this file; vitest runs their global setups one after the other in
 * one process, so the work is done once per run.
 */
const ONCE = Symbol.for('casework.test.global-setup');
export default function setup(): Promise<void> {
  const g = globalThis as { [ONCE]?: Promise<void> };
  g[ONCE] ??= prepareServices();
  return g[ONCE];
}

async function prepareServices(): Promise<void> {
  try {
    await withAdmin(async (c) => {
      await c.query('select 1');
    });
  } catch (err) {
    throw new Error(
      `PostgreSQL for tests is not reachable at ${describeEndpoint(TEST_DATABASE_URL)} (${(err as Error).message}). ` +
        'Start it (see README, "Tests") or set TEST_DATABASE_URL.',
    );
  }
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    throw new Error(
      `Redis for tests is not reachable at ${describeEndpoint(TEST_REDIS_URL)} (${(err as Error).message}). ` +
        'Start it (see README, "Tests") or set TEST_REDIS_URL.',
    );
  } finally {
    redis.disconnect();
  }
  await ensureTemplate();
  // The fault suite runs the service as production does (`node dist/…`): build once here, before any
  // test file runs, so two files never rebuild dist/ under each other's running processes.
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'ignore' });
}
