import { Redis, type RedisOptions } from 'ioredis';
import { describeEndpoint } from '../config.js';

/** The one place Redis connections are made (BullMQ needs maxRetriesPerRequest: null). */
export function createRedis(url: string, opts: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    // Keep retrying at run time (readiness turns red meanwhile), backing off to 5 s.
    retryStrategy: (times) => Math.min(times * 200, 5000),
    ...opts,
  });
}

export class RedisUnavailableError extends Error {
  readonly code = 'REDIS_UNAVAILABLE';
  constructor(url: string, cause: unknown) {
    super(`Redis at ${describeEndpoint(url)} is not reachable (${cause instanceof Error ? cause.message : String(cause)})`);
    this.name = 'RedisUnavailableError';
  }
}

/**
 * At start: one quick, bounded check so a wrong REDIS_URL fails fast with a
 * clear message. Returns the server's maxmemory-policy when it can be read
 * (managed services may refuse CONFIG: null).
 */
export async function assertRedisReachable(url: string, timeoutMs = 3000): Promise<{ evictionPolicy: string | null }> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: timeoutMs });
  probe.on('error', () => {});
  try {
    await probe.connect();
    await probe.ping();
    const policy = await (probe.config('GET', 'maxmemory-policy') as Promise<string[]>).then((r) => r[1] ?? null, () => null);
    return { evictionPolicy: policy };
  } catch (err) {
    throw new RedisUnavailableError(url, err);
  } finally {
    probe.disconnect();
  }
}

/**
 * Queued jobs (every reminder and escalation due later) live in Redis: a
 * server that evicts keys under memory pressure silently drops them until the
 * reconciler puts them back. BullMQ needs `maxmemory-policy noeviction`.
 */
export function evictionWarning(policy: string | null): string | null {
  if (policy === null || policy === 'noeviction') return null;
  return `Redis maxmemory-policy is "${policy}": under memory pressure Redis may evict queued reminder and escalation jobs. Set maxmemory-policy noeviction (BullMQ requires it).`;
}

export async function redisPing(redis: Redis, timeoutMs = 1000): Promise<boolean> {
  if (redis.status !== 'ready') return false;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      redis.ping().then((r) => r === 'PONG'),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
  } catch {
    return false;
  } finally {
    if (timer) clearTimeout(timer);
  }
}
