import type { SlackOutbound, TelegramOutbound } from './outbound.js';

/** What a platform says when it has taken a message; journaled until written (send-journal.ts). */
export interface SentRecord {
  externalRef: string;
  channelRef?: string;
  /** Telegram chat, so the quick exit can still find the message. */
  chatId?: number;
}

/**
 * One platform's side of a send, as the send service sees it: platform-neutral,
 * implemented by each platform (src/telegram/telegram.sender.ts,
 * senders/slack.sender.ts) and chosen at the composition root (src/senders.ts).
 */
export interface PlatformSender<O> {
  /**
   * Everything the message needs before its send turn, so database round trips
   * do not add to the spacing the platform sees (Telegram: the buttons' callback
   * tokens); the function returned makes the request. Errors are classified
   * (send-errors.ts).
   */
  prepare(out: O): Promise<() => Promise<SentRecord>>;
  /** The send is recorded (this attempt's, or an earlier one's from the journal): remember it on the platform's side (Telegram: for the quick exit). */
  track?(sent: SentRecord): Promise<void>;
  /** Shutdown: cut every call still waiting for the platform (the caller puts the row back to pending). */
  abort(): void;
}

/** The platforms this process sends to (one left out: its rows fail as `<channel>_not_configured`). */
export interface PlatformClients {
  telegram?: PlatformSender<TelegramOutbound>;
  slack?: PlatformSender<SlackOutbound>;
}

/** A platform client that needs nothing before its turn. */
export function direct<O>(client: { send(out: O): Promise<SentRecord>; abort(): void }): PlatformSender<O> {
  return {
    prepare: async (out) => () => client.send(out),
    abort: () => client.abort(),
  };
}
