import { erasureTickJob } from '../../src/jobs/erasure-tick.job.js';
import { erasureTick } from '../../src/clients/erasure-request.service.js';
import { processor } from '../processor.js';

export const erasureTickProcessor = processor(erasureTickJob, async (_payload, { deps }) => {
  const result = await erasureTick(deps);
  return { status: 'done', ...result };
});
