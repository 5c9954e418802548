import type { RegisterListener } from '../index.js';
import { HELP_TEXT } from '../../ui/lists.blocks.js';

/**
 * Someone writes to the app in its DM. Nothing typed here goes to a client
 * (a stray message must never reach one): the app points to Message client.
 */
export const registerMessageIm: RegisterListener = (app, deps) => {
  app.message(async ({ message, client }) => {
    const m = message as { channel_type?: string; subtype?: string; bot_id?: string; user?: string; channel: string; ts: string; thread_ts?: string };
    if (m.channel_type !== 'im' || m.subtype || m.bot_id || !m.user) return;
    await client.chat
      .postMessage({
        channel: m.channel,
        thread_ts: m.thread_ts ?? m.ts,
        text: `Messages typed here are not sent to anyone. To write to a client, use *Message client* on the case card.\n${HELP_TEXT}`,
      })
      .catch((err: unknown) => deps.logger.warn({ err: (err as Error).message }, 'could not answer a DM'));
  });
};
