import { retentionJob } from '../../src/jobs/retention.job.js';
import { applyRetention } from '../../src/retention/retention.service.js';
import { processor } from '../processor.js';

export const retentionProcessor = processor(retentionJob, async (_payload, { deps }) => {
  const report = await applyRetention(deps, { dryRun: false });
  return { status: 'done', ...report.totals };
});
