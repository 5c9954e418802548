import { z } from 'zod';
import { defineJob, safeJobId } from './job.js';

/**
 * Every few seconds: make sure every ledger row that is due by deps.clock has a
 * runnable send job (src/delivery/tick.ts). Runs from a job scheduler.
 */
export const deliveryTickJob = defineJob({
  queue: 'delivery',
  name: 'delivery.tick',
  payload: z.object({}).strict(),
  jobId: () => safeJobId('delivery-tick'),
  options: { attempts: 1, removeOnComplete: { count: 50 }, removeOnFail: { count: 50 } },
});
