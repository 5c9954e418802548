import type { Job } from 'bullmq';
import type { Deps } from '../src/deps.js';
import type { JobDefinition } from '../src/jobs/job.js';
import type { DeliveryKind } from '../src/delivery/kinds/kind.js';
import type { DeliveryKindName } from '../src/delivery/kinds/names.js';

/** What a processor did, stored as the job's return value (visible on the dashboard). */
type ProcessorResult = { status: 'done' | 'skipped'; reason?: string } & Record<string, unknown>;

export type Processor<P> = (payload: P, ctx: { deps: Deps; job: Job }) => Promise<ProcessorResult>;

// biome-ignore lint/suspicious/noExplicitAny: the registry holds entries of every payload type
export interface ProcessorEntry<P = any> {
  job: JobDefinition<P>;
  process: Processor<P>;
}

export function processor<P>(job: JobDefinition<P>, process: Processor<P>): ProcessorEntry<P> {
  return { job, process };
}

/** A recurring job: a BullMQ job scheduler under `id` (kept stable: Redis stores schedulers by it), every `everyMs`. */
export interface Schedule {
  id: string;
  everyMs(deps: Deps): number;
}

/**
 * One line of the catalogue (src/catalogue.ts): a job type, its processor, its
 * schedule if it recurs, and the delivery kinds it renders and sends.
 */
// biome-ignore lint/suspicious/noExplicitAny: the catalogue holds entries of every payload type
export interface JobEntry<P = any> extends ProcessorEntry<P> {
  schedule?: Schedule;
  sends?: ReadonlyMap<DeliveryKindName, DeliveryKind>;
}

/** A recurring job runs with an empty payload (the scheduler adds `{}`), so only such a job can have a schedule. */
export function scheduled(entry: ProcessorEntry<Record<string, never>>, id: string, everyMs: Schedule['everyMs']): JobEntry<Record<string, never>> {
  return { ...entry, schedule: { id, everyMs } };
}
