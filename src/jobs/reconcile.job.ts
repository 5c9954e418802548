import { z } from 'zod';
import { defineJob, safeJobId } from './job.js';

/** Rebuild any missing schedule from PostgreSQL (run at worker start and every few minutes). */
export const reconcileJob = defineJob({
  queue: 'maintenance',
  name: 'maintenance.reconcile',
  payload: z.object({}).strict(),
  jobId: () => safeJobId('reconcile'),
  options: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
});
