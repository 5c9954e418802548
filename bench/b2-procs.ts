/**
 * B2's limits-off phase with `B2_WORKERS` = k > 0: k workers processes from
 * built JavaScript (`npm run build`, then bench/b2-worker.ts built beside it
 * and run by `node`), on the phase's scratch database and Redis prefix, CPU
 * read from /proc/<pid>/stat (utime + stime).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { TEST_REDIS_URL } from '../test/helpers/redis.js';
import type { ScratchDeps } from './lib.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let built = false;

/** `npm run build` and the bench worker beside it, once per bench process. */
export async function buildWorker(): Promise<void> {
  if (built) return;
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'ignore' });
  await build({
    entryPoints: [path.join(ROOT, 'bench/b2-worker.ts')],
    outdir: path.join(ROOT, 'dist'),
    outbase: ROOT,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
  built = true;
}

export function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10; // CLK_TCK 100
  } catch {
    return 0;
  }
}

export interface WorkerProcs {
  pids: number[];
  cpuMs(): number;
  stop(): Promise<void>;
}

/** B2_WORKER_NODE_ARGS, e.g. '--cpu-prof --cpu-prof-dir=/tmp/prof', go to each worker's node. */
export async function startWorkerProcs(k: number, deps: ScratchDeps, env: Record<string, string>): Promise<WorkerProcs> {
  await buildWorker();
  const children: ChildProcess[] = [];
  for (let i = 0; i < k; i++) {
    const nodeArgs = (process.env.B2_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const child = spawn(process.execPath, [...nodeArgs, 'dist/bench/b2-worker.js'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        DATABASE_URL: deps.testDb.url,
        REDIS_URL: TEST_REDIS_URL,
        QUEUE_PREFIX: deps.prefix,
        ENCRYPTION_KEYS: `bench1:${Buffer.alloc(32, 7).toString('base64')}`,
        // 60 connections between them (PostgreSQL's max_connections is 100, shared with everything else).
        DB_POOL_MAX: String(Math.min(30, Math.floor(60 / k))),
        ...env,
      },
    });
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('b2-worker did not start in 60 s')), 60_000);
      child.once('exit', (code) => reject(new Error(`b2-worker exited (${code})`)));
      child.stdout!.on('data', (b: Buffer) => {
        if (b.toString().includes('b2-worker ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  }
  const pids = children.map((c) => c.pid!);
  return {
    pids,
    cpuMs: () => pids.reduce((s, pid) => s + cpuMsOf(pid), 0),
    async stop() {
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((resolve) => {
              if (c.exitCode !== null) return resolve();
              c.once('exit', () => resolve());
              c.kill('SIGTERM');
              setTimeout(() => c.kill('SIGKILL'), 10_000).unref();
            }),
        ),
      );
    },
  };
}
