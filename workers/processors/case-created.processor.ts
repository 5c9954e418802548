import { caseCreatedJob } from '../../src/jobs/case-created.job.js';
import { processor } from '../processor.js';

/**
 * Hand-off of a new case to the staff side. Until the Slack intake card exists
 * the job is recorded and completes as a no-op with its reason (never dropped).
 */
export const caseCreatedProcessor = processor(caseCreatedJob, async ({ caseId }, { deps }) => {
  await deps.audit.record({
    actor: { type: 'system' },
    action: 'case.handoff_skipped',
    caseId,
    details: { reason: 'staff_side_not_configured' },
  });
  return { status: 'skipped', reason: 'staff_side_not_configured' };
});
