/**
 * B6 — faults. The fault suite (test/faults) at the issue's sizes: worker
 * processes started as in production (`node dist/…`, `npm run start:prod:workers`),
 * real PostgreSQL behind a TCP proxy that is cut for the outage, real Redis,
 * the emulators in this process holding each answer for a while, and N
 * appointments whose reminders (one per client on Telegram, one per
 * appointment to a worker on Slack) fall due within B6_SPREAD_SECONDS.
 * Production timing defaults (lease 30 s, tick 5 s, platform timeout 10 s,
 * shutdown 8 s). Unlike the test suite the SIGKILL lands wherever it lands,
 * so the one window no code can close (the platform answered, the process
 * died before its next statement) shows up here if it is hit.
 * Per fault: messages expected / received, lost, duplicates, p95 / max
 * lateness after the due time, and for SIGTERM the exit codes and stop times.
 */
import { envInt, FULL, report, type Row } from './lib.js';
import { FaultWorld, type Expected, type FaultReport, type Proc } from '../test/faults/fault-world.js';

const N = envInt('B6_N', FULL ? 300 : 60);
const N_PG = envInt('B6_PG_N', FULL ? 400 : 60);
const N_SLOW = envInt('B6_SLOW_N', FULL ? 60 : 20);
const OUTAGE_S = envInt('B6_OUTAGE_SECONDS', FULL ? 63 : 10);
const SPREAD_S = envInt('B6_SPREAD_SECONDS', FULL ? 120 : 30);
/** Which faults to run (B6_FAULTS=kill,pg,term,slow; default all). */
const FAULTS = new Set((process.env.B6_FAULTS ?? 'kill,pg,term,slow').split(',').map((f) => f.trim()));
const ENV = { DELIVERY_CLAIM_LEASE_SECONDS: '30', DELIVERY_TICK_SECONDS: '5', PLATFORM_HTTP_TIMEOUT_MS: '10000', SHUTDOWN_TIMEOUT_MS: '8000' };

async function until(cond: () => boolean | Promise<boolean>, timeoutMs = 600_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Outcome {
  fault: string;
  n: number;
  report: FaultReport;
  note: string;
}

async function scenario(fault: string, n: number, delayMs: number, run: (w: FaultWorld, e: Expected) => Promise<string>): Promise<Outcome> {
  const w = await FaultWorld.create(ENV);
  try {
    w.tg.answerDelayMs = delayMs;
    w.slack.answerDelayMs = delayMs;
    const expected = await w.seed(n, { firstDueInMs: 10_000, spreadMs: SPREAD_S * 1000 });
    const note = await run(w, expected);
    await w.waitAllSent(expected, 600_000);
    await new Promise((r) => setTimeout(r, 2000)); // anything late and doubled shows up in the counts too
    const r = w.report(expected);
    console.log(`${fault}: ${JSON.stringify(r)} ${note}`);
    return { fault, n, report: r, note };
  } finally {
    await w.close();
  }
}

const started = async (w: FaultWorld, ps: Proc[]) => {
  await Promise.all(ps.map((p) => p.waitFor(/workers started/, 120_000)));
  void w;
};

export async function b6(): Promise<void> {
  FaultWorld.build();
  const outcomes: Outcome[] = [];

  if (FAULTS.has('kill'))
    outcomes.push(
      await scenario('SIGKILL one of two workers, platform answering in 300 ms', N, 300, async (w, e) => {
        const a = w.start({ via: 'node', entry: 'workers', built: true });
        const b = w.start({ via: 'node', entry: 'workers', built: true });
        await started(w, [a, b]);
        await until(() => w.sentCount(e) >= e.chats.size / 2);
        process.kill(a.pid, 'SIGKILL');
        return '';
      }),
    );

  if (FAULTS.has('pg'))
    outcomes.push(
      await scenario(`PostgreSQL down ${OUTAGE_S} s, platform answering in 400 ms`, N_PG, 400, async (w, e) => {
        const a = w.start({ via: 'node', entry: 'workers', built: true });
        const b = w.start({ via: 'node', entry: 'workers', built: true });
        await started(w, [a, b]);
        await until(() => w.sentCount(e) >= e.chats.size / 2);
        await w.pg.cut();
        await new Promise((r) => setTimeout(r, OUTAGE_S * 1000));
        await w.pg.restore();
        return '';
      }),
    );

  if (FAULTS.has('term'))
    outcomes.push(
      await scenario('SIGTERM to the process groups of two busy workers (npm run start:prod:workers)', N, 300, async (w, e) => {
        const ps = [0, 1].map(() => w.start({ via: 'npm', script: 'start:prod:workers' }, { detached: true }));
        await started(w, ps);
        await until(() => w.sentCount(e) >= e.chats.size / 2);
        const t0 = Date.now();
        for (const p of ps) process.kill(-p.pid, 'SIGTERM');
        const exits = await Promise.all(ps.map((p) => p.exited));
        w.start({ via: 'node', entry: 'workers', built: true });
        return `exit codes ${exits.map((x) => x.code ?? x.signal).join(',')}, stopped in ${exits.map((x) => x.at - t0).join(' / ')} ms`;
      }),
    );

  if (FAULTS.has('slow'))
    outcomes.push(
      await scenario('SIGTERM while the platform takes 20 s to answer', N_SLOW, 20_000, async (w, e) => {
        const a = w.start({ via: 'node', entry: 'workers', built: true });
        await started(w, [a]);
        await until(async () => (await w.ledgerStates(e)).filter((r) => r.claimToken !== null).length >= Math.min(10, e.rows.length / 2));
        const t0 = Date.now();
        process.kill(a.pid, 'SIGTERM');
        const exit = await a.exited;
        w.tg.answerDelayMs = 0;
        w.slack.answerDelayMs = 0;
        w.start({ via: 'node', entry: 'workers', built: true });
        return `exit code ${exit.code ?? exit.signal}, stopped in ${exit.at - t0} ms (SHUTDOWN_TIMEOUT_MS 8000)`;
      }),
    );

  const rows: Row[] = outcomes.map((o) => ({
    metric: `${o.fault} (${o.n} appointments, ${o.report.expected} messages)`,
    value: `received ${o.report.received}, lost ${o.report.lost}, duplicates ${o.report.duplicates}, lateness p95 ${(o.report.p95LatenessMs / 1000).toFixed(1)} s / max ${(o.report.maxLatenessMs / 1000).toFixed(1)} s${o.note ? `; ${o.note}` : ''}`,
    goal: '0 lost, 0 duplicates',
    met: o.report.lost === 0 && o.report.duplicates === 0,
  }));
  report({
    name: 'B6',
    title: 'faults: crashes, outages and shutdowns under load',
    params: { N, N_PG, N_SLOW, OUTAGE_S, SPREAD_S, env: ENV },
    rows,
    data: { outcomes },
  });
}
