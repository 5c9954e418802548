import { Worker, UnrecoverableError, type Job } from 'bullmq';
import type { Deps } from '../src/deps.js';
import { QUEUE_NAMES, parsePayload, JobPayloadError, type QueueName } from '../src/jobs/job.js';
import { reconcileJob } from '../src/jobs/reconcile.job.js';
import { withLogContext } from '../src/lib/logger.js';
import { PROCESSORS } from './registry.js';
import { ensureSchedules, keepSchedules } from '../src/delivery/schedules.js';
import type { ProcessorEntry } from './processor.js';

export interface RunningWorkers {
  workers: Worker[];
  /** Stop taking jobs; let in-flight ones finish until the deadline, then release them. */
  close(timeoutMs?: number): Promise<void>;
}

const CONCURRENCY: Record<QueueName, number> = { delivery: 50, events: 10, maintenance: 1 };

export function createDispatcher(deps: Deps, entries: ProcessorEntry[] = PROCESSORS) {
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

export async function startWorkers(deps: Deps, opts: { queues?: readonly QueueName[]; entries?: ProcessorEntry[] } = {}): Promise<RunningWorkers> {
  const dispatch = createDispatcher(deps, opts.entries);
  const names = opts.queues ?? QUEUE_NAMES;
  const workers = names.map((name) => {
    const w = new Worker(name, dispatch, {
      // BullMQ duplicates this connection for its blocking commands.
      connection: deps.redis,
      prefix: deps.config.QUEUE_PREFIX,
      concurrency: CONCURRENCY[name],
    });
    w.on('failed', (job, err) => deps.logger.warn({ jobId: job?.id, job: job?.name, attempts: job?.attemptsMade, err: err.message }, 'job failed'));
    w.on('error', (err) => deps.logger.warn({ err: err.message, queue: name }, 'worker error'));
    return w;
  });

  // Every recurring job comes from one list (src/delivery/schedules.ts), so the watchdog rebuilds exactly these after a flush.
  await ensureSchedules(deps);
  // And a reconcile now: a worker starting after Redis was lost re-queues what PostgreSQL says is pending.
  if (names.includes('maintenance')) await deps.queues.add(reconcileJob, {}, { jobId: `reconcile-start-${Date.now()}` });
  const stopWatchdog = keepSchedules(deps); // rebuilds them if Redis was flushed

  return {
    workers,
    async close(timeoutMs = deps.config.SHUTDOWN_TIMEOUT_MS) {
      stopWatchdog();
      let timer: NodeJS.Timeout | undefined;
      const graceful = Promise.all(workers.map((w) => w.close())).then(() => 'closed' as const);
      const deadline = new Promise<'timeout'>((r) => {
        timer = setTimeout(() => r('timeout'), timeoutMs);
      });
      const outcome = await Promise.race([graceful, deadline]);
      if (timer) clearTimeout(timer);
      // Past the deadline, force-close: unfinished jobs become stalled and are retried by another worker.
      if (outcome === 'timeout') await Promise.all(workers.map((w) => w.close(true)));
    },
  };
}
