/** Bot API object shapes used by the Telegram emulator (the subset the service touches). */
import type { WindowSpec } from './rate-limit.js';
export interface TgUser {
  id: number;
  is_bot?: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export interface TgChat {
  id: number;
  type: 'private';
  first_name: string;
  last_name?: string;
  username?: string;
}

export interface TgEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
}

interface TgInlineButton {
  text: string;
  callback_data?: string;
  url?: string;
  [k: string]: unknown;
}

export interface TgInlineKeyboard {
  inline_keyboard: TgInlineButton[][];
}

/** Bot API Message: the fields set here plus whatever a simulated client message carries. */
export interface TgMessage {
  message_id: number;
  date: number;
  chat: TgChat;
  from?: TgUser;
  text?: string;
  entities?: TgEntity[];
  reply_markup?: TgInlineKeyboard;
  reply_to_message?: TgMessage;
  edit_date?: number;
  [k: string]: unknown;
}

export interface TgCallbackQuery {
  id: string;
  from: TgUser;
  message?: TgMessage;
  chat_instance: string;
  data?: string;
}

export interface TgUpdate {
  update_id: number;
  message?: TgMessage;
  edited_message?: TgMessage;
  callback_query?: TgCallbackQuery;
  [k: string]: unknown;
}

/** A message as the emulator keeps it: current state + its history. */
export interface StoredMessage {
  message: TgMessage;
  fromBot: boolean;
  /** Emulator time (ms) when it was sent. */
  sentAt: number;
  /** Every earlier version (text, entities, reply_markup) before each edit, oldest first. */
  edits: Array<{ at: number; text?: string; entities?: TgEntity[]; reply_markup?: TgInlineKeyboard }>;
  deleted: boolean;
  deletedAt?: number;
  /** For bot messages: the reply keyboard / remove_keyboard / force_reply it carried (not echoed in Message). */
  keyboardMarkup?: Record<string, unknown>;
  parseMode?: string;
}

/** What `messages(chatId)` returns: a flat view for tests and the console. */
export interface BotMessageView {
  message_id: number;
  chat_id: number;
  date: number;
  text: string | undefined;
  entities: TgEntity[] | undefined;
  reply_markup: TgInlineKeyboard | undefined;
  /** Reply keyboard (`keyboard`), `remove_keyboard` or `force_reply` sent with the message. */
  keyboard: Record<string, unknown> | undefined;
  parse_mode: string | undefined;
  reply_to_message_id: number | undefined;
  edits: StoredMessage['edits'];
  deleted: boolean;
  raw: TgMessage;
}

export interface TgCallRecord {
  method: string;
  params: Record<string, unknown>;
  /** Emulator time (ms). */
  time: number;
  /** 'http': a normal API call; 'webhook-reply': a method returned in a webhook response body. */
  via: 'http' | 'webhook-reply';
  ok: boolean;
  result?: unknown;
  error?: { error_code: number; description: string; parameters?: Record<string, unknown> };
}

export interface TgDeliveryRecord {
  update_id: number;
  via: 'webhook' | 'getUpdates';
  /** HTTP status from the webhook (0 when the connection failed). */
  status?: number;
  error?: string;
  at: number;
}

export interface TgRateLimitOptions {
  /** Per bot across all chats; default 30 per 1000 ms. `false` disables. */
  global?: WindowSpec | false;
  /** Per chat; default 3 per 3000 ms (≈1/s sustained, burst of 3). `false` disables. */
  perChat?: WindowSpec | false;
  /** Time source for the windows; default Date.now (real time, even when `now` is faked). */
  now?: () => number;
}

export interface WebhookState {
  url: string;
  secret_token?: string;
  max_connections: number;
  allowed_updates?: string[];
  last_error_date?: number;
  last_error_message?: string;
}

export interface TgStats {
  calls: number;
  sent: number;
  rateLimited: number;
  blocked: number;
  errors: number;
}

export interface ChatState {
  chat: TgChat;
  user: TgUser;
  nextMessageId: number;
  messages: Map<number, StoredMessage>;
  blocked: boolean;
  chatInstance: string;
}

export class TgApiError extends Error {
  constructor(
    readonly error_code: number,
    readonly description: string,
    readonly parameters?: Record<string, unknown>,
  ) {
    super(description);
  }
  toJSON(): Record<string, unknown> {
    return { ok: false, error_code: this.error_code, description: this.description, ...(this.parameters ? { parameters: this.parameters } : {}) };
  }
}

export const badRequest = (what: string): TgApiError => new TgApiError(400, `Bad Request: ${what}`);
