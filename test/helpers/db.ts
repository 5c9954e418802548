import { randomBytes } from 'node:crypto';
import { openPostgres, type Database } from '../../src/db/client.js';
import { ensureTemplate, urlFor, withAdmin } from './pg-template.js';

export interface TestDatabase extends Database {
  name: string;
  url: string;
  /** close the pool and drop the database */
  destroy(): Promise<void>;
}

/**
 * A fresh, migrated database per test file (a copy of the template: ~100 ms),
 * so test files never see each other's rows and can run in parallel.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = await ensureTemplate();
  const name = `cw_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  for (let attempt = 0; ; attempt++) {
    try {
      await withAdmin((c) => c.query(`create database "${name}" template "${template}"`));
      break;
    } catch (err) {
      // Another backend copying the same template at this instant: try again shortly.
      if (attempt >= 10 || !/being accessed by other users/.test((err as Error).message)) throw err;
      await new Promise((r) => setTimeout(r, 100 + attempt * 50));
    }
  }
  const url = urlFor(name);
  const database = openPostgres(url, { max: 5 });
  return {
    ...database,
    name,
    url,
    async destroy() {
      await database.close();
      await withAdmin((c) => c.query(`drop database if exists "${name}" with (force)`));
    },
  };
}
