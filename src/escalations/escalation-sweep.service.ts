import { randomUUID } from 'node:crypto';
import type { Deps } from '../deps.js';
import { safeJobId } from '../jobs/job.js';
import { escalationTickJob } from '../jobs/escalation-tick.job.js';
import { openDueEscalations } from './escalation-open.js';
import { advanceEscalations } from './escalation-ladder.js';
import { planWeeklyDigests } from './weekly-digest.js';

/**
 * One sweep (the `escalations.tick` job, every ESCALATION_TICK_SECONDS, and on
 * demand): open what is newly due, move every open escalation one step (or
 * resolve it), and keep next Monday's digests planned. Safe to run twice at
 * once: opening is unique per case+reason and each notification is taken by
 * an optimistic update, and every message is a unique ledger row.
 */
export async function runEscalationSweep(deps: Deps): Promise<{ opened: number; notified: number; resolved: number; digests: number }> {
  const opened = await openDueEscalations(deps);
  const { notified, resolved } = await advanceEscalations(deps);
  const digests = await planWeeklyDigests(deps);
  return { opened, notified, resolved, digests };
}

/**
 * Run a sweep now rather than at the next tick (a crisis was just recorded): call after commit.
 * Added on the raw queue with its own id: JobQueues.add always uses the definition's fixed id
 * ('escalations-tick'), which stays stored after completion and would make every later request a no-op.
 */
export async function requestEscalationSweep(deps: Pick<Deps, 'queues' | 'clock'>): Promise<void> {
  const data = escalationTickJob.payload.parse({});
  await deps.queues.queue(escalationTickJob.queue).add(escalationTickJob.name, data, {
    ...escalationTickJob.options, jobId: safeJobId('escalations-now', deps.clock.now().toMillis(), randomUUID()),
  });
}
