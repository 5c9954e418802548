import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, type Database } from '../../src/db/client.js';
import { constraintSuite } from '../helpers/db-suite.js';

/**
 * The embedded default (PGlite, used by `npm start` with no DATABASE_URL) runs
 * the same committed migrations and enforces the same constraints as PostgreSQL.
 * Run once: a cold PGlite start costs seconds and ~600 MiB.
 */
let dir: string;
let database: Database;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cw-pglite-'));
  database = await openPglite(join(dir, 'pglite'));
  await database.migrate();
}, 120_000);
afterAll(async () => {
  await database?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('embedded PGlite', () => {
  it('applies every committed migration', async () => {
    expect(await database.migrationsApplied()).toBe(true);
    // Applying again is a no-op.
    await database.migrate();
    expect(await database.migrationsApplied()).toBe(true);
  });

  it('protects the records with the same constraints as PostgreSQL', async () => {
    await constraintSuite(database.db);
  });
});
