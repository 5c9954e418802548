import { mkdtempSync, mkdirSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, openPostgres } from '../../src/db/client.js';
import { clients } from '../../src/db/schema.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { constraintSuite, pgErrorCode } from '../helpers/db-suite.js';
import { makeCase, makeClient } from '../helpers/factories.js';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.destroy();
});

describe('PostgreSQL storage', () => {
  it('has every committed migration applied', async () => {
    expect(await tdb.migrationsApplied()).toBe(true);
  });

  it('protects the records with constraints', async () => {
    await constraintSuite(tdb.db);
  });

  it('hands out unique case references to concurrent intakes', async () => {
    const client = await makeClient(tdb.db, { timeZone: 'Asia/Shanghai' });
    const now = DateTime.fromISO('2027-01-01T00:00:05Z');
    const refs = await Promise.all(
      Array.from({ length: 20 }, () => makeCase(tdb.db, { clientId: client.id, category: 'health', priority: 'low' }, now).then((c) => c.reference)),
    );
    expect(new Set(refs).size).toBe(20);
    expect(refs.every((r) => /^C-2027-00(0[1-9]|1[0-9]|20)$/.test(r))).toBe(true);
  });

  it('applies migrations in one transaction: a failing migration leaves no half schema', async () => {
    const scratch = await createTestDatabase();
    try {
      // Copy the real migrations and add a broken one after them.
      const dir = mkdtempSync(join(tmpdir(), 'cw-mig-'));
      cpSync(MIGRATIONS_DIR, dir, { recursive: true });
      const journalPath = join(dir, 'meta/_journal.json');
      const journal = JSON.parse((await import('node:fs')).readFileSync(journalPath, 'utf8'));
      journal.entries.push({ idx: journal.entries.length, version: '7', when: Date.now(), tag: '9999_broken', breakpoints: true });
      writeFileSync(journalPath, JSON.stringify(journal));
      writeFileSync(join(dir, '9999_broken.sql'), 'CREATE TABLE half_done (id int);\n--> statement-breakpoint\nSELECT * FROM no_such_table;');
      mkdirSync(join(dir, 'meta'), { recursive: true });
      await expect(scratch.migrate(dir)).rejects.toThrow();
      const res = await scratch.db.execute(sql`select to_regclass('public.half_done') as t`);
      expect((res as unknown as { rows: Array<{ t: string | null }> }).rows[0]!.t).toBeNull();
      // The earlier migrations are still recorded and intact.
      expect(await scratch.migrationsApplied()).toBe(true);
    } finally {
      await scratch.destroy();
    }
  });

  it('names host and port, never the password, when PostgreSQL is unreachable', async () => {
    const database = openPostgres('postgres://admin:s3cret-pw@127.0.0.1:1/nothing', { max: 1 });
    try {
      const err = await database.ping().then(
        () => null,
        (e: Error) => e,
      );
      expect(err?.message).toMatch(/PostgreSQL at 127\.0\.0\.1:1 is not reachable/);
      expect(err?.message).not.toContain('s3cret-pw');
    } finally {
      await database.close();
    }
  });

  it('reports an unknown column value as a check violation, not silently stored', async () => {
    expect(await pgErrorCode(tdb.db.insert(clients).values({ timeZone: 'UTC', language: 'fr' as never }))).toBe('23514');
  });
});
