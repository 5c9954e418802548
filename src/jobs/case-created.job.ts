import { z } from 'zod';
import { defineJob, RETRYING, safeJobId, uuid } from './job.js';

/** A new case from intake is handed to the staff side (the Slack intake card). */
export const caseCreatedJob = defineJob({
  queue: 'events',
  name: 'case.created',
  payload: z.object({ caseId: uuid }).strict(),
  jobId: (p) => safeJobId('case-created', p.caseId),
  options: RETRYING,
});
