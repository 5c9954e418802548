import { erasureRunJob } from '../../src/jobs/erasure-run.job.js';
import { runErasure } from '../../src/clients/erasure.service.js';
import { processor } from '../processor.js';

/** One approved erasure, step by step; 'waiting_for_confirmation' ends this run (the confirmation's send runs it again). */
export const erasureRunProcessor = processor(erasureRunJob, async ({ requestId }, { deps }) => {
  const result = await runErasure(deps, requestId);
  return result === 'done' ? { status: 'done' } : { status: 'skipped', reason: result };
});
