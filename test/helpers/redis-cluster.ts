import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, vi } from 'vitest';
import { freePort } from './http-relay.js';

const run = promisify(execFile);

/** Each node answering, then the cluster formed: up to 30 s each, asked every 100 ms (vi.waitFor: this runs in beforeAll, where expect.poll may not). */
const CLUSTER_WAIT = { timeout: 30_000, interval: 100 } as const;
const UP = 'redis cluster did not come up';

/**
 * A three-node Redis Cluster on loopback ports for one test file: three
 * `redis-server --cluster-enabled yes` in a temporary directory (no
 * persistence), joined with `redis-cli --cluster create … --cluster-replicas 0`,
 * stopped and removed by `stop()`. Never touches the shared Redis on 6379.
 */
export interface RedisCluster {
  /** `host:port,host:port,host:port` (REDIS_CLUSTER_NODES). */
  nodes: string;
  stop(): Promise<void>;
}

export async function hasRedisServer(): Promise<boolean> {
  return run('redis-server', ['--version']).then(
    () => true,
    () => false,
  );
}

export async function startRedisCluster(size = 3): Promise<RedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'cw-cluster-'));
  const ports: number[] = [];
  const procs: ChildProcess[] = [];
  const stop = async () => {
    for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL');
    await Promise.all(procs.map((p) => (p.exitCode === null ? new Promise((r) => p.once('exit', r)) : undefined)));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < size; i++) {
      const port = await freePort();
      ports.push(port);
      const child = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          `nodes-${port}.conf`,
          '--cluster-node-timeout',
          '5000',
          '--save',
          '',
          '--appendonly',
          'no',
          '--dir',
          dir,
          '--maxmemory-policy',
          'noeviction',
        ],
        { stdio: 'ignore' },
      );
      procs.push(child);
    }
    for (const port of ports) await vi.waitFor(async () => expect(await cli(port, 'ping'), UP).toBe('PONG'), CLUSTER_WAIT);
    await run('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], { timeout: 60_000 });
    for (const port of ports) await vi.waitFor(async () => expect(await cli(port, 'cluster', 'info'), UP).toMatch(/cluster_state:ok/), CLUSTER_WAIT);
    return { nodes: ports.map((p) => `127.0.0.1:${p}`).join(','), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function cli(port: number, ...args: string[]): Promise<string> {
  return run('redis-cli', ['-p', String(port), ...args]).then(
    (r) => r.stdout.trim(),
    () => '',
  );
}
