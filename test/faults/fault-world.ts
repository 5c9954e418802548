/**
 * The fault suite's world: the service as operators run it (worker and app
 * processes started with `node` or `npm`, real PostgreSQL behind a TCP proxy
 * the test can cut, real Redis), the Telegram and Slack emulators in this
 * process (their own HTTP servers; they count every message per chat, and can
 * hold their answers), and N appointments whose reminders fall due within a
 * few seconds: one to each client on Telegram (one chat per client) and one to
 * the worker on Slack (identified by the case reference in the text).
 * Used by test/faults/*.test.ts at CI size and by bench/b6-faults.ts at the
 * issue's sizes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import { Redis } from 'ioredis';
import { eq, inArray, sql } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { deleteRedisPrefix, TEST_REDIS_URL } from '../helpers/redis.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { TelegramEmulator } from '../../src/sandbox/telegram-emulator.js';
import { SlackEmulator } from '../../src/sandbox/slack-emulator.js';
import { cases, deliveries, staff } from '../../src/db/schema.js';
import { makeAppointment, makeClient, stamped } from '../helpers/factories.js';
import { insertCase } from '../../src/cases/cases.repo.js';
import { JobQueues } from '../../src/jobs/queues.js';
import { scheduleDeliveries, type DeliveryRow } from '../../src/delivery/ledger.js';

const ROOT = new URL('../../', import.meta.url).pathname;
export const WORKER_SLACK_IDS = ['U0FAULTW1', 'U0FAULTW2', 'U0FAULTW3'];

export interface Proc {
  child: ChildProcess;
  pid: number;
  out: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
}

export type Launch = { via: 'node'; entry: 'workers' | 'app'; built?: boolean } | { via: 'npm'; script: string };

export interface Expected {
  chats: Map<number, number>; // chat id → due (ms)
  references: Map<string, number>; // case reference → due (ms)
  rows: string[];
}

export interface FaultReport {
  expected: number;
  received: number;
  lost: number;
  duplicates: number;
  p95LatenessMs: number;
  maxLatenessMs: number;
}

export class FaultWorld {
  readonly procs: Proc[] = [];
  private constructor(
    readonly tdb: TestDatabase,
    readonly prefix: string,
    readonly tg: TelegramEmulator,
    readonly slack: SlackEmulator,
    readonly pg: TcpProxy,
    readonly env: Record<string, string>,
  ) {}

  static async create(env: Record<string, string> = {}): Promise<FaultWorld> {
    const tdb = await createTestDatabase();
    const prefix = `cwfault-${process.pid}-${randomBytes(3).toString('hex')}`;
    const tg = new TelegramEmulator({ rateLimits: false, maxPollTimeoutSec: 1 });
    await tg.start();
    const slack = new SlackEmulator({ users: WORKER_SLACK_IDS.map((id) => ({ id, name: id.toLowerCase(), tz: 'Europe/London' })), rateLimits: false });
    await slack.start();
    const pgUrl = new URL(tdb.url);
    const pg = await startTcpProxy({ host: pgUrl.hostname, port: Number(pgUrl.port || 5432) });
    pgUrl.port = String(pg.port);
    const base: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      DATABASE_URL: pgUrl.toString(),
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      PORT: '0',
      ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.url,
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_API_URL: slack.apiUrl,
      SLACK_SIGNING_SECRET: 'fault-signing-secret',
      // The platforms' real limits are not what these tests are about (B2 covers them).
      TELEGRAM_MESSAGES_PER_SECOND: '30',
      TELEGRAM_CHAT_MESSAGES_PER_SECOND: '1',
      SLACK_CHANNEL_MESSAGES_PER_SECOND: '30',
      DELIVERY_TICK_SECONDS: '1',
      DELIVERY_CLAIM_LEASE_SECONDS: '20',
      PLATFORM_HTTP_TIMEOUT_MS: '8000',
      SHUTDOWN_TIMEOUT_MS: '8000',
      RECONCILE_EVERY_SECONDS: '600',
      REMINDER_OFFSETS_CLIENT: 'PT24H',
      REMINDER_OFFSETS_WORKER: 'PT24H',
      ...env,
    };
    return new FaultWorld(tdb, prefix, tg, slack, pg, base);
  }

  /** `npm run build` once per test run, for the `node dist/…` launches. */
  static build(): void {
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'ignore' });
  }

  start(how: Launch, opts: { detached?: boolean; env?: Record<string, string> } = {}): Proc {
    const [cmd, args] =
      how.via === 'npm'
        ? ['npm', ['run', '--silent', how.script]]
        : [
            process.execPath,
            how.built
              ? [how.entry === 'workers' ? 'dist/workers/main.js' : 'dist/src/main.js']
              : ['--import', 'tsx', how.entry === 'workers' ? 'workers/main.ts' : 'src/main.ts'],
          ];
    const child = spawn(cmd as string, args as string[], {
      cwd: ROOT,
      env: { ...this.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: opts.detached ?? false,
    });
    let out = '';
    const listeners = new Set<() => void>();
    const onData = (d: Buffer) => {
      out += d.toString();
      for (const l of listeners) l();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
    );
    const proc: Proc = {
      child,
      pid: child.pid!,
      out: () => out,
      exited,
      waitFor: (pattern, timeoutMs = 30_000) =>
        new Promise<void>((resolve, reject) => {
          const check = () => {
            if (pattern.test(out)) {
              listeners.delete(check);
              clearTimeout(timer);
              resolve();
            }
          };
          const timer = setTimeout(() => {
            listeners.delete(check);
            reject(new Error(`process ${child.pid} did not log ${pattern} within ${timeoutMs} ms:\n${out.slice(-3000)}`));
          }, timeoutMs);
          listeners.add(check);
          void exited.then(() => check());
          check();
        }),
    };
    this.procs.push(proc);
    return proc;
  }

  /**
   * n appointments (one client each, one Telegram chat each), their 24 h reminders due from
   * `firstDueInMs` after seeding ends over `spreadMs`, planned in the ledger and queued as delayed
   * jobs. Rows are written first and given their due times in one statement at the end, so the time
   * seeding takes (long at the issue's sizes on a busy machine) never counts as lateness.
   */
  async seed(n: number, opts: { firstDueInMs?: number; spreadMs?: number } = {}): Promise<Expected> {
    const db = this.tdb.db;
    const now = DateTime.utc();
    const at = now.toJSDate();
    const parked = now.plus({ days: 300 }).toJSDate(); // not due while seeding
    const workers = await db
      .insert(staff)
      .values(
        WORKER_SLACK_IDS.map((id, i) => ({
          slackUserId: id,
          displayName: `Worker ${i + 1}`,
          role: 'worker' as const,
          timeZone: 'Europe/London',
          createdAt: at,
          updatedAt: at,
        })),
      )
      .onConflictDoNothing()
      .returning();
    const staffRows = workers.length ? workers : await db.select().from(staff).where(inArray(staff.slackUserId, WORKER_SLACK_IDS));
    const chatBase = 800_000 + Math.floor(Math.random() * 100_000) * 10;
    const seeded: Array<{ chatId: number; reference: string; apptId: string; rows: DeliveryRow[]; offsetMs: number }> = [];
    await db.transaction(async (tx) => {
      for (let i = 0; i < n; i++) {
        const chatId = chatBase + i;
        this.tg.addUser({ id: chatId, first_name: `Client ${i}` });
        const worker = staffRows[i % staffRows.length]!;
        const client = await makeClient(tx, { telegramUserId: chatId, telegramChatId: chatId, language: 'en', ...stamped(at) });
        const c = await insertCase(tx, { clientId: client.id, category: 'family', priority: 'normal' }, now);
        await tx.update(cases).set({ assignedWorkerId: worker.id, assignedAt: at, phase: 'assessment' }).where(eq(cases.id, c.id));
        const appt = await makeAppointment(tx, {
          caseId: c.id,
          workerId: worker.id,
          startsAt: now.plus({ days: 2 }).toJSDate(),
          durationMin: 60,
          mode: 'phone',
          ...stamped(at),
        });
        const common = { subjectId: appt.id, version: 1, caseId: c.id, dueAt: parked, status: 'pending' as const, createdAt: at, updatedAt: at };
        const rows = await tx
          .insert(deliveries)
          .values([
            { ...common, kind: 'appointment_reminder.PT24H', recipient: `client:${client.id}`, channel: 'telegram' as const },
            { ...common, kind: 'appointment_reminder.PT24H', recipient: `staff:${worker.id}`, channel: 'slack' as const },
          ])
          .returning();
        seeded.push({
          chatId,
          reference: c.reference,
          apptId: appt.id,
          rows,
          offsetMs: (opts.firstDueInMs ?? 2000) + Math.floor(((opts.spreadMs ?? 2000) * i) / Math.max(1, n)),
        });
      }
    });
    // Now the clock starts: every row's due time in one statement, then the jobs, as booking does after commit.
    const start = DateTime.utc();
    const expected: Expected = { chats: new Map(), references: new Map(), rows: [] };
    const ids = seeded.flatMap((s) => s.rows.map((r) => r.id));
    const dues = seeded.flatMap((s) => s.rows.map(() => start.plus({ milliseconds: s.offsetMs }).toUTC().toISO()!));
    await db.execute(
      sql`update deliveries d set due_at = v.due from unnest(${sql.param(ids)}::uuid[], ${sql.param(dues)}::timestamptz[]) as v(id, due) where d.id = v.id`,
    );
    const planned: DeliveryRow[] = [];
    for (const s of seeded) {
      const due = start.plus({ milliseconds: s.offsetMs });
      expected.chats.set(s.chatId, due.toMillis());
      expected.references.set(s.reference, due.toMillis());
      expected.rows.push(...s.rows.map((r) => r.id));
      planned.push(...s.rows.map((r) => ({ ...r, dueAt: due.toJSDate() })));
    }
    const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 3 });
    const queues = new JobQueues(redis, this.prefix);
    await scheduleDeliveries(queues, planned, start);
    await queues.close();
    redis.disconnect();
    return expected;
  }

  /** Telegram sends accepted per chat, and Slack posts accepted per case reference, with their times. */
  received(expected: Expected): { chats: Map<number, number[]>; references: Map<string, number[]> } {
    const chats = new Map<number, number[]>();
    for (const s of this.tg.sendTimeline) if (expected.chats.has(s.chatId)) chats.set(s.chatId, [...(chats.get(s.chatId) ?? []), s.at]);
    const references = new Map<string, number[]>();
    for (const c of this.slack.calls) {
      if (c.method !== 'chat.postMessage' || !c.ok) continue;
      const ref = /C-\d{4}-\d+/.exec(String(c.params.text ?? ''))?.[0];
      if (ref && expected.references.has(ref)) references.set(ref, [...(references.get(ref) ?? []), c.time]);
    }
    return { chats, references };
  }

  report(expected: Expected): FaultReport {
    const got = this.received(expected);
    const lateness: number[] = [];
    let lost = 0;
    let duplicates = 0;
    let received = 0;
    const tally = <K>(want: Map<K, number>, have: Map<K, number[]>) => {
      for (const [k, due] of want) {
        const times = have.get(k) ?? [];
        received += times.length;
        if (times.length === 0) lost++;
        else lateness.push(Math.max(0, Math.min(...times) - due));
        duplicates += Math.max(0, times.length - 1);
      }
    };
    tally(expected.chats, got.chats);
    tally(expected.references, got.references);
    lateness.sort((a, b) => a - b);
    return {
      expected: expected.chats.size + expected.references.size,
      received,
      lost,
      duplicates,
      p95LatenessMs: lateness.length ? lateness[Math.min(lateness.length - 1, Math.floor(lateness.length * 0.95))]! : 0,
      maxLatenessMs: lateness.at(-1) ?? 0,
    };
  }

  /** Messages accepted so far (both platforms) among the expected ones. */
  sentCount(expected: Expected): number {
    const got = this.received(expected);
    return [...got.chats.values(), ...got.references.values()].reduce((n, t) => n + t.length, 0);
  }

  async ledgerStates(
    expected: Expected,
  ): Promise<Array<{ id: string; status: string; claimToken: string | null; externalRef: string | null; sentAt: Date | null }>> {
    return this.tdb.db
      .select({
        id: deliveries.id,
        status: deliveries.status,
        claimToken: deliveries.claimToken,
        externalRef: deliveries.externalRef,
        sentAt: deliveries.sentAt,
      })
      .from(deliveries)
      .where(inArray(deliveries.id, expected.rows));
  }

  /** Wait until every expected row is written sent, or the deadline passes (the caller asserts what the ledger says). */
  async waitAllSent(expected: Expected, timeoutMs: number): Promise<void> {
    const allSent = async () => {
      const rows = await this.ledgerStates(expected).catch(() => []);
      return rows.length === expected.rows.length && rows.every((r) => r.status === 'sent');
    };
    // A plain loop, not vi.waitUntil: bench/b6-faults.ts runs this outside vitest, where vi.waitUntil throws at once.
    const until = Date.now() + timeoutMs;
    while (Date.now() < until && !(await allSent())) await new Promise((r) => setTimeout(r, 200));
  }

  async close(): Promise<void> {
    for (const p of this.procs) {
      // npm's child first (killing npm alone would leave it running).
      for (const pid of [...childrenOf(p.pid), p.pid]) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
    }
    await Promise.all(this.procs.map((p) => p.exited));
    await this.pg.close();
    await this.tg.stop();
    await this.slack.stop();
    await this.tdb.destroy();
    await deleteRedisPrefix(this.prefix);
  }
}

/** True while a process with this pid exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pids of a process's children (from /proc), e.g. the node that npm started. */
export function childrenOf(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((s) => Number(s.trim()))
      .filter((n) => n > 0);
  } catch {
    return [];
  }
}
