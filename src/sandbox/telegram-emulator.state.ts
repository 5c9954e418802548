/**
 * The Telegram emulator's in-memory world and its Bot API methods. Methods
 * take params as the Bot API receives them (JSON values or strings from forms)
 * and either return the `result` or throw a TgApiError with the real wording.
 */
import { jsonParam, numParam, boolParam, type Params } from './emulator-http.js';
import { checkAll, SlidingWindowLimiter } from './rate-limit.js';
import { commandsKey, parseCommands } from './telegram-emulator.commands.js';
import { deleteMessage, deleteMessages, editMessage, sendMessage } from './telegram-emulator.messages.js';
import {
  TgApiError,
  badRequest,
  type ChatState,
  type TgRateLimitOptions,
  type TgStats,
  type WebhookState,
  type StoredMessage,
  type TgCallbackQuery,
  type TgChat,
  type TgInlineKeyboard,
  type TgMessage,
  type TgUpdate,
  type TgUser,
} from './telegram-emulator.types.js';

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
    readonly hooks: { onBotMessage: (s: StoredMessage, kind: 'new' | 'edit' | 'delete') => void; onAnswer: (queryId: string, p: Params) => void },
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
      sendMessage: (p) => sendMessage(this, p),
      editMessageText: (p) => editMessage(this, p, true),
      editMessageReplyMarkup: (p) => editMessage(this, p, false),
      deleteMessage: (p) => deleteMessage(this, p),
      deleteMessages: (p) => deleteMessages(this, p),
      answerCallbackQuery: (p) => this.answerCallbackQuery(p),
      sendChatAction: (p) => {
        this.checkBlocked(this.requireChat(p.chat_id));
        if (!CHAT_ACTIONS.has(String(p.action ?? ''))) throw badRequest('wrong parameter action in request');
        return true;
      },
      setMyCommands: (p) => {
        this.commands.set(commandsKey(p), parseCommands(p));
        return true;
      },
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
  private answerCallbackQuery(p: Params): true {
    const q = this.callbackQueries.get(String(p.callback_query_id ?? ''));
    if (!q || q.answer) throw badRequest('query is too old and response timeout expired or query ID is invalid');
    if (typeof p.text === 'string' && p.text.length > 200) throw badRequest('MESSAGE_TOO_LONG');
    q.answer = { ...p };
    this.hooks.onAnswer(q.query.id, q.answer);
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

  /** Blocked and rate-limit checks for anything that creates a message. */
  checkBlocked(c: ChatState): void {
    if (c.blocked) {
      this.stats.blocked++;
      throw new TgApiError(403, 'Forbidden: bot was blocked by the user');
    }
  }

  checkSend(c: ChatState): void {
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
