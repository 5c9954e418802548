import { Queue, type JobsOptions } from 'bullmq';
import { bullPrefix, type RedisClient as Redis } from '../lib/redis.js';
import { QUEUE_NAMES, parsePayload, type JobDefinition, type QueueName } from './job.js';

/** Producers' side: one BullMQ Queue per queue name, sharing one Redis connection. */
export class JobQueues {
  private readonly queues: Record<QueueName, Queue>;

  /** BullMQ's key prefix: QUEUE_PREFIX hash-tagged, so a queue's keys stay in one cluster slot (src/lib/redis.ts). */
  readonly prefix: string;

  constructor(connection: Redis, queuePrefix: string) {
    const prefix = bullPrefix(queuePrefix);
    this.prefix = prefix;
    this.queues = Object.fromEntries(
      QUEUE_NAMES.map((n) => {
        const q = new Queue(n, { connection, prefix });
        // The shared connection's errors are logged once where it is made (compose.ts). Without a listener, BullMQ
        // prints each one to stderr, once per queue and per reconnect attempt, for as long as Redis is down.
        q.on('error', () => undefined);
        return [n, q];
      }),
    ) as Record<QueueName, Queue>;
  }

  queue(name: QueueName): Queue {
    return this.queues[name];
  }

  all(): Queue[] {
    return Object.values(this.queues);
  }

  /**
   * Validates the payload, then adds with the deterministic id (re-adding is a
   * no-op while the job is stored). An explicit `opts.jobId` overrides it, for
   * one-off runs of a scheduled job ("reconcile now") that must not be
   * swallowed by a finished job kept under the usual id.
   */
  async add<P>(def: JobDefinition<P>, payload: P, opts: JobsOptions = {}): Promise<string> {
    const data = parsePayload(def, payload);
    const jobId = opts.jobId ?? def.jobId(data);
    await this.queues[def.queue].add(def.name, data, { ...def.options, ...opts, jobId });
    return jobId;
  }

  async addBulk<P>(def: JobDefinition<P>, items: Array<{ payload: P; opts?: JobsOptions }>): Promise<void> {
    if (items.length === 0) return;
    await this.queues[def.queue].addBulk(
      items.map(({ payload, opts }) => {
        const data = parsePayload(def, payload);
        return { name: def.name, data, opts: { ...def.options, ...opts, jobId: def.jobId(data) } };
      }),
    );
  }

  async counts(): Promise<Record<QueueName, Record<string, number>>> {
    const out = {} as Record<QueueName, Record<string, number>>;
    for (const n of QUEUE_NAMES) {
      out[n] = await this.queues[n].getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized', 'waiting-children');
    }
    return out;
  }

  async close(): Promise<void> {
    await Promise.all(this.all().map((q) => q.close()));
  }
}
