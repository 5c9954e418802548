/**
 * Shared benchmark plumbing: seeded randomness, timing and statistics, a
 * printed table and bench/results/<name>.json, and a scratch world (a fresh
 * PostgreSQL database copied from the test template, a fresh Redis prefix)
 * with staff, clients and cases generated in SQL.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { DateTime } from 'luxon';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { createDeps } from '../src/compose.js';
import type { Deps } from '../src/deps.js';
import { systemClock, type Clock } from '../src/lib/clock.js';
import { FieldCipher } from '../src/lib/crypto.js';
import { createRedis } from '../src/lib/redis.js';
import type { TelegramEmulator } from '../src/sandbox/telegram-emulator.js';
import { createTestDatabase, type TestDatabase } from '../test/helpers/db.js';
import { deleteRedisPrefix, testRedisPrefix, TEST_REDIS_URL } from '../test/helpers/redis.js';

export const RESULTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');

/** Integer env knob with a default (sizes are configurable so a shared machine can run the defaults in minutes). */
export function envInt(name: string, dflt: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v.replace(/_/g, ''));
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got ${v}`);
  return Math.floor(n);
}
export const FULL = process.argv.includes('--full') || process.env.BENCH_FULL === '1';
export const SEED = envInt('BENCH_SEED', 42);

/** mulberry32: small, fast, seeded — the same data every run. */
export function rng(seed = SEED): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1));
  return s[i]!;
}
export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number[];
}
export function spread(runs: number[]): Spread {
  return { median: quantile(runs, 0.5), min: Math.min(...runs), max: Math.max(...runs), runs };
}
export const r2 = (x: number) => Math.round(x * 100) / 100;
export const fmt = (s: Spread, unit = '') => `${r2(s.median)}${unit} (${r2(s.min)}–${r2(s.max)})`;

/** Warm-up run(s) discarded, then `runs` measured ones. */
export async function repeat<T>(warmups: number, runs: number, fn: (i: number, warm: boolean) => Promise<T>): Promise<T[]> {
  for (let i = 0; i < warmups; i++) await fn(i, true);
  const out: T[] = [];
  for (let i = 0; i < runs; i++) out.push(await fn(i, false));
  return out;
}

export interface Row {
  metric: string;
  value: string;
  goal?: string;
  met?: boolean | null;
}
export interface BenchResult {
  name: string;
  title: string;
  params: Record<string, unknown>;
  rows: Row[];
  data: Record<string, unknown>;
}

export function machine() {
  return {
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    totalMemGiB: r2(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.release()}`,
    loadAvg1m: r2(os.loadavg()[0]!),
    at: new Date().toISOString(),
  };
}

/** BENCH_SUFFIX=-full writes bench/results/B3-full.json, keeping the default-size results beside it. */
export function report(r0: BenchResult): void {
  const r = { ...r0, name: `${r0.name}${process.env.BENCH_SUFFIX ?? ''}` };
  const w1 = Math.max(6, ...r.rows.map((x) => x.metric.length));
  const w2 = Math.max(5, ...r.rows.map((x) => x.value.length));
  console.log(`\n${r.name} — ${r.title}  ${JSON.stringify(r.params)}`);
  console.log(`${'metric'.padEnd(w1)} | ${'value'.padEnd(w2)} | goal`);
  console.log(`${'-'.repeat(w1)}-+-${'-'.repeat(w2)}-+-----`);
  for (const x of r.rows) {
    const verdict = x.met === undefined || x.met === null ? '' : x.met ? '  MET' : '  NOT MET';
    console.log(`${x.metric.padEnd(w1)} | ${x.value.padEnd(w2)} | ${x.goal ?? ''}${verdict}`);
  }
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(path.join(RESULTS_DIR, `${r.name}.json`), `${JSON.stringify({ ...r, machine: machine() }, null, 2)}\n`);
}

export function rssMiB(): number {
  return r2(process.memoryUsage().rss / 2 ** 20);
}

export interface ScratchDeps extends Deps {
  testDb: TestDatabase;
  prefix: string;
  destroy(): Promise<void>;
}

/** Scratch deps: a fresh database (template copy), a fresh Redis prefix, the real clock unless one is given. */
export async function scratchDeps(env: Record<string, string> = {}, clock: Clock = systemClock, poolMax = 10, redisUrl = TEST_REDIS_URL): Promise<ScratchDeps> {
  const testDb = await createTestDatabase();
  const prefix = testRedisPrefix().replace('cwtest', 'cwbench');
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: testDb.url, REDIS_URL: redisUrl, QUEUE_PREFIX: prefix, ...env });
  // A bigger pool than the tests' 5 so concurrent work is not queued behind it.
  const { openPostgres } = await import('../src/db/client.js');
  const database = openPostgres(testDb.url, { max: poolMax });
  const deps = await createDeps(config, {
    clock,
    database,
    redis: createRedis(redisUrl),
    logger: pino({ level: process.env.BENCH_LOG_LEVEL ?? 'silent' }),
    cipher: new FieldCipher([{ id: 'bench1', key: Buffer.alloc(32, 7) }]),
  });
  return {
    ...deps,
    testDb,
    prefix,
    async destroy() {
      await deps.close();
      await database.close().catch(() => {});
      // A private Redis (redisUrl) is the caller's to stop; only the shared one is cleaned key by key.
      if (redisUrl === TEST_REDIS_URL) {
        await deps.redis.quit().catch(() => deps.redis.disconnect());
        await deleteRedisPrefix(prefix);
      } else deps.redis.disconnect();
      await testDb.destroy();
    },
  };
}

/** Raw SQL rows (Db.execute is typed loosely because it spans node-postgres and PGlite). */
export async function q<T>(db: Deps['db'], query: ReturnType<typeof sql>): Promise<T[]> {
  const res = (await db.execute(query)) as unknown as { rows: T[] };
  return res.rows;
}

/** A node of an EXPLAIN (FORMAT JSON) plan. */
export interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

/** Every scan in a plan tree, depth first, as "Index Scan using idx on table". */
export function scans(n: PlanNode, out: string[] = []): string[] {
  if (/Scan/.test(n['Node Type']))
    out.push(`${n['Node Type']}${n['Index Name'] ? ` using ${n['Index Name']}` : ''}${n['Relation Name'] ? ` on ${n['Relation Name']}` : ''}`);
  for (const c of n.Plans ?? []) scans(c, out);
  return out;
}

export interface Population {
  workerId: string;
  supervisorId: string;
  firstChat: number;
}

/**
 * n clients (Telegram chats firstChat..firstChat+n-1) each with one open case
 * assigned to one worker, written by INSERT … SELECT generate_series
 * (PostgreSQL's setseed makes the random parts repeatable).
 */
export async function seedPopulation(deps: Deps, n: number, opts: { firstChat?: number; year?: number } = {}): Promise<Population> {
  const firstChat = opts.firstChat ?? 10_000_000;
  const year = opts.year ?? 2026;
  const db = deps.db;
  await db.execute(sql`select setseed(${(SEED % 1000) / 1000})`);
  const at = deps.clock.now().toJSDate();
  const sup = await q<{ id: string }>(
    db,
    sql`insert into staff (slack_user_id, display_name, role, time_zone, created_at, updated_at)
    values ('UBENCHSUP', 'Sup', 'supervisor', 'Europe/London', ${at}, ${at}) returning id`,
  );
  const supId = sup[0]!.id;
  const wk = await q<{ id: string }>(
    db,
    sql`insert into staff (slack_user_id, display_name, role, supervisor_id, time_zone, created_at, updated_at)
    values ('UBENCHWK1', 'Worker', 'worker', ${supId}, 'Europe/London', ${at}, ${at}) returning id`,
  );
  const workerId = wk[0]!.id;
  await db.execute(sql`insert into clients (telegram_user_id, telegram_chat_id, language, time_zone, quiet_hours_start, quiet_hours_end, created_at, updated_at)
    select ${firstChat} + g, ${firstChat} + g, 'en', 'UTC', '03:00', '03:01', ${at}, ${at} from generate_series(0, ${n - 1}) g`);
  await db.execute(sql`insert into cases (reference, client_id, category, priority, phase, assigned_worker_id, assigned_at, opened_at, created_at, updated_at)
    select 'C-' || ${year} || '-' || lpad((row_number() over (order by telegram_chat_id))::text, 6, '0'), id, 'family', 'normal', 'assessment', ${workerId}, ${at}, ${at}, ${at}, ${at}
    from clients where telegram_chat_id >= ${firstChat}`);
  await db.execute(sql`analyze`);
  return { workerId, supervisorId: supId, firstChat };
}

/**
 * n clients (seedPopulation, each added to the Telegram emulator), one appointment 24 hours after
 * `due` and one 'appointment_reminder.PT24H' ledger row each, due at `due` (not before `notBefore`).
 * Returns the ledger row ids; nothing is scheduled.
 */
export async function seedReminderRows(
  deps: Deps,
  tg: Pick<TelegramEmulator, 'addUser'>,
  n: number,
  due: DateTime,
  notBefore: DateTime | null,
): Promise<Array<{ id: string }>> {
  const pop = await seedPopulation(deps, n);
  for (let i = 0; i < n; i++) tg.addUser({ id: pop.firstChat + i, first_name: `C${i}` });
  await q(
    deps.db,
    sql`insert into appointments (case_id, worker_id, starts_at, duration_min, mode, created_at, updated_at)
    select id, assigned_worker_id, ${due.plus({ hours: 24 }).toJSDate()}, 60, 'in_person', now(), now() from cases`,
  );
  return q<{ id: string }>(
    deps.db,
    sql`insert into deliveries (kind, subject_id, version, recipient, channel, case_id, due_at, not_before, status, created_at, updated_at)
    select 'appointment_reminder.PT24H', a.id, 1, 'client:' || c.client_id, 'telegram', c.id, ${due.toJSDate()}, ${notBefore?.toJSDate() ?? null}, 'pending', now(), now()
    from appointments a join cases c on c.id = a.case_id returning id`,
  );
}

/**
 * CPU spent on the work, in ms: this Node process (process.cpuUsage) and the
 * PostgreSQL backends serving the scratch database (utime + stime from
 * /proc/<pid>/stat, sampled so that backends which close in between still
 * count). Unlike a rate, CPU per operation hardly depends on what else the
 * machine is doing, and cores × 1000 / (CPU ms per operation) is the
 * ceiling this machine could reach. Redis is shared with everything else and
 * not counted.
 */
export function cpuMeter(deps: Deps) {
  const tick = 1000 / 100; // CLK_TCK is 100 on Linux
  const node0 = process.cpuUsage();
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  const readPid = (pid: number): number | undefined => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(f[11]) + Number(f[12])) * tick; // utime, stime (fields 14, 15)
    } catch {
      return undefined;
    }
  };
  const sample = async () => {
    const rows = await q<{ pid: number }>(deps.db, sql`select pid from pg_stat_activity where datname = current_database()`);
    for (const { pid } of rows) {
      const ms = readPid(pid);
      if (ms === undefined) continue;
      if (!first.has(pid)) first.set(pid, ms);
      last.set(pid, ms);
    }
  };
  return {
    sample,
    async stop(): Promise<{ nodeMs: number; pgMs: number }> {
      await sample();
      const u = process.cpuUsage(node0);
      let pgMs = 0;
      for (const [pid, ms] of last) pgMs += ms - (first.get(pid) ?? ms);
      return { nodeMs: r2((u.user + u.system) / 1000), pgMs: r2(pgMs) };
    },
  };
}

/** `uptime`'s load averages (1, 5, 15 min), recorded beside each figure: the machine is shared. */
export function loadAvg(): [number, number, number] {
  const [a, b, c] = os.loadavg();
  return [r2(a!), r2(b!), r2(c!)];
}

/**
 * A private redis-server on a free port, for phases that stop Redis (never the
 * shared one). stop() kills it (SIGKILL: nothing is kept, as after a crash);
 * start() brings a fresh, empty one back on the same port.
 */
export async function privateRedis(): Promise<{ url: string; start(): Promise<void>; stop(): Promise<void> }> {
  const net = await import('node:net');
  const { spawn } = await import('node:child_process');
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  let child: import('node:child_process').ChildProcess | undefined;
  const start = async () => {
    const c = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    child = c;
    await new Promise<void>((resolve, reject) => {
      let out = '';
      c.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (/Ready to accept connections/.test(out)) resolve();
      });
      c.once('exit', () => reject(new Error(`redis-server exited: ${out.slice(-300)}`)));
    });
  };
  const stop = async () => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await gone;
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, start, stop };
}
