import type { JobDefinition } from './job.js';
import { deliverySendJob } from './delivery-send.job.js';
import { reconcileJob } from './reconcile.job.js';
import { deliveryTickJob } from './delivery-tick.job.js';
import { escalationTickJob } from './escalation-tick.job.js';
import { intakeSweepJob } from './intake-sweep.job.js';
import { erasureRunJob } from './erasure-run.job.js';
import { erasureTickJob } from './erasure-tick.job.js';
import { retentionJob } from './retention.job.js';
import { erasureSlackCleanupJob } from './erasure-slack-cleanup.job.js';
import { redactionSlackCleanupJob } from './redaction-slack-cleanup.job.js';
import { handoverTickJob } from './handover-tick.job.js';

/** Every job type the service knows. A job whose name is not here is refused by the workers. */
export const JOBS = {
  deliverySend: deliverySendJob,
  reconcile: reconcileJob,
  deliveryTick: deliveryTickJob,
  escalationTick: escalationTickJob,
  intakeSweep: intakeSweepJob,
  erasureRun: erasureRunJob,
  erasureTick: erasureTickJob,
  retention: retentionJob,
  erasureSlackCleanup: erasureSlackCleanupJob,
  redactionSlackCleanup: redactionSlackCleanupJob,
  handoverTick: handoverTickJob,
  // biome-ignore lint/suspicious/noExplicitAny: each entry keeps its own payload type
} satisfies Record<string, JobDefinition<never> | JobDefinition<any>>;

export function findJob(name: string): JobDefinition<unknown> | undefined {
  return Object.values(JOBS).find((j) => j.name === name) as JobDefinition<unknown> | undefined;
}
