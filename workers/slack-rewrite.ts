import { WebClient } from '@slack/web-api';
import type { Deps } from '../src/deps.js';
import type { SlackCopy } from '../src/clients/erasure-slack.js';

/**
 * Rewrites the app's own Slack messages (chat.update: the text is replaced,
 * the message stays so a thread still shows that something was there). A copy
 * not found where expected is looked for in the worker's DM; one that cannot
 * be found at all (deleted by hand, channel archived) is counted, not retried
 * forever. Other errors (Slack down, rate limits) are thrown so BullMQ retries.
 */
export async function rewriteSlackCopies(
  deps: Deps,
  copies: SlackCopy[],
  textOf: (c: SlackCopy) => string,
): Promise<{ updated: number; missing: number } | null> {
  const token = deps.config.SLACK_BOT_TOKEN;
  if (!token) return null;
  const url = deps.config.SLACK_API_URL;
  const web = new WebClient(token, { ...(url ? { slackApiUrl: url.endsWith('/') ? url : `${url}/` } : {}), retryConfig: { retries: 2 } });
  let updated = 0;
  let missing = 0;
  const update = async (channel: string, c: SlackCopy) => {
    const text = textOf(c);
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
  return { updated, missing };
}
