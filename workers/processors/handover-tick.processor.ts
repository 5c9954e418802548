import { handoverTickJob } from '../../src/jobs/handover-tick.job.js';
import { handBackDue } from '../../src/handover/handover.service.js';
import { processor } from '../processor.js';

export const handoverTickProcessor = processor(handoverTickJob, async (_payload, { deps }) => {
  const result = await handBackDue(deps);
  return { status: 'done', ...result };
});
