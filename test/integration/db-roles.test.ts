import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantServiceRole } from '../../src/db/grants.js';
import { openPostgres } from '../../src/db/client.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { migrateAtStart } from '../../src/boot.js';
import { urlFor, withAdmin } from '../helpers/pg-template.js';

/**
 * Issue 14, item 2: the service's role cannot rewrite the audit log by any
 * route a table owner has — UPDATE, DELETE, TRUNCATE, disabling or dropping
 * the trigger — while it can still do its work and read the migrations.
 * Real PostgreSQL; the tables are owned by the migrating role (here the admin).
 */
let testDb: TestDatabase;
const role = `cw_app_${randomBytes(4).toString('hex')}`;
let app: pg.Client;

beforeAll(async () => {
  testDb = await createTestDatabase();
  await withAdmin((c) => c.query(`create role "${role}" login`));
  const owner = new pg.Client({ connectionString: testDb.url });
  await owner.connect();
  await grantServiceRole(owner, role);
  await owner.end();
  const u = new URL(urlFor(testDb.name));
  u.username = role;
  app = new pg.Client({ connectionString: u.toString() });
  await app.connect();
});
afterAll(async () => {
  await app?.end().catch(() => {});
  await testDb?.destroy();
  await withAdmin((c) => c.query(`drop role if exists "${role}"`)).catch(() => {});
});

const code = async (q: string): Promise<string> => {
  try {
    await app.query(q);
    return 'ok';
  } catch (err) {
    return (err as { code?: string }).code ?? 'error';
  }
};

describe('the service role', () => {
  it('adds to and reads the audit log, and works with the case tables', async () => {
    expect(await code(`insert into audit_log (at, actor_type, action) values (now(), 'system', 'test.role')`)).toBe('ok');
    expect((await app.query(`select count(*)::int n from audit_log where action = 'test.role'`)).rows[0].n).toBe(1);
    expect(await code(`insert into clients (time_zone) values ('Europe/London')`)).toBe('ok');
    expect(await code(`update clients set language = 'zh'`)).toBe('ok');
    expect(await code(`select count(*) from drizzle.__drizzle_migrations`)).toBe('ok');
  });

  it('cannot change, remove or truncate audit rows, nor disable, drop or replace the trigger', async () => {
    expect(await code(`update audit_log set action = 'rewritten'`)).toBe('42501');
    expect(await code(`delete from audit_log`)).toBe('42501');
    expect(await code(`truncate audit_log`)).toBe('42501');
    expect(await code(`alter table audit_log disable trigger user`)).toBe('42501');
    expect(await code(`alter table audit_log disable trigger audit_log_no_update_delete`)).toBe('42501');
    expect(await code(`drop trigger audit_log_no_update_delete on audit_log`)).toBe('42501');
    expect(await code(`create or replace function audit_log_refuse_change() returns trigger as $$ begin return new; end $$ language plpgsql`)).toBe('42501');
    expect(await code(`alter table audit_log owner to "${role}"`)).toBe('42501');
    expect((await app.query(`select count(*)::int n from audit_log where action = 'rewritten'`)).rows[0].n).toBe(0);
  });

  it('cannot change the schema (migrations need the owner)', async () => {
    expect(await code(`create table sneaky (id int)`)).toBe('42501');
    expect(await code(`drop table cases`)).toBe('42501');
    const asApp = new URL(urlFor(testDb.name));
    asApp.username = role;
    const database = openPostgres(asApp.toString(), { max: 1 });
    try {
      expect(await database.migrationsApplied()).toBe(true);
    } finally {
      await database.close();
    }
  });

  it('refuses a role name that is not a plain identifier, and the owner itself', async () => {
    const owner = new pg.Client({ connectionString: testDb.url });
    await owner.connect();
    try {
      await expect(grantServiceRole(owner, 'x"; drop table cases; --')).rejects.toThrow(/not a plain PostgreSQL role name/);
      await expect(grantServiceRole(owner, 'postgres')).rejects.toThrow(/owns the tables/);
    } finally {
      await owner.end();
    }
  });
});

describe('migrations at start', () => {
  const cfg = (over: Record<string, unknown>) => ({ NODE_ENV: 'development', DATABASE_MIGRATION_URL: undefined, ...over }) as never;
  const silent = { info() {}, warn() {}, error() {} } as never;

  it('production without the owner URL only checks: a database missing migrations stops the start with what to do', async () => {
    const name = `cw_t_empty_${randomBytes(4).toString('hex')}`;
    await withAdmin((c) => c.query(`create database "${name}"`));
    const empty = openPostgres(urlFor(name), { max: 1 });
    try {
      await expect(migrateAtStart(cfg({ NODE_ENV: 'production' }), empty, silent)).rejects.toThrow(/run `npm run db:migrate` with DATABASE_MIGRATION_URL/);
      // With the owner's URL the same start applies them (over the owner's connection).
      await migrateAtStart(cfg({ NODE_ENV: 'production', DATABASE_MIGRATION_URL: urlFor(name) }), empty, silent);
      expect(await empty.migrationsApplied()).toBe(true);
      await migrateAtStart(cfg({ NODE_ENV: 'production' }), empty, silent);
    } finally {
      await empty.close();
      await withAdmin((c) => c.query(`drop database if exists "${name}" with (force)`));
    }
  });
});
