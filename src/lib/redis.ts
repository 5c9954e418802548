import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { describeEndpoint } from './endpoint.js';

/** A single Redis server or a Redis Cluster (REDIS_CLUSTER_NODES): every Redis use takes either. */
export type RedisClient = Redis | Cluster;

/**
 * Key names that hold on a Redis Cluster. A cluster refuses a script, MULTI or
 * BullMQ command whose keys fall in different hash slots; only the text inside
 * the first `{…}` of a key is hashed. So:
 * - BullMQ's keys all carry the tag `{<QUEUE_PREFIX>}` (its Lua scripts touch a
 *   queue's many keys and a flow touches several queues): one slot;
 * - the send budgets (a Telegram send reserves the bot's and the chat's slot in
 *   one script) share `{<QUEUE_PREFIX>:budget}`;
 * - a chat's own keys (its turn queue, its flood window) share `{tg:<chat id>}`,
 *   so chats spread over the cluster and each chat's script stays in one slot.
 * On a single server the braces are just characters.
 */
export function bullPrefix(queuePrefix: string): string {
  return `{${queuePrefix}}`;
}

export function budgetPrefix(queuePrefix: string): string {
  return `{${queuePrefix}:budget}`;
}

export function chatKey(queuePrefix: string, chatId: number, part: string): string {
  return `${queuePrefix}:{tg:${chatId}}:${part}`;
}

/** `host:port,host:port` → ioredis cluster start-up nodes. */
export function parseClusterNodes(list: string): Array<{ host: string; port: number }> {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((hp) => {
      const i = hp.lastIndexOf(':');
      return { host: hp.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(hp.slice(i + 1)) };
    });
}

const COMMON: RedisOptions = {
  maxRetriesPerRequest: null,
  enableReadyCheck: true,
  // Keep retrying at run time (readiness turns red meanwhile), backing off to 5 s.
  retryStrategy: (times) => Math.min(times * 200, 5000),
};

/** The one place Redis connections are made (BullMQ needs maxRetriesPerRequest: null). */
export function createRedis(url: string, opts: RedisOptions = {}): Redis {
  return new Redis(url, { ...COMMON, ...opts });
}

/**
 * A cluster client from its start-up nodes; user, password and TLS come from
 * REDIS_URL (its host is not used). BullMQ duplicates it for blocking commands.
 */
export function createCluster(nodes: string, url: string, opts: RedisOptions = {}): Cluster {
  const u = new URL(url);
  return new Cluster(parseClusterNodes(nodes), {
    clusterRetryStrategy: (times) => Math.min(times * 200, 5000),
    enableReadyCheck: true,
    redisOptions: {
      ...COMMON,
      ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
      ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
      ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
      ...opts,
    },
  });
}

/** REDIS_CLUSTER_NODES set: a cluster client; otherwise one server at REDIS_URL. */
export function createRedisFor(config: { REDIS_URL: string; REDIS_CLUSTER_NODES?: string | undefined }, opts: RedisOptions = {}): RedisClient {
  return config.REDIS_CLUSTER_NODES ? createCluster(config.REDIS_CLUSTER_NODES, config.REDIS_URL, opts) : createRedis(config.REDIS_URL, opts);
}

class RedisUnavailableError extends Error {
  readonly code = 'REDIS_UNAVAILABLE';
  constructor(url: string, cause: unknown) {
    super(`Redis at ${describeEndpoint(url)} is not reachable (${cause instanceof Error ? cause.message : String(cause)})`);
    this.name = 'RedisUnavailableError';
  }
}

/**
 * At start: one quick, bounded check so a wrong REDIS_URL (or first cluster
 * node) fails fast with a clear message. Returns the server's maxmemory-policy when it can be read
 * (managed services may refuse CONFIG: null).
 */
export async function assertRedisReachable(url: string, timeoutMs = 3000, clusterNodes?: string): Promise<{ evictionPolicy: string | null }> {
  // A cluster: the first start-up node, with REDIS_URL's credentials (the policy is set per node).
  const first = clusterNodes ? parseClusterNodes(clusterNodes)[0] : undefined;
  if (first) {
    const u = new URL(url);
    u.hostname = first.host;
    u.port = String(first.port);
    url = u.toString();
  }
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: timeoutMs });
  probe.on('error', () => {});
  try {
    await probe.connect();
    await probe.ping();
    const policy = await (probe.config('GET', 'maxmemory-policy') as Promise<string[]>).then(
      (r) => r[1] ?? null,
      () => null,
    );
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

export async function redisPing(redis: RedisClient, timeoutMs = 1000): Promise<boolean> {
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
