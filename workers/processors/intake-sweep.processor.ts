import { intakeSweepJob } from '../../src/jobs/intake-sweep.job.js';
import { sweepIntakeDrafts } from '../../src/intake/intake-sweep.js';
import { deleteExpiredCallbackTokens } from '../../src/telegram/callback-tokens.js';
import { processor } from '../processor.js';

/**
 * Idle drafts: the nudge and the expiry notice are planned as ledger rows (sent by the delivery worker); drafts expire.
 * Then the Telegram buttons' expired callback tokens go.
 */
export const intakeSweepProcessor = processor(intakeSweepJob, async (_payload, { deps }) => {
  const result = await sweepIntakeDrafts(deps);
  await deleteExpiredCallbackTokens(deps.db, deps.clock.now());
  return { status: 'done', ...result };
});
