import { escalationTickJob } from '../../src/jobs/escalation-tick.job.js';
import { runEscalationSweep, sweepStarting } from '../../src/escalations/escalation-sweep.service.js';
import { processor } from '../processor.js';

export const escalationTickProcessor = processor(escalationTickJob, async (_payload, { deps }) => {
  await sweepStarting(deps);
  const r = await runEscalationSweep(deps);
  return { status: 'done', ...r };
});
