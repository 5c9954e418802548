import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { deleteRedisPrefix, testRedisPrefix, TEST_REDIS_URL } from '../helpers/redis.js';

/**
 * The service as an operator runs it: `node --import tsx src/main.ts` (what
 * `npm start` execs) in its own process. Asserts exit codes and what the
 * operator reads, not timings. (Signals under load: test/faults/shutdown.test.ts.)
 */
const MAIN = new URL('../../src/main.ts', import.meta.url).pathname;
const WORKERS = new URL('../../workers/main.ts', import.meta.url).pathname;

interface Run {
  code: number | null;
  out: string;
}

function start(env: Record<string, string>, opts: { onReady?: (out: string, kill: () => void) => void; entry?: string[] } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...(opts.entry ?? [MAIN, '--with-workers'])], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let signalled = false;
    const onData = (d: Buffer) => {
      out += d.toString();
      if (!signalled && opts.onReady && /workers started/.test(out)) {
        signalled = true;
        opts.onReady(out, () => child.kill('SIGTERM'));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out }));
  });
}

let tdb: TestDatabase;
let prefix: string;
beforeAll(async () => {
  tdb = await createTestDatabase();
  prefix = testRedisPrefix();
});
afterAll(async () => {
  await tdb?.destroy();
  if (prefix) await deleteRedisPrefix(prefix);
});

describe('the service process', () => {
  it('refuses an invalid environment with exit code 2 and one message naming each bad variable', async () => {
    const r = await start({ PORT: 'abc', REDIS_URL: 'nope', DEFAULT_TIMEZONE: 'Nowhere/Land' });
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/Invalid configuration \(3 problems\)/);
    for (const v of ['PORT', 'REDIS_URL', 'DEFAULT_TIMEZONE']) expect(r.out).toContain(`- ${v}:`);
  });

  it('a workers-only process that cannot send for a platform refuses to start (exit 2, naming what is missing)', async () => {
    const base = { DATABASE_URL: tdb.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix };
    const none = await start(base, { entry: [WORKERS] });
    expect(none.code).toBe(2);
    expect(none.out).toContain('Cannot start the workers: they send to Telegram and Slack, and TELEGRAM_BOT_TOKEN and SLACK_BOT_TOKEN are not set.');
    const slackOnly = await start({ ...base, SLACK_BOT_TOKEN: 'xoxb-x', SLACK_SIGNING_SECRET: 's' }, { entry: [MAIN, '--with-workers'] });
    expect(slackOnly.code).toBe(2);
    expect(slackOnly.out).toMatch(/TELEGRAM_BOT_TOKEN is not set/);
  });

  it('exits 1 naming host and port (never the password) when PostgreSQL is unreachable', async () => {
    const r = await start({
      DATABASE_URL: 'postgres://casework:pw-do-not-print@127.0.0.1:1/x',
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      LOG_LEVEL: 'fatal',
    });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/PostgreSQL at 127\.0\.0\.1:1 is not reachable/);
    expect(r.out).not.toContain('pw-do-not-print');
  });

  it('exits 1 naming host and port when Redis is unreachable', async () => {
    const r = await start({ DATABASE_URL: tdb.url, REDIS_URL: 'redis://:redis-secret@127.0.0.1:1', QUEUE_PREFIX: prefix, LOG_LEVEL: 'fatal' });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/Redis at 127\.0\.0\.1:1 is not reachable/);
    expect(r.out).not.toContain('redis-secret');
  });

  it('starts, answers /readyz with 200, and stops cleanly on SIGTERM', async () => {
    let ready: { status: number; body: unknown } | undefined;
    const r = await start(
      // No platform tokens: the front ends this environment selects must not block start or stop.
      {
        DATABASE_URL: tdb.url,
        REDIS_URL: TEST_REDIS_URL,
        QUEUE_PREFIX: prefix,
        PORT: '0',
        LOG_LEVEL: 'info',
        ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 5).toString('base64')}`,
      },
      {
        onReady: (out, kill) => {
          const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
          if (!m) {
            kill();
            return;
          }
          fetch(`${m[1]}/readyz`)
            .then(async (res) => {
              ready = { status: res.status, body: await res.json() };
            })
            .finally(kill);
        },
      },
    );
    expect(ready).toEqual({ status: 200, body: { ok: true, checks: { database: true, migrations: true, redis: true } } });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/"msg":"stopped"/);
    expect(r.out).not.toMatch(/did not stop in time/);
  });
});
