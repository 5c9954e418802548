import { erasureSlackCleanupJob } from '../../src/jobs/erasure-slack-cleanup.job.js';
import { ERASED_SLACK_TEXT, slackCopiesOf } from '../../src/clients/erasure-slack.js';
import { processor } from '../processor.js';
import { rewriteSlackCopies } from '../slack-rewrite.js';

/** After an erasure: every message the app posted in Slack with the client's words or name is rewritten. */
export const erasureSlackCleanupProcessor = processor(erasureSlackCleanupJob, async ({ requestId }, { deps }) => {
  const res = await rewriteSlackCopies(deps, await slackCopiesOf(deps, requestId), (c) =>
    c.kind === 'client_reply'
      ? `Message from the client (${c.reference}): ${ERASED_SLACK_TEXT}`
      : `${c.kind === 'case_card' ? 'Case' : 'Intake'} ${c.reference}: the client's personal data was erased at their request.`,
  );
  if (!res) return { status: 'skipped', reason: 'no_slack_token' };
  await deps.audit.record({
    actor: { type: 'system' },
    action: 'client.erasure_slack_cleaned',
    subjectType: 'erasure_request',
    subjectId: requestId,
    details: res,
  });
  return { status: 'done', ...res };
});
