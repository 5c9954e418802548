import type { Job } from 'bullmq';
import type { Deps } from '../src/deps.js';
import type { JobDefinition } from '../src/jobs/job.js';

/** What a processor did, stored as the job's return value (visible on the dashboard). */
export type ProcessorResult = { status: 'done' | 'skipped'; reason?: string } & Record<string, unknown>;

export type Processor<P> = (payload: P, ctx: { deps: Deps; job: Job }) => Promise<ProcessorResult>;

// biome-ignore lint/suspicious/noExplicitAny: the registry holds entries of every payload type
export interface ProcessorEntry<P = any> {
  job: JobDefinition<P>;
  process: Processor<P>;
}

export function processor<P>(job: JobDefinition<P>, process: Processor<P>): ProcessorEntry<P> {
  return { job, process };
}
