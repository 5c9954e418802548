import type { JobsOptions } from 'bullmq';
import type { z } from 'zod';
import { zUuid } from '../lib/uuid.js';

/**
 * A job type: its queue, name, zod payload schema, deterministic job id and
 * options, in one file per type (src/jobs/<name>.job.ts). Payloads carry ids
 * only, never personal data: the processor reloads rows by id.
 */
export const QUEUE_NAMES = ['delivery', 'events', 'maintenance'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export interface JobDefinition<P> {
  queue: QueueName;
  name: string;
  payload: z.ZodType<P>;
  /** Deterministic: the same logical work always gets the same id (BullMQ de-duplicates on it). */
  jobId(payload: P): string;
  options?: JobsOptions;
}

export function defineJob<P>(def: JobDefinition<P>): JobDefinition<P> {
  return def;
}

/** BullMQ job ids must not contain ':' and must not look like integers. */
export function safeJobId(...parts: Array<string | number>): string {
  const id = parts.map((p) => String(p).replace(/[:\s]/g, '_')).join('-');
  if (/^\d+$/.test(id)) return `j-${id}`;
  return id;
}

export class JobPayloadError extends Error {
  readonly code = 'JOB_PAYLOAD_INVALID';
  constructor(jobName: string, issues: string) {
    super(`payload for ${jobName} is invalid: ${issues}`);
    this.name = 'JobPayloadError';
  }
}

export function parsePayload<P>(def: JobDefinition<P>, data: unknown): P {
  const r = def.payload.safeParse(data);
  if (!r.success) throw new JobPayloadError(def.name, r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return r.data;
}

/** Retries with exponential backoff and jitter, so many failures do not retry in lock-step. */
export const RETRYING: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2000, jitter: 0.5 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

export const uuid = zUuid();
