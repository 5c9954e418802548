import { z } from 'zod';
import { defineJob, safeJobId } from './job.js';

/** Open, advance and resolve escalations; plan weekly digests (src/escalations/escalation-sweep.service.ts). */
export const escalationTickJob = defineJob({
  queue: 'maintenance',
  name: 'escalations.tick',
  payload: z.object({}).strict(),
  jobId: () => safeJobId('escalations-tick'),
  options: { attempts: 3, backoff: { type: 'exponential', delay: 1000, jitter: 0.5 }, removeOnComplete: { count: 50 }, removeOnFail: { count: 50 } },
});
