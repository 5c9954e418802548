/**
 * B5 — footprint. Spawns the real entry points as separate processes
 * (node --import tsx, i.e. what `tsx` runs, as one process so its RSS is the
 * service's own):
 *  - the app (src/main.ts) and the workers (workers/main.ts) against a
 *    scratch PostgreSQL database and Redis: idle RSS after B5_IDLE_SECONDS;
 *    (Telegram bot token pointing at the emulator, long polling, so not the sandbox);
 *  - the demo (src/main.ts --with-workers, no DATABASE_URL, no tokens: sandbox) on the embedded
 *    database (PGlite) in a temp dir: time to ready, cold (empty dir,
 *    migrations) and warm (second start on the same dir), and RSS.
 * "Ready" is the process's own log line (http server listening / workers started).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { envInt, fmt, r2, repeat, report, scratchDeps, spread } from './lib.js';
import { TEST_REDIS_URL } from '../test/helpers/redis.js';
import { TelegramEmulator } from '../src/sandbox/telegram-emulator.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? r2(Number(m[1]) / 1024) : NaN;
}

async function startProcess(entry: string[], env: Record<string, string>, readyMsgs: string[], idleSec: number) {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', ...entry], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const seen = new Set<string>();
  let readyMs = NaN;
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${entry.join(' ')} not ready in 120 s:\n${out.slice(-2000)}`)), 120_000);
      const onData = (b: Buffer) => {
        out += b.toString();
        for (const m of readyMsgs) if (out.includes(m)) seen.add(m);
        if (seen.size === readyMsgs.length) {
          readyMs = performance.now() - t0;
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${entry.join(' ')} exited ${code}:\n${out.slice(-2000)}`));
      });
    });
    const atReady = rssOf(child.pid!);
    await new Promise((r) => setTimeout(r, idleSec * 1000));
    return { readyMs: r2(readyMs), rssAtReadyMiB: atReady, rssIdleMiB: rssOf(child.pid!) };
  } finally {
    child.removeAllListeners('exit');
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

export async function b5(): Promise<void> {
  const idle = envInt('B5_IDLE_SECONDS', 10);
  const runs = envInt('B5_RUNS', 3);
  const deps = await scratchDeps();
  // The app and workers get a Telegram bot token (the emulator, long polling) so they run as deployed, not as the sandbox.
  const tg = new TelegramEmulator({ maxPollTimeoutSec: 5 });
  await tg.start();
  const base = {
    NODE_ENV: 'development',
    LOG_LEVEL: 'info',
    REDIS_URL: TEST_REDIS_URL,
    PORT: '0',
    QUEUE_PREFIX: deps.prefix,
    TELEGRAM_BOT_TOKEN: '',
    SLACK_BOT_TOKEN: '',
  };
  try {
    const pgEnv = { ...base, DATABASE_URL: deps.testDb.url, TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.url };
    const app = await repeat(0, runs, () => startProcess(['src/main.ts'], pgEnv, ['http server listening'], idle));
    // A workers process refuses to start unless it can send for both platforms; idle, it never calls Slack.
    const workersEnv = { ...pgEnv, SLACK_BOT_TOKEN: 'xoxb-bench-footprint', SLACK_API_URL: 'http://127.0.0.1:9/api/' };
    const workers = await repeat(0, runs, () => startProcess(['workers/main.ts'], workersEnv, ['workers started'], idle));
    const both = await repeat(0, 1, () => startProcess(['src/main.ts', '--with-workers'], pgEnv, ['http server listening', 'workers started'], idle));
    const demo = await repeat(0, runs, async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'cw-bench-pglite-'));
      try {
        const env = { ...base, DATABASE_URL: '', PGLITE_DIR: dir };
        const cold = await startProcess(['src/main.ts', '--with-workers'], env, ['http server listening', 'workers started'], idle);
        const warm = await startProcess(['src/main.ts', '--with-workers'], env, ['http server listening', 'workers started'], idle);
        return { cold, warm };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
    const s = <T>(xs: T[], f: (x: T) => number) => spread(xs.map(f));
    report({
      name: 'B5',
      title: 'footprint of the real processes (separate node processes, RSS from /proc)',
      params: { idleSeconds: idle, runs },
      rows: [
        { metric: 'app (src/main.ts, PostgreSQL): idle RSS MiB', value: fmt(s(app, (x) => x.rssIdleMiB)) },
        { metric: 'app: start to listening ms', value: fmt(s(app, (x) => x.readyMs)) },
        { metric: 'workers (workers/main.ts): idle RSS MiB', value: fmt(s(workers, (x) => x.rssIdleMiB)) },
        { metric: 'workers: start to ready ms', value: fmt(s(workers, (x) => x.readyMs)) },
        { metric: 'app + workers in one process: idle RSS MiB', value: fmt(s(both, (x) => x.rssIdleMiB)) },
        { metric: 'demo on PGlite, cold (empty dir) start ms', value: fmt(s(demo, (x) => x.cold.readyMs)) },
        { metric: 'demo on PGlite, warm (existing dir) start ms', value: fmt(s(demo, (x) => x.warm.readyMs)) },
        { metric: 'demo on PGlite: idle RSS MiB', value: fmt(s(demo, (x) => x.warm.rssIdleMiB)) },
      ],
      data: { app, workers, both, demo },
    });
  } finally {
    await deps.destroy();
    await tg.stop();
  }
}
