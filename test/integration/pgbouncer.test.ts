import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openPostgres, type Database } from '../../src/db/client.js';
import { planDeliveries } from '../../src/delivery/ledger.js';
import { usePreparedStatements } from '../../src/db/prepared.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

/**
 * Issue 14, item 5 (part): behind pgbouncer in transaction mode, where each
 * transaction may get another server connection, DB_PREPARED_STATEMENTS=off
 * sends the hot statements unnamed and they work. A real pgbouncer (Debian's
 * package; .ci/run installs it) in front of the real PostgreSQL.
 */
const PGBOUNCER = '/usr/sbin/pgbouncer';
const installed = spawnSync(PGBOUNCER, ['--version']).status === 0;
if (!installed) console.warn('pgbouncer.test: pgbouncer is not installed (apt-get install pgbouncer), so this test is skipped; .ci/run installs it');

let testDb: TestDatabase;
let bouncer: ChildProcess | undefined;
let viaBouncer: Database;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  if (!installed) return;
  testDb = await createTestDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'cw-pgbouncer-'));
  chmodSync(dir, 0o777);
  const port = await freePort();
  const ini = join(dir, 'pgbouncer.ini');
  writeFileSync(
    ini,
    [
      '[databases]',
      '* = host=127.0.0.1 port=5432 user=postgres',
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'auth_type = any',
      'pool_mode = transaction',
      'default_pool_size = 2',
      'max_client_conn = 100',
      'unix_socket_dir =',
      `logfile = ${join(dir, 'log')}`,
      'ignore_startup_parameters = extra_float_digits,options',
    ].join('\n'),
  );
  chmodSync(ini, 0o644);
  // pgbouncer refuses to run as root.
  const asRoot = process.getuid?.() === 0;
  bouncer = spawn(asRoot ? 'runuser' : PGBOUNCER, asRoot ? ['-u', 'postgres', '--', PGBOUNCER, ini] : [ini], { stdio: 'ignore' });
  usePreparedStatements(false);
  viaBouncer = openPostgres(`postgres://postgres@127.0.0.1:${port}/${testDb.name}`, { max: 8 });
  // Wait up to 10 s for pgbouncer to answer; if it never does, the tests below say so.
  const answers = () =>
    viaBouncer.ping().then(
      () => true,
      () => false,
    );
  await vi.waitUntil(answers, { timeout: 10_000, interval: 100 }).catch(() => undefined);
});
afterAll(async () => {
  await viaBouncer?.close().catch(() => {});
  bouncer?.kill('SIGTERM');
  await testDb?.destroy();
});

describe('behind pgbouncer in transaction mode', () => {
  it.skipIf(!installed)('with DB_PREPARED_STATEMENTS=off the hot statements work from many connections over two server connections', async () => {
    const now = DateTime.fromISO('2026-11-23T10:00:00Z');
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        viaBouncer.db.transaction((tx) =>
          planDeliveries(
            tx,
            [
              {
                kind: 'oncall_gap',
                subjectId: `pgbouncer-${i}`,
                recipient: 'channel:C0TEST',
                channel: 'slack',
                dueAt: now,
              },
            ],
            now,
          ),
        ),
      ),
    );
    expect(results.flat()).toHaveLength(40);
    const [{ n }] = (
      (await viaBouncer.db.execute(sql`select count(*)::int n from deliveries where subject_id like 'pgbouncer-%'`)) as unknown as {
        rows: Array<{ n: number }>;
      }
    ).rows as [{ n: number }];
    expect(n).toBe(40);
    // Planning again returns the same rows (the statement's ON CONFLICT path), still unnamed.
    const again = await viaBouncer.db.transaction((tx) =>
      planDeliveries(tx, [{ kind: 'oncall_gap', subjectId: 'pgbouncer-0', recipient: 'channel:C0TEST', channel: 'slack', dueAt: now }], now),
    );
    expect(again[0]!.id).toBe(results[0]![0]!.id);
  });
});
