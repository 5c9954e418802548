import { QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverySendJob } from '../../src/jobs/delivery-send.job.js';
import { z } from 'zod';
import { defineJob, JobPayloadError, RETRYING, safeJobId, uuid } from '../../src/jobs/job.js';
import { planDeliveries } from '../../src/delivery/ledger.js';
import type { LedgerKind } from '../../src/delivery/kinds/names.js';
import { reconcileDeliveries } from '../../src/delivery/reconcile.js';
import { startWorkers } from '../../workers/start.js';
import { processor } from '../../workers/processor.js';
import { createTestDeps, type TestDeps } from '../helpers/deps.js';
import { deleteRedisPrefix } from '../helpers/redis.js';
import { makeClient } from '../helpers/factories.js';

/** A job on the events queue for these tests (the shape the case.created hand-off had before the intake card was planned in the submit transaction). */
const caseCreatedJob = defineJob({
  queue: 'events',
  name: 'case.created',
  payload: z.object({ caseId: uuid }).strict(),
  jobId: (p) => safeJobId('case-created', p.caseId),
  options: RETRYING,
});

let deps: TestDeps;
beforeAll(async () => {
  deps = await createTestDeps();
});
afterAll(async () => {
  await deps?.destroy();
});

async function pendingClientDeliveries(n: number, tag: string) {
  const client = await makeClient(deps.db, { timeZone: 'UTC' });
  const now = deps.clock.now();
  return planDeliveries(
    deps.db,
    Array.from({ length: n }, (_, i) => ({
      kind: 'test_kind' as LedgerKind, // no renderer: these rows only exercise the queues
      subjectId: `${tag}-${i}`,
      recipient: `client:${client.id}` as const,
      channel: 'telegram' as const,
      dueAt: now.plus({ hours: 1 + i }),
    })),
    now,
  );
}

describe('job catalogue', () => {
  it('refuses a payload that does not match the job schema, before it reaches Redis', async () => {
    await expect(deps.queues.add(caseCreatedJob, { caseId: 'not-a-uuid' })).rejects.toBeInstanceOf(JobPayloadError);
    await expect(deps.queues.add(caseCreatedJob, { caseId: '5f0c8a7e-1111-4222-8333-444455556666', name: 'Mei' } as never)).rejects.toThrow(/Unrecognized key/);
    expect(await deps.queues.queue('events').count()).toBe(0);
  });

  it('gives the same logical work the same job id, so adding twice stores one job', async () => {
    const payload = { caseId: '5f0c8a7e-1111-4222-8333-444455556666' };
    const a = await deps.queues.add(caseCreatedJob, payload);
    const b = await deps.queues.add(caseCreatedJob, payload);
    expect(a).toBe(b);
    expect(a).not.toContain(':');
    expect(await deps.queues.queue('events').getJobCounts('waiting')).toEqual({ waiting: 1 });
    await deps.queues.queue('events').obliterate({ force: true });
  });

  it('lets a caller run a job again under an explicit id (a "run now" is not swallowed by the kept one)', async () => {
    const payload = { caseId: '5f0c8a7e-1111-4222-8333-444455556666' };
    const usual = await deps.queues.add(caseCreatedJob, payload);
    const again = await deps.queues.add(caseCreatedJob, payload, { jobId: 'case-created-rerun-1' });
    expect(again).toBe('case-created-rerun-1');
    expect(again).not.toBe(usual);
    expect(await deps.queues.queue('events').getJobCounts('waiting')).toEqual({ waiting: 2 });
    await deps.queues.queue('events').obliterate({ force: true });
  });

  it('never produces job ids BullMQ rejects (colons, integer-looking)', () => {
    expect(safeJobId('a:b', 'c d')).toBe('a_b-c_d');
    expect(safeJobId(42)).toBe('j-42');
  });
});

describe('reconciler', () => {
  it('runs on an empty schedule and changes nothing', async () => {
    const r = await reconcileDeliveries(deps);
    expect(r).toEqual({ pending: 0, present: 0, enqueued: 0 });
    expect(await deps.queues.queue('delivery').count()).toBe(0);
  });

  it('rebuilds every pending delivery after Redis lost the schedule, with the delay each still needs', async () => {
    const rows = await pendingClientDeliveries(3, 'flush');
    const first = await reconcileDeliveries(deps);
    expect(first).toMatchObject({ pending: 3, enqueued: 3 });
    // A second pass finds them all present.
    expect(await reconcileDeliveries(deps)).toMatchObject({ pending: 3, present: 3, enqueued: 0 });

    await deleteRedisPrefix(deps.config.QUEUE_PREFIX); // Redis lost
    const again = await reconcileDeliveries(deps);
    expect(again).toMatchObject({ pending: 3, enqueued: 3 });
    const job = await deps.queues.queue('delivery').getJob(deliverySendJob.jobId({ deliveryId: rows[1]!.id }));
    expect(job?.opts.delay).toBe(2 * 3600 * 1000);
    expect(job?.data).toEqual({ deliveryId: rows[1]!.id });
    await deps.queues.queue('delivery').obliterate({ force: true });
    await deps.db.execute(sql`update deliveries set status = 'skipped', reason = 'test cleanup' where status = 'pending'`);
  });

  it('re-adds a job that finished while its row is still pending (a worker lost the row update)', async () => {
    const [row] = await pendingClientDeliveries(1, 'done');
    const q = deps.queues.queue('delivery');
    // A processor that completes the job without touching the row: what a crash between the two looks like.
    const forgetful = processor(deliverySendJob, async () => ({ status: 'done' }));
    const running = await startWorkers(deps, { queues: ['delivery'], entries: [forgetful] });
    const events = new QueueEvents('delivery', { connection: (deps.redis as Redis).duplicate(), prefix: deps.queues.prefix });
    await events.waitUntilReady();
    try {
      await deps.queues.add(deliverySendJob, { deliveryId: row!.id });
      const job = (await q.getJob(deliverySendJob.jobId({ deliveryId: row!.id })))!;
      await job.waitUntilFinished(events, 10_000);
    } finally {
      await events.close();
      await running.close();
    }
    const jobId = deliverySendJob.jobId({ deliveryId: row!.id });
    expect(await q.getJobState(jobId)).toBe('completed');
    const r = await reconcileDeliveries(deps);
    expect(r.enqueued).toBe(1);
    expect(['waiting', 'delayed']).toContain(await q.getJobState(jobId));
    await q.obliterate({ force: true });
  });
});

describe('workers', () => {
  it('dispatch on job name, validate payloads, and refuse unknown jobs without retrying', async () => {
    const seen: string[] = [];
    const custom = processor(caseCreatedJob, async ({ caseId }) => {
      seen.push(caseId);
      return { status: 'done' };
    });
    const running = await startWorkers(deps, { queues: ['events'], entries: [custom] });
    const events = new QueueEvents('events', { connection: (deps.redis as Redis).duplicate(), prefix: deps.queues.prefix });
    await events.waitUntilReady();
    try {
      const q = deps.queues.queue('events');
      const good = await q.add(caseCreatedJob.name, { caseId: '5f0c8a7e-1111-4222-8333-444455556666' });
      const bad = await q.add(caseCreatedJob.name, { caseId: 'nope' }, { attempts: 5 });
      const unknown = await q.add('mystery.job', {}, { attempts: 5 });
      await expect(good.waitUntilFinished(events, 10_000)).resolves.toEqual({ status: 'done' });
      await expect(bad.waitUntilFinished(events, 10_000)).rejects.toThrow(/payload for case.created is invalid/);
      await expect(unknown.waitUntilFinished(events, 10_000)).rejects.toThrow(/no processor for job "mystery.job"/);
      expect(seen).toEqual(['5f0c8a7e-1111-4222-8333-444455556666']);
      // Unrecoverable: one attempt, not five.
      expect((await q.getJob(bad.id!))?.attemptsMade).toBe(1);
      expect((await q.getJob(unknown.id!))?.attemptsMade).toBe(1);
    } finally {
      await events.close();
      await running.close();
    }
  });
});
