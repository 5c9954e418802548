/**
 * The Telegram emulator's in-memory world and its Bot API methods. Methods
 * take params as the Bot API receives them (JSON values or strings from forms)
 * and either return the `result` or throw a TgApiError with the real wording.
 */
import { jsonParam, numParam, boolParam, type Params } from './emulator-http.js';
import { checkAll, SlidingWindowLimiter, type WindowSpec } from './rate-limit.js';
import { parseFormatted, validateReplyMarkup } from './telegram-emulator.format.js';
import {
  TgApiError,
  badRequest,
  type StoredMessage,
  type TgCallbackQuery,
  type TgChat,
  type TgInlineKeyboard,
  type TgMessage,
  type TgUpdate,
  type TgUser,
} from './telegram-emulator.types.js';

export interface TgRateLimitOptions {
  /** Per bot across all chats; default 30 per 1000 ms. `false` disables. */
  global?: WindowSpec | false;
  /** Per chat; default 3 per 3000 ms (≈1/s sustained, burst of 3). `false` disables. */
  perChat?: WindowSpec | false;
  /** Time source for the windows; default Date.now (real time, even when `now` is faked). */
  now?: () => number;
}

export interface ChatState {
  chat: TgChat;
  user: TgUser;
  nextMessageId: number;
  messages: Map<number, StoredMessage>;
  blocked: boolean;
  chatInstance: string;
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

const HOUR = 3_600_000;
const DEFAULT_ALLOWED = (t: string) => !['chat_member', 'message_reaction', 'message_reaction_count'].includes(t);
const CHAT_ACTIONS = new Set([
  'typing',
  'upload_photo',
  'record_video',
  'upload_video',
  'record_voice',
  'upload_voice',
  'upload_document',
  'choose_sticker',
  'find_location',
  'record_video_note',
  'upload_video_note',
]);

export type MethodImpl = (p: Params) => unknown;

export class TelegramState {
  readonly bot: TgUser & { can_join_groups: boolean; can_read_all_group_messages: boolean; supports_inline_queries: boolean };
  readonly chats = new Map<number, ChatState>();
  /** Updates not yet confirmed by getUpdates (polling mode) — with creation time for 24 h retention. */
  readonly queue: Array<{ update: TgUpdate; at: number; redelivery?: boolean }> = [];
  readonly allUpdates = new Map<number, TgUpdate>();
  readonly callbackQueries = new Map<string, { query: TgCallbackQuery; answer?: Params; at: number }>();
  readonly commands = new Map<string, unknown[]>();
  webhook: WebhookState | undefined;
  allowedUpdates: string[] | undefined;
  readonly stats: TgStats = { calls: 0, sent: 0, rateLimited: 0, blocked: 0, errors: 0 };
  /** Accepted sends, for benchmarks computing the achieved rate. `at` is rate-limit time (ms). */
  readonly sendTimeline: Array<{ at: number; chatId: number }> = [];
  private nextUpdateId: number;
  private nextQueryId = 1;
  private readonly globalLimiter: SlidingWindowLimiter | undefined;
  private readonly chatLimiter: SlidingWindowLimiter | undefined;
  private readonly rateNow: () => number;
  readonly methods: Record<string, MethodImpl>;

  constructor(
    readonly token: string,
    botNames: { username: string; first_name: string },
    readonly now: () => number,
    rateLimits: TgRateLimitOptions | false,
    firstUpdateId: number,
    private readonly hooks: { onBotMessage: (s: StoredMessage, kind: 'new' | 'edit' | 'delete') => void; onAnswer: (queryId: string, p: Params) => void },
  ) {
    const id = Number(token.split(':')[0]);
    this.bot = {
      id: Number.isFinite(id) ? id : 1,
      is_bot: true,
      first_name: botNames.first_name,
      username: botNames.username,
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
    };
    this.nextUpdateId = firstUpdateId;
    this.rateNow = (rateLimits ? rateLimits.now : undefined) || Date.now;
    if (rateLimits !== false) {
      const g = rateLimits.global === undefined ? { limit: 30, windowMs: 1000 } : rateLimits.global;
      const c = rateLimits.perChat === undefined ? { limit: 3, windowMs: 3000 } : rateLimits.perChat;
      if (g) this.globalLimiter = new SlidingWindowLimiter(g, this.rateNow);
      if (c) this.chatLimiter = new SlidingWindowLimiter(c, this.rateNow);
    }
    this.methods = {
      getMe: () => ({ ...this.bot, can_connect_to_business: false, has_main_web_app: false }),
      sendMessage: (p) => this.sendMessage(p),
      editMessageText: (p) => this.editMessage(p, true),
      editMessageReplyMarkup: (p) => this.editMessage(p, false),
      deleteMessage: (p) => this.deleteMessage(p),
      deleteMessages: (p) => this.deleteMessages(p),
      answerCallbackQuery: (p) => this.answerCallbackQuery(p),
      sendChatAction: (p) => {
        this.checkBlocked(this.requireChat(p.chat_id));
        if (!CHAT_ACTIONS.has(String(p.action ?? ''))) throw badRequest('wrong parameter action in request');
        return true;
      },
      setMyCommands: (p) => this.setMyCommands(p),
      getMyCommands: (p) => this.commands.get(commandsKey(p)) ?? [],
      deleteMyCommands: (p) => {
        this.commands.delete(commandsKey(p));
        return true;
      },
      setWebhook: (p) => this.setWebhook(p),
      deleteWebhook: (p) => {
        if (boolParam(p.drop_pending_updates)) this.queue.length = 0;
        this.webhook = undefined;
        return true;
      },
      getWebhookInfo: () => this.webhookInfo(),
      getUpdates: () => {
        throw new Error('getUpdates is served by the HTTP layer');
      },
    };
  }

  // ── chats & updates ────────────────────────────────────────────────────
  ensureChat(user: TgUser): ChatState {
    let c = this.chats.get(user.id);
    if (!c) {
      const chat: TgChat = { id: user.id, type: 'private', first_name: user.first_name };
      if (user.last_name) chat.last_name = user.last_name;
      if (user.username) chat.username = user.username;
      c = {
        chat,
        user: { ...user, is_bot: false },
        nextMessageId: 1,
        messages: new Map(),
        blocked: false,
        chatInstance: String(BigInt(user.id) * 7919n + 1234567890123n),
      };
      this.chats.set(user.id, c);
    }
    return c;
  }

  /** Store a client message in its chat and return the Message. */
  addUserMessage(user: TgUser, fields: Record<string, unknown>): TgMessage {
    const c = this.ensureChat(user);
    const message: TgMessage = { message_id: c.nextMessageId++, from: c.user, chat: c.chat, date: this.dateNow(), ...fields };
    c.messages.set(message.message_id, { message, fromBot: false, sentAt: this.now(), edits: [], deleted: false });
    return message;
  }

  removeFromQueue(updateId: number): void {
    const i = this.queue.findIndex((q) => q.update.update_id === updateId);
    if (i >= 0) this.queue.splice(i, 1);
  }

  /** Called once updates were written to a getUpdates response. */
  markReturned(updates: TgUpdate[]): void {
    const ids = new Set(updates.map((u) => u.update_id));
    for (const q of this.queue) if (ids.has(q.update.update_id)) q.redelivery = false;
  }

  newUpdate(body: Omit<TgUpdate, 'update_id'>): TgUpdate {
    const update = { update_id: this.nextUpdateId++, ...body } as TgUpdate;
    this.allUpdates.set(update.update_id, update);
    return update;
  }

  newCallbackQuery(from: TgUser, message: TgMessage, data: string): TgCallbackQuery {
    const c = this.ensureChat(from);
    const query: TgCallbackQuery = {
      id: `${this.bot.id}${String(this.nextQueryId++).padStart(9, '0')}`,
      from: c.user,
      message,
      chat_instance: c.chatInstance,
      data,
    };
    this.callbackQueries.set(query.id, { query, at: this.now() });
    return query;
  }

  isAllowed(update: TgUpdate, allowed: string[] | undefined): boolean {
    const type = Object.keys(update).find((k) => k !== 'update_id') ?? '';
    return allowed && allowed.length > 0 ? allowed.includes(type) : DEFAULT_ALLOWED(type);
  }

  /** getUpdates bookkeeping: confirm < offset, forget > 24 h, return what is waiting. */
  pendingUpdates(p: Params): TgUpdate[] {
    const allowed = jsonParam<string[]>(p.allowed_updates);
    if (Array.isArray(allowed)) this.allowedUpdates = allowed;
    const cutoff = this.now() - 24 * HOUR;
    while (this.queue.length && this.queue[0]!.at < cutoff) this.queue.shift();
    const offset = numParam(p.offset);
    if (offset !== undefined && offset < 0) this.queue.splice(0, Math.max(0, this.queue.length + offset));
    else if (offset !== undefined) {
      // A forced redelivery survives the confirmation once, so a duplicate reaches a polling bot.
      for (let i = this.queue.length - 1; i >= 0; i--) {
        const q = this.queue[i]!;
        if (q.update.update_id < offset && !q.redelivery) this.queue.splice(i, 1);
      }
    }
    const limit = Math.min(100, Math.max(1, numParam(p.limit) ?? 100));
    const out = this.queue.filter((q) => this.isAllowed(q.update, this.allowedUpdates)).slice(0, limit);
    return out.map((q) => q.update);
  }

  // ── methods ────────────────────────────────────────────────────────────
  private sendMessage(p: Params): TgMessage {
    const c = this.requireChat(p.chat_id);
    const parsed = parseFormatted(typeof p.text === 'string' ? p.text : p.text === undefined ? '' : String(p.text), p.parse_mode as string | undefined);
    if (parsed.text.trim().length === 0) throw badRequest('message text is empty');
    if (parsed.text.length > 4096) throw badRequest('message is too long');
    const markup = validateReplyMarkup(p.reply_markup);
    const replyTo = this.replyTarget(c, p);
    this.checkSend(c);
    const message: TgMessage = { message_id: c.nextMessageId++, from: this.botUser(), chat: c.chat, date: this.dateNow(), text: parsed.text };
    if (parsed.entities.length) message.entities = parsed.entities;
    if (replyTo) message.reply_to_message = replyTo;
    if (markup.kind === 'inline') message.reply_markup = markup.markup;
    const stored: StoredMessage = { message, fromBot: true, sentAt: this.now(), edits: [], deleted: false };
    if (markup.kind === 'keyboard') stored.keyboardMarkup = markup.markup;
    if (p.parse_mode) stored.parseMode = String(p.parse_mode);
    c.messages.set(message.message_id, stored);
    this.hooks.onBotMessage(stored, 'new');
    return message;
  }

  private editMessage(p: Params, withText: boolean): TgMessage {
    if (p.inline_message_id !== undefined) throw badRequest('inline messages are not supported by the emulator');
    const c = this.requireChat(p.chat_id);
    const s = c.messages.get(numParam(p.message_id) ?? -1);
    if (!s || s.deleted) throw badRequest('message to edit not found');
    if (!s.fromBot) throw badRequest("message can't be edited");
    this.checkBlocked(c);
    const markup = validateReplyMarkup(p.reply_markup);
    if (markup.kind === 'keyboard') throw badRequest('inline keyboard expected');
    // Omitting reply_markup in an edit removes the inline keyboard (a real Bot API gotcha).
    const newMarkup = markup.kind === 'inline' ? markup.markup : undefined;
    const m = s.message;
    let text = m.text;
    let entities = m.entities;
    if (withText) {
      const parsed = parseFormatted(p.text === undefined ? '' : String(p.text), p.parse_mode as string | undefined);
      if (parsed.text.trim().length === 0) throw badRequest('message text is empty');
      if (parsed.text.length > 4096) throw badRequest('message is too long');
      text = parsed.text;
      entities = parsed.entities.length ? parsed.entities : undefined;
    }
    if (
      text === m.text &&
      JSON.stringify(entities ?? []) === JSON.stringify(m.entities ?? []) &&
      JSON.stringify(newMarkup) === JSON.stringify(m.reply_markup)
    ) {
      throw badRequest(
        'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
      );
    }
    const prev: StoredMessage['edits'][number] = { at: this.now() };
    if (m.text !== undefined) prev.text = m.text;
    if (m.entities) prev.entities = m.entities;
    if (m.reply_markup) prev.reply_markup = m.reply_markup;
    s.edits.push(prev);
    const next: TgMessage = { ...m, edit_date: this.dateNow() };
    if (text !== undefined) next.text = text;
    if (entities) next.entities = entities;
    else delete next.entities;
    if (newMarkup) next.reply_markup = newMarkup;
    else delete next.reply_markup;
    s.message = next;
    this.hooks.onBotMessage(s, 'edit');
    return next;
  }

  private deleteMessage(p: Params): true {
    const c = this.requireChat(p.chat_id);
    const s = c.messages.get(numParam(p.message_id) ?? -1);
    if (!s || s.deleted) throw badRequest('message to delete not found');
    if (this.now() - s.sentAt > 48 * HOUR) throw badRequest("message can't be deleted");
    s.deleted = true;
    s.deletedAt = this.now();
    if (s.fromBot) this.hooks.onBotMessage(s, 'delete');
    return true;
  }

  private deleteMessages(p: Params): true {
    const ids = jsonParam<unknown[]>(p.message_ids);
    if (!Array.isArray(ids) || ids.length < 1 || ids.length > 100) throw badRequest('message_ids must be non-empty and contain at most 100 identifiers');
    this.requireChat(p.chat_id);
    for (const id of ids) {
      try {
        this.deleteMessage({ chat_id: p.chat_id, message_id: id });
      } catch (err) {
        // Not found / too old messages are skipped, as the Bot API documents.
        if (!(err instanceof TgApiError)) throw err;
      }
    }
    return true;
  }

  private answerCallbackQuery(p: Params): true {
    const q = this.callbackQueries.get(String(p.callback_query_id ?? ''));
    if (!q || q.answer) throw badRequest('query is too old and response timeout expired or query ID is invalid');
    if (typeof p.text === 'string' && p.text.length > 200) throw badRequest('MESSAGE_TOO_LONG');
    q.answer = { ...p };
    this.hooks.onAnswer(q.query.id, q.answer);
    return true;
  }

  private setMyCommands(p: Params): true {
    const cmds = jsonParam<Array<{ command?: unknown; description?: unknown }>>(p.commands);
    if (!Array.isArray(cmds)) throw badRequest('commands must be an array');
    if (cmds.length > 100) throw badRequest('too many commands');
    for (const c of cmds) {
      if (typeof c.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(c.command)) throw badRequest('BOT_COMMAND_INVALID');
      if (typeof c.description !== 'string' || c.description.length < 1 || c.description.length > 256) throw badRequest('command description is empty');
    }
    this.commands.set(
      commandsKey(p),
      cmds.map((c) => ({ command: c.command, description: c.description })),
    );
    return true;
  }

  private setWebhook(p: Params): true {
    const url = String(p.url ?? '');
    if (url === '') {
      this.webhook = undefined;
      return true;
    }
    if (!/^https?:\/\//.test(url)) throw badRequest('bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443');
    const secret = p.secret_token === undefined ? undefined : String(p.secret_token);
    if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) throw badRequest('secret token contains unallowed characters');
    if (boolParam(p.drop_pending_updates)) this.queue.length = 0;
    const allowed = jsonParam<string[]>(p.allowed_updates);
    this.webhook = { url, max_connections: numParam(p.max_connections) ?? 40 };
    if (secret !== undefined) this.webhook.secret_token = secret;
    if (Array.isArray(allowed)) this.webhook.allowed_updates = allowed;
    return true;
  }

  webhookInfo(): Record<string, unknown> {
    const w = this.webhook;
    const info: Record<string, unknown> = { url: w?.url ?? '', has_custom_certificate: false, pending_update_count: this.queue.length };
    if (w) {
      info.max_connections = w.max_connections;
      if (w.allowed_updates) info.allowed_updates = w.allowed_updates;
      if (w.last_error_date) info.last_error_date = w.last_error_date;
      if (w.last_error_message) info.last_error_message = w.last_error_message;
    }
    return info;
  }

  // ── helpers ────────────────────────────────────────────────────────────
  requireChat(chatId: unknown): ChatState {
    if (chatId === undefined || chatId === null || chatId === '') throw badRequest('chat_id is empty');
    const c = this.chats.get(Number(chatId));
    if (!c) throw badRequest('chat not found');
    return c;
  }

  private replyTarget(c: ChatState, p: Params): TgMessage | undefined {
    const rp = jsonParam<{ message_id?: unknown; allow_sending_without_reply?: unknown }>(p.reply_parameters);
    const id = numParam(rp?.message_id ?? p.reply_to_message_id);
    if (id === undefined) return undefined;
    const target = c.messages.get(id);
    if (target && !target.deleted) {
      const { reply_to_message: _nested, ...flat } = target.message;
      return flat as TgMessage;
    }
    if (boolParam(rp?.allow_sending_without_reply ?? p.allow_sending_without_reply)) return undefined;
    throw badRequest('message to be replied not found');
  }

  /** Blocked and rate-limit checks for anything that creates a message. */
  private checkBlocked(c: ChatState): void {
    if (c.blocked) {
      this.stats.blocked++;
      throw new TgApiError(403, 'Forbidden: bot was blocked by the user');
    }
  }

  private checkSend(c: ChatState): void {
    this.checkBlocked(c);
    const checks: Array<[SlidingWindowLimiter, string]> = [];
    if (this.globalLimiter) checks.push([this.globalLimiter, 'bot']);
    if (this.chatLimiter) checks.push([this.chatLimiter, String(c.chat.id)]);
    const d = checkAll(checks);
    if (!d.ok) {
      this.stats.rateLimited++;
      const retry = Math.max(1, Math.ceil(d.retryAfterMs / 1000));
      throw new TgApiError(429, `Too Many Requests: retry after ${retry}`, { retry_after: retry });
    }
    this.stats.sent++;
    this.sendTimeline.push({ at: this.rateNow(), chatId: c.chat.id });
  }

  botUser(): TgUser {
    return { id: this.bot.id, is_bot: true, first_name: this.bot.first_name, username: this.bot.username! };
  }

  dateNow(): number {
    return Math.floor(this.now() / 1000);
  }

  findButton(markup: TgInlineKeyboard | undefined, data: string): boolean {
    return !!markup?.inline_keyboard.some((row) => row.some((b) => b.callback_data === data));
  }
}

function commandsKey(p: Params): string {
  const scope = jsonParam<{ type?: string; chat_id?: unknown; user_id?: unknown }>(p.scope) ?? { type: 'default' };
  return JSON.stringify([scope.type ?? 'default', scope.chat_id ?? null, scope.user_id ?? null, String(p.language_code ?? '')]);
}
