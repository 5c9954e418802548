/**
 * B1, scaled out: the same simulated clients (b1-intake.ts `drive`) against
 * app processes run as in production (`node dist/src/main.js`, webhook mode),
 * one and then two behind a round-robin relay standing in for the HTTPS load
 * balancer (test/helpers/http-relay.ts). Per-chat order and the flood window
 * live in Redis (src/telegram/chat-turns.ts, telegram.shared-gate.ts), so an
 * intake's updates may alternate between the two. Button presses are answered
 * in the webhook response. The Telegram emulator runs in this process; CPU per
 * update is the app processes' own (/proc/<pid>/stat).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { TelegramEmulator } from '../src/sandbox/telegram-emulator.js';
import { freePort, startRoundRobin } from '../test/helpers/http-relay.js';
import { TEST_REDIS_URL } from '../test/helpers/redis.js';
import { drive } from './b1-intake.js';
import { envInt, fmt, q, quantile, r2, report, scratchDeps, spread } from './lib.js';

const ROOT = new URL('../', import.meta.url).pathname;

function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}

function startApp(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['dist/src/main.js'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      if (/telegram bot receiving updates by webhook/.test(out)) resolve(child);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`B1 app exited (${code}): ${out.slice(-2000)}`)));
  });
}

async function runApps(apps: number, m: number, runs: number) {
  const tg = new TelegramEmulator({ rateLimits: false, answerTimeoutMs: 30_000, callLogLimit: 1000 });
  await tg.start();
  const deps = await scratchDeps({});
  const ports = await Promise.all(Array.from({ length: apps }, () => freePort()));
  const rr = await startRoundRobin(() => ports.map((p) => `http://127.0.0.1:${p}`));
  const children: ChildProcess[] = [];
  try {
    const base = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      DATABASE_URL: deps.testDb.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: deps.prefix,
      DB_POOL_MAX: '20',
      ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.url,
      PUBLIC_URL: rr.url,
      TELEGRAM_FLOOD_MAX_MESSAGES: '1000',
      INTAKE_GATHER_SECONDS: '0',
    };
    for (const port of ports) children.push(await startApp({ ...base, PORT: String(port) }));
    const answers = { webhook: 0, api: 0 };
    tg.on('call', (c: { method: string; via: string }) => {
      if (c.method === 'answerCallbackQuery') answers[c.via === 'webhook-reply' ? 'webhook' : 'api']++;
    });
    await drive(tg, Math.min(20, m), 50_000_000, Math.min(20, m)); // warm-up
    const res = [];
    for (let i = 0; i < runs; i++) {
      const cpu0 = children.map((c) => cpuMsOf(c.pid!));
      const stats0 = tg.stats.calls;
      answers.webhook = answers.api = 0;
      const { lat, secs } = await drive(tg, m, 51_000_000 + i * 1_000_000, m);
      const cpu = children.reduce((s, c, k) => s + cpuMsOf(c.pid!) - cpu0[k]!, 0);
      res.push({
        updates: lat.length,
        secs: r2(secs),
        perSec: r2(lat.length / secs),
        p50: r2(quantile(lat, 0.5)),
        p99: r2(quantile(lat, 0.99)),
        cpuMsPerUpdate: r2(cpu / lat.length),
        apiCallsPerUpdate: r2((tg.stats.calls - stats0) / lat.length),
        answersInWebhookReply: answers.webhook,
        answersByApi: answers.api,
      });
    }
    const [cs] = await q<{ n: number }>(deps.db, sql`select count(*)::int n from cases`);
    if (cs!.n !== m * runs + Math.min(20, m)) throw new Error(`B1 scale: ${cs!.n} cases for ${m * runs + Math.min(20, m)} clients`);
    return res;
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : undefined)));
    await rr.close();
    await deps.destroy();
    await tg.stop();
  }
}

export async function b1Scale(): Promise<void> {
  const m = envInt('B1_CLIENTS', 200);
  const runs = envInt('B1_RUNS', 3);
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'ignore' });
  const one = await runApps(1, m, runs);
  const two = await runApps(2, m, runs);
  const row = (label: string, pick: (r: (typeof one)[number]) => number) => [
    { metric: `${label}, 1 app process`, value: fmt(spread(one.map(pick))) },
    { metric: `${label}, 2 app processes`, value: fmt(spread(two.map(pick))) },
  ];
  report({
    name: 'B1-apps',
    title: 'concurrent Telegram intakes through 1 and 2 app processes (node dist/) behind a round-robin webhook relay',
    params: { clients: m, concurrency: m, runs, updatesPerClient: 14, emulator: 'bench process', loadavg: (await import('node:os')).loadavg().map(r2) },
    rows: [
      ...row('updates/s', (r) => r.perSec),
      ...row('per-update latency p50 ms', (r) => r.p50),
      ...row('per-update latency p99 ms', (r) => r.p99),
      ...row('CPU ms per update (app processes)', (r) => r.cpuMsPerUpdate),
      ...row('Bot API requests per update', (r) => r.apiCallsPerUpdate),
      {
        metric: 'button answers in the webhook response / by API (last run, 2 apps)',
        value: `${two.at(-1)!.answersInWebhookReply} / ${two.at(-1)!.answersByApi}`,
      },
    ],
    data: { one, two },
  });
}
