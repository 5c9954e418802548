import { z } from 'zod';
import { defineJob, safeJobId } from './job.js';

/** Erasure requests: holds due for review, undecided requests climbing the ladder, approved erasures to resume. */
export const erasureTickJob = defineJob({
  queue: 'maintenance',
  name: 'maintenance.erasure-tick',
  payload: z.object({}).strict(),
  jobId: () => safeJobId('erasure-tick'),
  options: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
});
