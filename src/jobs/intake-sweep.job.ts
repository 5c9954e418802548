import { z } from 'zod';
import { defineJob, safeJobId } from './job.js';

/** Idle intake drafts: one gentle nudge after INTAKE_IDLE_NUDGE_HOURS, deletion after INTAKE_DRAFT_TTL_DAYS. */
export const intakeSweepJob = defineJob({
  queue: 'maintenance',
  name: 'maintenance.intake-sweep',
  payload: z.object({}).strict(),
  jobId: () => safeJobId('intake-sweep'),
  options: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
});
