/**
 * B2 — a reminder burst against Telegram's limits. N clients, one reminder
 * each, all due at the same instant T0, sent by the real BullMQ workers
 * (workers/start.ts, delivery queue) through sendDelivery → render → shared
 * Redis rate budget → TelegramSender → the emulator over HTTP.
 * Phases:
 *  1. at due time: the emulator enforces 30/s per bot and 1/s per chat;
 *  2. sending ahead: rows carry not_before = due − window (what
 *     planReminders writes with SEND_AHEAD_WINDOW), so the burst starts early;
 *  3. limits off (emulator unlimited, app budget raised): raw sends/s.
 * Rows are written directly in SQL (one appointment + one
 * 'appointment_reminder.PT24H' ledger row per client), then scheduled with
 * scheduleDeliveries — the same call the booking path makes after commit.
 */
import os from 'node:os';
import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { loadConfig } from '../src/config.js';
import { scheduleDeliveries, type DeliveryRow } from '../src/delivery/ledger.js';
import { deliveries } from '../src/db/schema.js';
import { TelegramEmulator } from '../src/sandbox/telegram-emulator.js';
import { startWorkers } from '../workers/start.js';
import type { Deps } from '../src/deps.js';
import { peerPhase, perChat, type PeerResult } from './b2-peer.js';
import { startWorkerProcs } from './b2-procs.js';
import { cpuMeter, envInt, loadAvg, FULL, fmt, q, quantile, r2, repeat, report, rssMiB, scratchDeps, seedReminderRows, spread, type Row } from './lib.js';

const PLATFORM_RATE = 30;

interface PhaseResult {
  n: number;
  sent: number;
  rateLimited429: number;
  firstAt: number;
  lastAt: number;
  achievedPerSec: number;
  latenessP50: number;
  latenessP99: number;
  latenessMax: number;
  earlierThanAllowed: number;
  wallSec: number;
  rssMiB: number;
  /** CPU per message sent, ms: this process (workers + emulator) and the PostgreSQL backends. */
  nodeCpuMsPerSend: number;
  pgCpuMsPerSend: number;
  /** With B2_WORKERS: how many worker processes, and their part of nodeCpuMsPerSend (the rest is this process: the emulator). */
  workerProcs?: number;
  workerProcsCpuMsPerSend?: number;
  /** Most messages the emulator accepted in any rolling second, and time lost in gaps over 3 intervals. */
  maxInAnySecond: number;
  stallSec: number;
  /** Chats that got no message, and messages beyond a chat's first. */
  lost: number;
  duplicated: number;
  load: number[];
}

/**
 * n clients, one appointment and one 'appointment_reminder.PT24H' (seedReminderRows)
 * ledger row each, all due at `due` (not before `notBefore`), scheduled with
 * scheduleDeliveries as booking does. Returns the ledger row ids.
 */
export async function seedBurst(deps: Deps, tg: TelegramEmulator, n: number, due: DateTime, notBefore: DateTime | null): Promise<Array<{ id: string }>> {
  const rows = await seedReminderRows(deps, tg, n, due, notBefore);
  const ledgerRows = await deps.db.select().from(deliveries);
  await scheduleDeliveries(deps.queues, ledgerRows as DeliveryRow[], DateTime.utc());
  return rows;
}

function rolling(tl: number[], budget: number): { maxInAnySecond: number; stallSec: number } {
  let max = 0;
  let stall = 0;
  for (let i = 0, j = 0; i < tl.length; i++) {
    while (tl[i]! - tl[j]! >= 1000) j++;
    max = Math.max(max, i - j + 1);
    if (i > 0 && tl[i]! - tl[i - 1]! > 3000 / budget) stall += tl[i]! - tl[i - 1]! - 1000 / budget;
  }
  return { maxInAnySecond: max, stallSec: r2(stall / 1000) };
}

async function phase(n: number, mode: 'limited' | 'ahead' | 'raw', aheadSec: number): Promise<PhaseResult> {
  const load = loadAvg();
  const tg = new TelegramEmulator({
    rateLimits: mode === 'raw' ? false : { global: { limit: PLATFORM_RATE, windowMs: 1000 }, perChat: { limit: 1, windowMs: 1000 } },
    callLogLimit: 1000,
  });
  await tg.start();
  const env = {
    TELEGRAM_BOT_TOKEN: tg.token,
    TELEGRAM_API_ROOT: tg.url,
    // The burst is measured at its due time (the 'ahead' phase writes its own not_before): no automatic send-ahead.
    SEND_AHEAD_WINDOW: 'PT0S',
    TELEGRAM_MESSAGES_PER_SECOND: String(envInt('B2_BOT_BUDGET', loadConfig({ NODE_ENV: 'test' }).TELEGRAM_MESSAGES_PER_SECOND)),
    // Rows one delivery job may send in its run (src/delivery/send-batch.ts); 1 = one row per job.
    DELIVERY_BATCH_SIZE: String(envInt('B2_BATCH', loadConfig({ NODE_ENV: 'test' }).DELIVERY_BATCH_SIZE)),
  };
  // With worker processes (B2_WORKERS) this process only seeds and watches: a small pool, so the processes' pools fit under max_connections.
  const k = mode === 'raw' ? envInt('B2_WORKERS', 0) : 0;
  const deps = await scratchDeps(env, undefined, k > 0 ? 8 : 60);
  // Limits off: the app's own budget (config max 30/s) is lifted for this phase only, in memory.
  if (mode === 'raw')
    (deps as { config: unknown }).config = Object.freeze({
      ...deps.config,
      TELEGRAM_MESSAGES_PER_SECOND: 1_000_000,
      TELEGRAM_CHAT_MESSAGES_PER_SECOND: 1_000_000,
    });
  // Limits off with B2_WORKERS = k > 0: k workers processes from built JavaScript instead of workers in this process.
  const procs = k > 0 ? await startWorkerProcs(k, deps, env) : undefined;
  const workers = procs ? undefined : await startWorkers(deps, { queues: ['delivery'] });
  try {
    const lead = 3 + n / 2000;
    const t0 = DateTime.utc().plus({ seconds: lead });
    const due = mode === 'ahead' ? t0.plus({ seconds: aheadSec }) : t0;
    const notBefore = mode === 'ahead' ? t0 : null;
    const rows = await seedBurst(deps, tg, n, due, notBefore);
    const wall0 = performance.now();
    const cpu = cpuMeter(deps);
    await cpu.sample();
    const procCpu0 = procs?.cpuMs() ?? 0;
    let peak = rssMiB();
    const deadline = Date.now() + (lead + aheadSec + n / PLATFORM_RATE) * 3000 + 60_000;
    for (;;) {
      await new Promise((r) => setTimeout(r, 250));
      peak = Math.max(peak, rssMiB());
      await cpu.sample();
      // The burst's rows only: worker processes (B2_WORKERS) also run the sweeps, which may plan rows of their own.
      const [left] = await q<{ n: number }>(
        deps.db,
        sql`select count(*)::int n from deliveries where status = 'pending' and kind = 'appointment_reminder.PT24H'`,
      );
      if (left!.n === 0) break;
      if (Date.now() > deadline) {
        throw new Error(`B2 ${mode}: ${left!.n} of ${rows.length} still pending at the deadline`);
      }
    }
    const used = await cpu.stop();
    const procMs = (procs?.cpuMs() ?? 0) - procCpu0;
    const [bad] = await q<{ n: number }>(deps.db, sql`select count(*)::int n from deliveries where status <> 'sent' and kind = 'appointment_reminder.PT24H'`);
    if (bad!.n > 0) throw new Error(`B2 ${mode}: ${bad!.n} rows not sent`);
    const tl = tg.sendTimeline.map((s) => s.at).sort((a, b) => a - b);
    const late = tl.map((at) => Math.max(0, at - due.toMillis()) / 1000);
    const chats = perChat(
      tg.sendTimeline,
      Array.from({ length: n }, (_, i) => 10_000_000 + i),
      due.toMillis(),
    );
    const firstAt = tl[0]!,
      lastAt = tl[tl.length - 1]!;
    return {
      n,
      sent: tl.length,
      rateLimited429: tg.stats.rateLimited,
      firstAt,
      lastAt,
      achievedPerSec: r2((tl.length - 1) / Math.max(0.001, (lastAt - firstAt) / 1000)),
      latenessP50: r2(quantile(late, 0.5)),
      latenessP99: r2(quantile(late, 0.99)),
      latenessMax: r2(Math.max(...late)),
      earlierThanAllowed: notBefore ? tl.filter((at) => at < notBefore.toMillis()).length : tl.filter((at) => at < due.toMillis()).length,
      wallSec: r2((performance.now() - wall0) / 1000),
      rssMiB: peak,
      nodeCpuMsPerSend: r2((used.nodeMs + procMs) / tl.length),
      workerProcs: k,
      workerProcsCpuMsPerSend: r2(procMs / tl.length),
      pgCpuMsPerSend: r2(used.pgMs / tl.length),
      ...rolling(tl, deps.config.TELEGRAM_MESSAGES_PER_SECOND),
      lost: chats.lost,
      duplicated: chats.duplicated,
      load,
    };
  } finally {
    await workers?.close(5000);
    await procs?.stop();
    await deps.destroy();
    await tg.stop();
  }
}

export async function b2(): Promise<void> {
  const n = envInt('B2_N', FULL ? 10_000 : 2_000);
  const limitedRuns = envInt('B2_RUNS', 1);
  const rawN = envInt('B2_RAW_N', FULL ? 10_000 : 2_000);
  const rawRuns = envInt('B2_RAW_RUNS', 3);
  const aheadSec = envInt('B2_AHEAD_SECONDS', Math.ceil((n / PLATFORM_RATE) * 1.15) + 5);
  const bound = n / PLATFORM_RATE;
  // B2_PHASES=raw (or limited,ahead) runs only those phases; the others report as not run.
  const phases = new Set((process.env.B2_PHASES ?? 'limited,ahead,raw,peer').split(',').map((x) => x.trim()));
  const limited = phases.has('limited') ? await repeat(0, limitedRuns, () => phase(n, 'limited', 0)) : [];
  const ahead = phases.has('ahead') ? await repeat(0, limitedRuns, () => phase(n, 'ahead', aheadSec)) : [];
  const raw = phases.has('raw') ? await repeat(1, rawRuns, (_i, warm) => phase(warm ? Math.min(500, rawN) : rawN, 'raw', 0)) : [];
  // The peer (bench/b2-peer.ts): BullMQ's limiter at 30 and 25 per second, and with limits off.
  const peerRuns = envInt('B2_PEER_RUNS', limitedRuns);
  const peer30 = phases.has('peer') ? await repeat(0, peerRuns, () => peerPhase(n, 30)) : [];
  const peer25 = phases.has('peer') ? await repeat(0, peerRuns, () => peerPhase(n, 25)) : [];
  const peerRaw = phases.has('peer') && phases.has('raw') ? await repeat(1, rawRuns, (_i, warm) => peerPhase(warm ? Math.min(500, rawN) : rawN, null)) : [];
  const s = (xs: PhaseResult[], f: (p: PhaseResult) => number) => spread(xs.length ? xs.map(f) : [Number.NaN]);
  const ratio = s(limited, (p) => p.achievedPerSec / PLATFORM_RATE);
  const rows: Row[] = [
    { metric: '[due time] 429s received', value: fmt(s(limited, (p) => p.rateLimited429)), goal: '0', met: s(limited, (p) => p.rateLimited429).max === 0 },
    { metric: '[due time] achieved rate ÷ 30/s', value: fmt(ratio), goal: '≥ 0.95', met: ratio.median >= 0.95 },
    { metric: '[due time] most accepted in any rolling second', value: fmt(s(limited, (p) => p.maxInAnySecond)), goal: '≤ 30' },
    { metric: '[due time] time lost in stalls (gaps > 3 slots) s', value: fmt(s(limited, (p) => p.stallSec)) },
    { metric: '[due time] lateness p50 s', value: fmt(s(limited, (p) => p.latenessP50)), goal: `bound ${r2(bound / 2)} s` },
    { metric: '[due time] lateness p99 s', value: fmt(s(limited, (p) => p.latenessP99)), goal: `bound ${r2(bound * 0.99)} s` },
    { metric: '[due time] last message late s', value: fmt(s(limited, (p) => p.latenessMax)), goal: `bound ${r2(bound)} s (N/30)` },
    {
      metric: `[ahead ${aheadSec} s] 429s received`,
      value: fmt(s(ahead, (p) => p.rateLimited429)),
      goal: '0',
      met: s(ahead, (p) => p.rateLimited429).max === 0,
    },
    { metric: `[ahead ${aheadSec} s] lateness p99 s`, value: fmt(s(ahead, (p) => p.latenessP99)), goal: '0 s', met: s(ahead, (p) => p.latenessP99).max === 0 },
    {
      metric: `[ahead ${aheadSec} s] sent before not_before`,
      value: fmt(s(ahead, (p) => p.earlierThanAllowed)),
      goal: '0',
      met: s(ahead, (p) => p.earlierThanAllowed).max === 0,
    },
    { metric: `[ahead ${aheadSec} s] achieved rate ÷ 30/s`, value: fmt(s(ahead, (p) => p.achievedPerSec / PLATFORM_RATE)) },
    { metric: '[limits off] raw sends/s', value: fmt(s(raw, (p) => p.achievedPerSec)), goal: '≥ 2,000/s', met: s(raw, (p) => p.achievedPerSec).median >= 2000 },
    { metric: '[limits off] CPU ms per send: Node (workers + emulator)', value: fmt(s(raw, (p) => p.nodeCpuMsPerSend)) },
    ...(raw[0]?.workerProcs
      ? [
          {
            metric: `[limits off] of which the ${raw[0].workerProcs} worker processes (node dist/…)`,
            value: fmt(s(raw, (p) => p.workerProcsCpuMsPerSend ?? 0)),
          },
        ]
      : []),
    { metric: '[limits off] CPU ms per send: PostgreSQL', value: fmt(s(raw, (p) => p.pgCpuMsPerSend)) },
    {
      metric: `[limits off] ceiling on ${os.cpus().length} cores = cores × 1000 / CPU ms per send`,
      value: fmt(s(raw, (p) => (os.cpus().length * 1000) / (p.nodeCpuMsPerSend + p.pgCpuMsPerSend))),
      goal: 'Redis not counted',
    },
    { metric: '[limits off] RSS peak MiB (bench process)', value: fmt(s(raw, (p) => p.rssMiB)) },
  ];
  rows.push(...sideBySide(limited, peer30, peer25, raw, peerRaw, bound));
  report({
    name: 'B2',
    title: 'reminder burst through the real workers to the Telegram emulator',
    params: {
      n,
      rawN,
      limitedRuns,
      rawRuns,
      aheadSec,
      platformRate: PLATFORM_RATE,
      appBudgetPerSec: envInt('B2_BOT_BUDGET', loadConfig({ NODE_ENV: 'test' }).TELEGRAM_MESSAGES_PER_SECOND),
      workerConcurrency: 50,
    },
    rows,
    data: { limited, ahead, raw, peer30, peer25, peerRaw },
  });
}

/**
 * Ours (the limited phase) beside the peer with BullMQ's limiter at 30/s and 25/s, and the ratio ours ÷ peer
 * at 30/s; limits off, raw sends/s and CPU per send of each. Medians over the runs.
 */
function sideBySide(ours: PhaseResult[], p30: PeerResult[], p25: PeerResult[], raw: PhaseResult[], praw: PeerResult[], bound: number): Row[] {
  if (!p30.length) return [];
  const med = <T>(xs: T[], f: (x: T) => number) => (xs.length ? spread(xs.map(f)).median : Number.NaN);
  const ratio = (a: number, b: number) => (b === 0 ? (a === 0 ? '=' : '∞') : `×${r2(a / b)}`);
  const line = (metric: string, f: (x: PhaseResult | PeerResult) => number, goal?: string): Row => {
    const o = med(ours, f),
      a = med(p30, f),
      b = med(p25, f);
    return {
      metric: `[ours | peer 30/s | peer 25/s] ${metric}`,
      value: `${r2(o)} | ${r2(a)} | ${r2(b)} (ours ${ratio(o, a)} peer 30)`,
      ...(goal ? { goal } : {}),
    };
  };
  const rows = [
    line('429s received', (x) => x.rateLimited429, '0'),
    line('chats with no message (lost)', (x) => x.lost, '0'),
    line("messages beyond a chat's first (duplicated)", (x) => x.duplicated, '0'),
    line('achieved rate ÷ 30/s', (x) => x.achievedPerSec / PLATFORM_RATE, '≥ 0.95'),
    line('lateness p50 s', (x) => x.latenessP50, `bound ${r2(bound / 2)} s`),
    line('lateness p99 s', (x) => x.latenessP99, `bound ${r2(bound * 0.99)} s`),
    line('lateness max s', (x) => x.latenessMax, `bound ${r2(bound)} s`),
    line('CPU ms per send (Node; ours + PostgreSQL below)', (x) => x.nodeCpuMsPerSend),
  ];
  if (praw.length && raw.length) {
    const o = med(raw, (x) => x.achievedPerSec),
      a = med(praw, (x) => x.achievedPerSec);
    rows.push({ metric: '[ours | peer] limits off: raw sends/s', value: `${r2(o)} | ${r2(a)} (ours ${ratio(o, a)})` });
    const oc = med(raw, (x) => x.nodeCpuMsPerSend + x.pgCpuMsPerSend),
      ac = med(praw, (x) => x.nodeCpuMsPerSend);
    rows.push({ metric: '[ours | peer] limits off: CPU ms per send (Node + PostgreSQL)', value: `${r2(oc)} | ${r2(ac)} (ours ${ratio(oc, ac)})` });
  }
  return rows;
}
