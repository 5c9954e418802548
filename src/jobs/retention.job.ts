import { z } from 'zod';
import { defineJob, safeJobId } from './job.js';

/** The daily retention pass (src/retention/retention.service.ts): what is past its period is anonymised or deleted, in batches. */
export const retentionJob = defineJob({
  queue: 'maintenance',
  name: 'maintenance.retention',
  payload: z.object({}).strict(),
  jobId: () => safeJobId('retention'),
  options: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: { count: 30 }, removeOnFail: { count: 30 } },
});
