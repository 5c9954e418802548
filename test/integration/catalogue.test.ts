import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELIVERY_KINDS, JOBS } from '../../src/catalogue.js';
import { QUEUE_NAMES, type JobDefinition } from '../../src/jobs/job.js';
import { checkSchedules } from '../../workers/schedules.js';
import { startWorkers } from '../../workers/start.js';
import { createTestDeps, type TestDeps } from '../helpers/deps.js';
import { deleteRedisPrefix } from '../helpers/redis.js';

/**
 * The job catalogue (src/catalogue.ts) is the one list of jobs: every job type
 * has a processor, and the schedulers a worker starts are exactly those the
 * watchdog rebuilds after Redis loses its keys (issue 16: the intake sweep was
 * started beside the list, so a flush lost it until a worker restarted).
 */
let deps: TestDeps;
beforeAll(async () => {
  deps = await createTestDeps();
});
afterAll(async () => {
  await deps?.destroy();
});

/** Every scheduler in this test's Redis, by id, sorted: names, so a missing one shows by name. */
async function schedulerIds(): Promise<string[]> {
  const all = await Promise.all(QUEUE_NAMES.map((q) => deps.queues.queue(q).getJobSchedulers()));
  return all
    .flat()
    .map((s) => s.key ?? s.id ?? '')
    .sort();
}

describe('job catalogue', () => {
  it('gives every job type a processor, once', async () => {
    const jobsDir = new URL('../../src/jobs/', import.meta.url);
    const defined: JobDefinition<unknown>[] = [];
    for (const file of readdirSync(jobsDir).filter((f) => f.endsWith('.job.ts'))) {
      const mod = (await import(new URL(file, jobsDir).href)) as Record<string, unknown>;
      defined.push(...(Object.values(mod).filter((v) => typeof v === 'object' && v !== null && 'jobId' in v && 'payload' in v) as JobDefinition<unknown>[]));
    }
    const withProcessor = JOBS.filter((e) => typeof e.process === 'function').map((e) => e.job.name);
    expect(withProcessor.length).toBe(JOBS.length);
    expect(new Set(withProcessor).size).toBe(withProcessor.length);
    expect([...withProcessor].sort()).toEqual(defined.map((d) => d.name).sort());
  });

  it('lists every delivery kind under its own name, as what delivery.send sends', () => {
    for (const [name, kind] of DELIVERY_KINDS) expect(kind.kind).toBe(name);
    expect(JOBS.find((e) => e.job.name === 'delivery.send')?.sends).toBe(DELIVERY_KINDS);
    expect(deps.deliveryKinds).toBe(DELIVERY_KINDS);
  });

  it('after Redis loses its keys, the watchdog rebuilds exactly the schedulers a worker started', async () => {
    const running = await startWorkers(deps); // every queue, as `npm run start:workers` does
    const started = await schedulerIds();
    await running.close(2000); // the watchdog's timer too: the rebuild below is the only one
    expect(started).toEqual(JOBS.flatMap((e) => (e.schedule ? [e.schedule.id] : [])).sort());
    expect(started).toContain('intake-sweep');

    await deleteRedisPrefix(deps.config.QUEUE_PREFIX); // this test's keys only: schedulers, jobs, budgets
    expect(await schedulerIds()).toEqual([]);
    await checkSchedules(deps); // what the watchdog runs
    expect(await schedulerIds()).toEqual(started);
  });
});
