import { z } from 'zod';
import { defineJob, safeJobId, uuid } from './job.js';

/**
 * Erase one client (an approved erasure request). Staged and idempotent
 * (src/clients/erasure.service.ts): a worker that dies halfway leaves the
 * request at its last finished step, and the next run (retry, or the erasure
 * tick) carries on from there. Removed when finished so the tick can queue it again.
 */
export const erasureRunJob = defineJob({
  queue: 'maintenance',
  name: 'maintenance.erasure-run',
  payload: z.object({ requestId: uuid }).strict(),
  jobId: (p) => safeJobId('erasure', p.requestId),
  options: { attempts: 5, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: true, removeOnFail: true },
});
