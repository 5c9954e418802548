import { z } from 'zod';
import { defineJob, safeJobId, uuid } from './job.js';

/** After a redaction: the copy of that client message relayed to the worker in Slack is rewritten. */
export const redactionSlackCleanupJob = defineJob({
  queue: 'maintenance',
  name: 'maintenance.redaction-slack-cleanup',
  payload: z.object({ noteId: uuid }).strict(),
  jobId: (p) => safeJobId('redaction-slack', p.noteId),
  options: { attempts: 5, backoff: { type: 'exponential', delay: 30_000 }, removeOnComplete: { count: 1000 }, removeOnFail: { count: 1000 } },
});
