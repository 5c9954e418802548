import { intakeSweepJob } from '../../src/jobs/intake-sweep.job.js';
import { sweepIntakeDrafts } from '../../src/intake/intake-sweep.js';
import { processor } from '../processor.js';

/** Idle drafts: the nudge and the expiry notice are planned as ledger rows (sent by the delivery worker); drafts expire. */
export const intakeSweepProcessor = processor(intakeSweepJob, async (_payload, { deps }) => {
  const result = await sweepIntakeDrafts(deps);
  return { status: 'done', ...result };
});
