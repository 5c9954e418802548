import { z } from 'zod';
import { defineJob, safeJobId } from './job.js';

/** Leave cover: hand-backs whose until date has come (`/case handover @from @to until <date>`). */
export const handoverTickJob = defineJob({
  queue: 'maintenance',
  name: 'maintenance.handover-tick',
  payload: z.object({}).strict(),
  jobId: () => safeJobId('handover-tick'),
  options: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
});
