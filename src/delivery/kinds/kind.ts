import type { KnownBlock } from '@slack/types';
import type { Deps } from '../../deps.js';
import type { DeliveryRow } from '../ledger.js';

/**
 * What one ledger row becomes on the wire, decided at send time from the rows
 * it names (payloads and ledger rows carry ids only, never message text).
 *
 * Telegram buttons carry an `action` object; the sender stores it server-side
 * and puts only a short token in callback_data (Telegram allows 64 bytes).
 */
export type TelegramButton = { label: string; action: Record<string, unknown> };

export type Outbound =
  | { channel: 'telegram'; chatId: number; text: string; buttons?: TelegramButton[][] }
  | {
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

export type RenderResult = Outbound | { skip: string };

export interface DeliveryKind {
  kind: string;
  /**
   * Goes out without waiting for earlier messages to the same recipient (a crisis page must not
   * queue behind the on-call person's reminders, nor the emergency reply behind a client's).
   * The platform's rate limits still apply.
   */
  urgent?: boolean;
  render(deps: Deps, row: DeliveryRow): Promise<RenderResult>;
  /** After a successful send: e.g. remember the Slack ts of a posted card. */
  afterSent?(deps: Deps, row: DeliveryRow, sent: { externalRef: string; channelRef?: string }): Promise<void>;
}

export function deliveryKind(k: DeliveryKind): DeliveryKind {
  return k;
}
