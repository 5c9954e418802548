import { Worker, UnrecoverableError, type Job } from 'bullmq';
import type { Deps } from '../src/deps.js';
import { QUEUE_NAMES, parsePayload, JobPayloadError, type QueueName } from '../src/jobs/job.js';
import { reconcileJob } from '../src/jobs/reconcile.job.js';
import { withLogContext } from '../src/lib/logger.js';
import { JOBS } from '../src/catalogue.js';
import { ensureSchedules, keepSchedules } from './schedules.js';
import { keepLadderWithoutRedis } from './ladder-without-redis.js';
import type { ProcessorEntry } from './processor.js';
import { interruptSends } from '../src/delivery/platform-senders.js';
import { requeueNotConfigured } from '../src/delivery/requeue.js';

export interface RunningWorkers {
  workers: Worker[];
  /** Stop taking jobs; let in-flight ones finish until the deadline, then release them. */
  close(timeoutMs?: number): Promise<void>;
}

/** The last part of the shutdown budget, kept for interrupted sends to release their rows. */
const INTERRUPT_RESERVE_MS = 1500;

/** True when `p` settles within `ms`. */
async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((r) => {
    timer = setTimeout(() => r(false), ms);
  });
  const done = await Promise.race([p.then(() => true as const), timeout]);
  clearTimeout(timer);
  return done;
}

const CONCURRENCY: Record<QueueName, number> = { delivery: 50, events: 10, maintenance: 1 };

export function createDispatcher(deps: Deps, entries: readonly ProcessorEntry[] = JOBS) {
  const byName = new Map(entries.map((e) => [e.job.name, e]));
  return async (job: Job) =>
    withLogContext({ jobId: job.id ?? 'unknown', queue: job.queueName }, async () => {
      const entry = byName.get(job.name);
      if (!entry) throw new UnrecoverableError(`no processor for job "${job.name}"`);
      let payload: unknown;
      try {
        payload = parsePayload(entry.job, job.data);
      } catch (err) {
        // A malformed payload will not get better by retrying.
        if (err instanceof JobPayloadError) {
          deps.logger.error({ job: job.name, err: err.message }, 'job refused: invalid payload');
          throw new UnrecoverableError(err.message);
        }
        throw err;
      }
      const result = await entry.process(payload, { deps, job });
      deps.logger.debug({ job: job.name, status: result.status, reason: result.reason }, 'job processed');
      return result;
    });
}

export async function startWorkers(deps: Deps, opts: { queues?: readonly QueueName[]; entries?: readonly ProcessorEntry[] } = {}): Promise<RunningWorkers> {
  const dispatch = createDispatcher(deps, opts.entries);
  const names = opts.queues ?? QUEUE_NAMES;
  const workers = names.map((name) => {
    const w = new Worker(name, dispatch, {
      // BullMQ duplicates this connection for its blocking commands.
      connection: deps.redis,
      prefix: deps.queues.prefix,
      concurrency: CONCURRENCY[name],
    });
    w.on('failed', (job, err) => deps.logger.warn({ jobId: job?.id, job: job?.name, attempts: job?.attemptsMade, err: err.message }, 'job failed'));
    w.on('error', (err) => deps.logger.warn({ err: err.message, queue: name }, 'worker error'));
    return w;
  });

  // Every recurring job comes from the catalogue (src/catalogue.ts), so the watchdog rebuilds exactly these after a flush.
  await ensureSchedules(deps);
  // And a reconcile now: a worker starting after Redis was lost re-queues what PostgreSQL says is pending.
  if (names.includes('maintenance')) await deps.queues.add(reconcileJob, {}, { jobId: `reconcile-start-${Date.now()}` });
  if (names.includes('delivery')) {
    const requeued = await requeueNotConfigured(deps);
    if (requeued) deps.logger.info({ requeued }, 'messages failed as "not configured" are pending again');
  }
  const stopWatchdog = keepSchedules(deps); // rebuilds them if Redis was flushed
  // The escalation tick is a BullMQ job: while Redis is down the process that runs it pages from PostgreSQL.
  const stopLadder = names.includes('maintenance') ? keepLadderWithoutRedis(deps) : () => undefined;

  return {
    workers,
    async close(timeoutMs = deps.config.SHUTDOWN_TIMEOUT_MS) {
      stopWatchdog();
      stopLadder();
      // Stop taking jobs at once; let in-flight sends finish for most of the budget. Then cut what is still
      // waiting (slot waits, platform calls): those rows go back to pending and their jobs are delayed, so
      // the close that follows is quick. Only what still hangs after that is force-closed (its job stalls and
      // the row's short lease lets another worker take it).
      const graceful = Promise.all(workers.map((w) => w.close())).then(() => true);
      const interruptAt = Math.max(0, timeoutMs - INTERRUPT_RESERVE_MS);
      if (await within(graceful, interruptAt)) return;
      deps.logger.warn({ afterMs: interruptAt }, 'sends still in flight at the shutdown deadline: interrupting them');
      interruptSends(deps);
      if (await within(graceful, timeoutMs - interruptAt)) return;
      await Promise.all(workers.map((w) => w.close(true)));
    },
  };
}
