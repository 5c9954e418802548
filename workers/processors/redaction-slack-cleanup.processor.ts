import { redactionSlackCleanupJob } from '../../src/jobs/redaction-slack-cleanup.job.js';
import { REDACTED_SLACK_TEXT, slackCopiesOfNote } from '../../src/clients/erasure-slack.js';
import { processor } from '../processor.js';
import { rewriteSlackCopies } from '../slack-rewrite.js';

export const redactionSlackCleanupProcessor = processor(redactionSlackCleanupJob, async ({ noteId }, { deps }) => {
  const res = await rewriteSlackCopies(deps, await slackCopiesOfNote(deps, noteId), (c) => `Message from the client (${c.reference}): ${REDACTED_SLACK_TEXT}`);
  if (!res) return { status: 'skipped', reason: 'no_slack_token' };
  await deps.audit.record({ actor: { type: 'system' }, action: 'note.redaction_slack_cleaned', subjectType: 'note', subjectId: noteId, details: res });
  return { status: 'done', ...res };
});
