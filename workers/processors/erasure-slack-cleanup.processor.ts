import { WebClient } from '@slack/web-api';
import { erasureSlackCleanupJob } from '../../src/jobs/erasure-slack-cleanup.job.js';
import { ERASED_SLACK_TEXT, slackCopiesOf, type SlackCopy } from '../../src/clients/erasure-slack.js';
import { processor } from '../processor.js';

/**
 * Rewrites, in Slack, every message the app posted that carried the client's
 * words (chat.update on the bot's own messages: the text is replaced, the
 * message stays so the thread still shows that something was there). A copy
 * not found where expected is looked for in the worker's DM; one that cannot
 * be found at all (deleted by hand, channel archived) is counted, not retried forever.
 */
export const erasureSlackCleanupProcessor = processor(erasureSlackCleanupJob, async ({ requestId }, { deps }) => {
  const token = deps.config.SLACK_BOT_TOKEN;
  if (!token) return { status: 'skipped', reason: 'no_slack_token' };
  const url = deps.config.SLACK_API_URL;
  const web = new WebClient(token, { ...(url ? { slackApiUrl: url.endsWith('/') ? url : `${url}/` } : {}), retryConfig: { retries: 2 } });
  const copies = await slackCopiesOf(deps, requestId);
  let updated = 0;
  let missing = 0;
  const update = async (channel: string, c: SlackCopy) => {
    const text = c.kind === 'case_card' ? `Case ${c.reference}: the client's personal data was erased at their request.` : `Message from the client (${c.reference}): ${ERASED_SLACK_TEXT}`;
    await web.chat.update({ channel, ts: c.ts, text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] });
  };
  for (const c of copies) {
    try {
      if (!c.channel) throw Object.assign(new Error('no channel'), { data: { error: 'message_not_found' } });
      await update(c.channel, c);
      updated++;
    } catch (err) {
      const code = (err as { data?: { error?: string } }).data?.error;
      if (code !== 'message_not_found' && code !== 'channel_not_found' && code !== 'cant_update_message') throw err;
      try {
        if (!c.staffSlackId) throw err;
        const dm = await web.conversations.open({ users: c.staffSlackId });
        await update(dm.channel!.id!, c);
        updated++;
      } catch {
        missing++;
      }
    }
  }
  await deps.audit.record({ actor: { type: 'system' }, action: 'client.erasure_slack_cleaned', subjectType: 'erasure_request', subjectId: requestId, details: { updated, missing } });
  return { status: 'done', updated, missing };
});
