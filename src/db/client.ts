import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransactionConfig } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import * as schema from './schema.js';
import { describeEndpoint } from '../config.js';

/** One schema and one query module serve both node-postgres and embedded PGlite. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/**
 * The one way to run a transaction, for both drivers: `fn` receives the
 * transaction as a Db, so every repository and service that takes a Db takes
 * it unchanged (no casts at the call sites). It commits when `fn` resolves and
 * rolls back when it throws. Work that must follow the commit (jobs, platform
 * calls) is never started inside `fn`: see src/db/after-commit.ts.
 */
export function inTransaction<T>(db: Db, fn: (tx: Db) => Promise<T>, config?: PgTransactionConfig): Promise<T> {
  return db.transaction((tx): Promise<T> => fn(tx), config);
}

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));

export interface Database {
  db: Db;
  /**
   * A few connections of their own for the crisis path (DB_URGENT_POOL_MAX; PostgreSQL only): recording a
   * crisis and sending its pages must not queue behind a burst's or a crowd's queries for the main pool
   * (src/db/urgent.ts). Absent on PGlite (one connection in process anyway).
   */
  urgent?: Db;
  kind: 'postgres' | 'pglite';
  /** host:port or the data directory: safe to print (no password). */
  where: string;
  migrate(folder?: string): Promise<void>;
  ping(): Promise<void>;
  /** true when every committed migration is recorded as applied. */
  migrationsApplied(): Promise<boolean>;
  close(): Promise<void>;
}

class DatabaseUnavailableError extends Error {
  readonly code = 'DB_UNAVAILABLE';
  constructor(where: string, cause: unknown) {
    const reason = cause instanceof Error ? ((cause as NodeJS.ErrnoException).code ?? cause.message) : String(cause);
    super(`PostgreSQL at ${where} is not reachable (${reason})`);
    this.name = 'DatabaseUnavailableError';
  }
}

function journalCount(folder = MIGRATIONS_DIR): number {
  const journal = JSON.parse(readFileSync(resolve(folder, 'meta/_journal.json'), 'utf8')) as { entries: unknown[] };
  return journal.entries.length;
}

function withMigrationHelpers(
  db: Db,
  kind: Database['kind'],
  where: string,
  close: () => Promise<void>,
  runMigrate: (folder: string) => Promise<void>,
): Database {
  return {
    db,
    kind,
    where,
    migrate: (folder = MIGRATIONS_DIR) => runMigrate(folder),
    async ping() {
      try {
        await db.execute(sql`select 1`);
      } catch (err) {
        throw new DatabaseUnavailableError(where, err);
      }
    },
    async migrationsApplied() {
      try {
        const res = await db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
        const rows = (res as unknown as { rows: Array<{ n: number }> }).rows;
        return (rows[0]?.n ?? 0) >= journalCount();
      } catch {
        return false;
      }
    },
    close,
  };
}

export function openPostgres(connectionString: string, opts: { max?: number; urgentMax?: number; onError?: (err: Error) => void } = {}): Database {
  const pool = new pg.Pool({ connectionString, max: opts.max ?? 10, connectionTimeoutMillis: 5000 });
  // The crisis path's own few connections (opened only when used).
  const urgentPool = new pg.Pool({ connectionString, max: opts.urgentMax ?? 2, connectionTimeoutMillis: 5000 });
  // An idle client losing its server must not crash the process; /readyz reports it.
  pool.on('error', (err) => opts.onError?.(err));
  urgentPool.on('error', (err) => opts.onError?.(err));
  const db: Db = drizzlePg(pool, { schema });
  let closed = false;
  const database = withMigrationHelpers(
    db,
    'postgres',
    describeEndpoint(connectionString),
    async () => {
      if (closed) return;
      closed = true;
      await Promise.all([pool.end(), urgentPool.end()]);
    },
    async (folder) => {
      // The node-postgres migrator applies all pending migrations in one transaction.
      await migratePg(db as never, { migrationsFolder: folder });
    },
  );
  return { ...database, urgent: drizzlePg(urgentPool, { schema }) };
}

export async function openPglite(dataDir: string): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const abs = resolve(dataDir);
  mkdirSync(dirname(abs), { recursive: true });
  const client = new PGlite(abs);
  await client.waitReady;
  const db: Db = drizzlePglite(client, { schema });
  return withMigrationHelpers(
    db,
    'pglite',
    abs,
    async () => {
      if (!client.closed) await client.close();
    },
    async (folder) => {
      await migratePglite(db as never, { migrationsFolder: folder });
    },
  );
}

export async function openDatabase(
  cfg: { DATABASE_URL?: string | undefined; PGLITE_DIR: string; DB_POOL_MAX: number; DB_URGENT_POOL_MAX: number },
  onError?: (err: Error) => void,
): Promise<Database> {
  return cfg.DATABASE_URL
    ? openPostgres(cfg.DATABASE_URL, { max: cfg.DB_POOL_MAX, urgentMax: cfg.DB_URGENT_POOL_MAX, ...(onError ? { onError } : {}) })
    : openPglite(cfg.PGLITE_DIR);
}
