import { z } from 'zod';
import { defineJob, safeJobId, uuid } from './job.js';

/** After an erasure: rewrite the copies of the client's words the app posted in Slack (relayed messages, case card). */
export const erasureSlackCleanupJob = defineJob({
  queue: 'maintenance',
  name: 'maintenance.erasure-slack-cleanup',
  payload: z.object({ requestId: uuid }).strict(),
  jobId: (p) => safeJobId('erasure-slack', p.requestId),
  options: { attempts: 5, backoff: { type: 'exponential', delay: 30_000 }, removeOnComplete: { count: 1000 }, removeOnFail: { count: 1000 } },
});
