import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { pino } from 'pino';
import { createDeps } from '../../src/compose.js';
import type { Deps } from '../../src/deps.js';
import { createRedis } from '../../src/lib/redis.js';

/** A throwaway redis-server of one test, on a port of its own (never the shared one): killed and started for real. */
export interface PrivateRedis {
  url: string;
  /** SIGKILL, and wait for the exit (nothing if it is not running). */
  kill(): Promise<void>;
  /** Start it again on the same port, empty (as after a crash without persistence). */
  restart(): Promise<void>;
  running(): boolean;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child = await spawnRedis(port);
  return {
    url: `redis://127.0.0.1:${port}`,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    },
    async restart() {
      child = await spawnRedis(port);
    },
    running: () => child.exitCode === null && child.signalCode === null,
  };
}

async function spawnRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (/Ready to accept connections/.test(out)) resolve();
    });
    child.once('exit', () => reject(new Error(`redis-server exited: ${out.slice(-500)}`)));
  });
  return child;
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/**
 * The same service (clock, database, cipher, config) on another Redis: a private one a test kills, or by default a
 * closed port (Redis that never answers). `close` ends its reconnect attempts.
 */
export async function depsOnRedis(deps: Deps, url = 'redis://127.0.0.1:1'): Promise<{ deps: Deps; close: () => void }> {
  const redis = createRedis(url, { retryStrategy: () => 1000 });
  redis.on('error', () => {});
  const other = await createDeps(
    { ...deps.config, REDIS_URL: url },
    { clock: deps.clock, database: deps.database, cipher: deps.cipher, redis, logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }) },
  );
  for (const q of other.queues.all()) q.on('error', () => undefined);
  return { deps: other, close: () => redis.disconnect() };
}
