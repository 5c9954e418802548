import type { KnownBlock } from '@slack/types';
/**
 * What one ledger row becomes on the wire, decided at send time from the rows
 * it names (payloads and ledger rows carry ids only, never message text).
 */

/** What pressing a button asks for: `type` names the handler, the rest is its data (ids, an answer). */
type ButtonAction = Record<string, unknown> & { type: string };

/**
 * A button under a client's message. The kind says what it does; the platform
 * side decides how it travels (Telegram keeps the action server-side and puts a
 * short token in callback_data: 64 bytes, and it comes back from the client).
 */
type ClientButton = { label: string; action: ButtonAction };

export type TelegramOutbound = { channel: 'telegram'; chatId: number; text: string; buttons?: ClientButton[][] };

export type SlackOutbound = {
  channel: 'slack';
  /** A channel id (C…/G…/D…) or a Slack user id (U…/W…) for a DM. */
  to: string;
  text: string;
  blocks?: KnownBlock[];
  threadTs?: string;
  /** Edit a message already posted (chat.update) instead of posting: `to` is then its channel id. */
  update?: { ts: string };
  /** Publish `blocks` as the App Home of the user `to` (views.publish). */
  home?: true;
  /** Upload these files to `to` with `text` as the comment (files.uploadV2), instead of posting a message. */
  files?: Array<{ filename: string; title: string; content: Buffer }>;
};

export type Outbound = TelegramOutbound | SlackOutbound;
