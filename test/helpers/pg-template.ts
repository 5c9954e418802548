import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { MIGRATIONS_DIR, openPostgres } from '../../src/db/client.js';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Template database named after the migrations' content: a schema change makes a new template. */
function templateName(): string {
  const h = createHash('sha256');
  for (const f of readdirSync(MIGRATIONS_DIR)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    h.update(f).update(readFileSync(join(MIGRATIONS_DIR, f)));
  }
  return `cw_tpl_${h.digest('hex').slice(0, 12)}`;
}

export function urlFor(database: string): string {
  const u = new URL(TEST_DATABASE_URL);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Build the migrated template once per schema version (guarded against concurrent runs). */
export async function ensureTemplate(): Promise<string> {
  const name = templateName();
  await withAdmin(async (c) => {
    await c.query('select pg_advisory_lock(424242)');
    try {
      const exists = await c.query('select 1 from pg_database where datname = $1', [name]);
      if (exists.rowCount) return;
      await c.query(`create database "${name}_building"`).catch(async () => {
        await c.query(`drop database if exists "${name}_building" with (force)`);
        await c.query(`create database "${name}_building"`);
      });
      const database = openPostgres(urlFor(`${name}_building`), { max: 1 });
      try {
        await database.migrate();
      } finally {
        await database.close();
      }
      await c.query(`alter database "${name}_building" rename to "${name}"`);
    } finally {
      await c.query('select pg_advisory_unlock(424242)');
    }
  });
  return name;
}
