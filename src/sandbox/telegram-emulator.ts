/**
 * A local Telegram Bot API for tests, the sandbox and benchmarks. Real HTTP on
 * 127.0.0.1, real method names, Update/Message shapes and error bodies, long
 * polling and webhooks (including answers returned in the webhook response, as
 * telegraf does by default), rate limits and "blocked by the user".
 *
 *   const tg = new TelegramEmulator();
 *   const { url } = await tg.start();
 *   const bot = new Telegraf(tg.token, { telegram: { apiRoot: url } });
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import { close, delayAnswer, listen, parseRequest, sendJson, waitForEvent, type Params } from './emulator-http.js';
import { detectCommandEntities } from './telegram-emulator.format.js';
import { TelegramState, type TgRateLimitOptions, type TgStats } from './telegram-emulator.state.js';
import { TelegramTransport } from './telegram-emulator.transport.js';
import {
  TgApiError,
  type BotMessageView,
  type StoredMessage,
  type TgCallRecord,
  type TgDeliveryRecord,
  type TgMessage,
  type TgUpdate,
  type TgUser,
} from './telegram-emulator.types.js';

export * from './telegram-emulator.types.js';
export type { TgRateLimitOptions, TgStats } from './telegram-emulator.state.js';

export interface TelegramEmulatorOptions {
  /** Bot token; the part before ':' is the bot's user id. */
  token?: string;
  botUsername?: string;
  botFirstName?: string;
  /** Emulator time in ms (message dates, 48 h delete rule, 24 h update retention). Default Date.now. */
  now?: () => number;
  /** `false` turns rate limiting off. */
  rateLimits?: TgRateLimitOptions | false;
  /** Cap for getUpdates `timeout` (seconds) so telegraf's 50 s polls end quickly in tests. */
  maxPollTimeoutSec?: number;
  firstUpdateId?: number;
  /** How long clickButton waits for answerCallbackQuery in polling mode. Default 5000 ms. */
  answerTimeoutMs?: number;
  /** Keep at most this many entries in `calls` (oldest dropped); default 100,000. */
  callLogLimit?: number;
}

/** getMe result (structurally compatible with telegraf's UserFromGetMe). */
export interface BotInfo {
  id: number;
  is_bot: true;
  first_name: string;
  username: string;
  can_join_groups: boolean;
  can_read_all_group_messages: boolean;
  supports_inline_queries: boolean;
  can_connect_to_business: boolean;
  has_main_web_app: boolean;
}

export type SimUser = Pick<TgUser, 'id' | 'first_name'> & Partial<TgUser>;

export class TelegramEmulator extends EventEmitter {
  readonly token: string;
  readonly calls: TgCallRecord[] = [];
  private readonly state: TelegramState;
  private readonly transport: TelegramTransport;
  private readonly server = http.createServer((req, res) => void this.handle(req, res));
  private baseUrl: string | undefined;
  private readonly opts: TelegramEmulatorOptions;
  /** Injected faults, per method, consumed one per call (tests: a 502, a 429 with retry_after, …). */
  private readonly faults = new Map<string, Array<NonNullable<TgCallRecord['error']>>>();
  /** Hold every Bot API call (not getUpdates) this long before acting on it; see delayAnswer. */
  answerDelayMs = 0;
  /** Calls the caller abandoned while held (never acted on). */
  abandonedCalls = 0;

  constructor(opts: TelegramEmulatorOptions = {}) {
    super();
    this.setMaxListeners(0);
    this.opts = opts;
    this.token = opts.token ?? '123456789:AAEmulatorTestToken_abcdefghijklmnop';
    this.state = new TelegramState(
      this.token,
      { username: opts.botUsername ?? 'casework_test_bot', first_name: opts.botFirstName ?? 'Casework' },
      opts.now ?? Date.now,
      opts.rateLimits ?? {},
      opts.firstUpdateId ?? 1,
      {
        onBotMessage: (s, kind) => this.emit(kind === 'new' ? 'message' : kind, this.view(s)),
        onAnswer: (id, p) => this.emit('answer', { callback_query_id: id, ...p }),
      },
    );
    this.transport = new TelegramTransport(this.state, opts.maxPollTimeoutSec ?? 50, {
      record: (rec) => this.record(rec),
      invoke: (method, params, via) => this.invoke(method, params, via),
      onUpdate: (update) => this.emit('update', update),
    });
  }

  // ── lifecycle ──────────────────────────────────────────────────────────
  async start(port = 0): Promise<{ url: string }> {
    this.baseUrl = await listen(this.server, port);
    return { url: this.baseUrl };
  }

  async stop(): Promise<void> {
    this.transport.closePoll();
    await close(this.server);
  }

  get url(): string {
    if (!this.baseUrl) throw new Error('TelegramEmulator not started');
    return this.baseUrl;
  }

  /** The getMe result: assign to `bot.botInfo` to skip the getMe call. */
  get botInfo(): BotInfo {
    return this.state.methods.getMe!({}) as BotInfo;
  }

  /** Every delivery attempt (webhook POST or queued for getUpdates). */
  get deliveries(): ReadonlyArray<TgDeliveryRecord> {
    return this.transport.deliveries;
  }

  get stats(): Readonly<TgStats> {
    return this.state.stats;
  }

  /** Accepted sends (rate-limit clock, ms) — benchmarks derive the achieved rate from it. */
  get sendTimeline(): ReadonlyArray<{ at: number; chatId: number }> {
    return this.state.sendTimeline;
  }

  // ── HTTP ───────────────────────────────────────────────────────────────
  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    try {
      const r = await parseRequest(req);
      const m = /^\/bot([^/]+)\/([A-Za-z]+)\/?$/.exec(r.path);
      if (!m) return sendJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      if (decodeURIComponent(m[1]!) !== this.token) return sendJson(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
      if (r.parseError) return sendJson(res, 400, { ok: false, error_code: 400, description: "Bad Request: can't parse JSON object" });
      // Bot API method names are case-insensitive.
      const method = Object.keys(this.state.methods).find((k) => k.toLowerCase() === m[2]!.toLowerCase()) ?? m[2]!;
      if (method === 'getUpdates') return this.transport.getUpdates(r.params, res);
      if (this.answerDelayMs > 0 && !(await delayAnswer(req, res, this.answerDelayMs))) {
        this.abandonedCalls++;
        return;
      }
      const out = this.invoke(method, r.params, 'http');
      if (out.ok) sendJson(res, 200, { ok: true, result: out.result, ...(out.description ? { description: out.description } : {}) });
      else sendJson(res, out.error.error_code, { ok: false, ...out.error });
    } catch (err) {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error_code: 500, description: `Internal Server Error: ${String(err)}` });
    }
  }

  /**
   * The next `times` calls of `method` fail with this error (HTTP status = error_code), as the real
   * Bot API does under load or during an outage: 502 Bad Gateway, 429 with `parameters.retry_after`, …
   */
  failNext(method: string, error: NonNullable<TgCallRecord['error']>, times = 1): void {
    const list = this.faults.get(method) ?? [];
    for (let i = 0; i < times; i++) list.push(error);
    this.faults.set(method, list);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  private invoke(
    method: string,
    params: Params,
    via: TgCallRecord['via'],
  ): { ok: true; result: unknown; description?: string } | { ok: false; error: NonNullable<TgCallRecord['error']> } {
    const record: TgCallRecord = { method, params, time: this.state.now(), via, ok: false };
    this.state.stats.calls++;
    const fault = this.faults.get(method)?.shift();
    if (fault) {
      this.state.stats.errors++;
      record.error = fault;
      this.record(record);
      return { ok: false, error: fault };
    }
    const impl = this.state.methods[method];
    let out: ReturnType<TelegramEmulator['invoke']>;
    try {
      if (!impl) throw new TgApiError(404, 'Not Found: method not found');
      const hadWebhook = !!this.state.webhook;
      const result = impl(params);
      out = { ok: true, result };
      if (method === 'setWebhook') {
        out.description = this.state.webhook ? 'Webhook was set' : 'Webhook was deleted';
        if (this.state.webhook) void this.transport.flushQueueToWebhook();
      }
      if (method === 'deleteWebhook') out.description = hadWebhook ? 'Webhook was deleted' : 'Webhook is already deleted';
      record.ok = true;
      record.result = result;
    } catch (err) {
      if (!(err instanceof TgApiError)) throw err;
      this.state.stats.errors++;
      const error: NonNullable<TgCallRecord['error']> = { error_code: err.error_code, description: err.description };
      if (err.parameters) error.parameters = err.parameters;
      record.error = error;
      out = { ok: false, error };
    }
    this.record(record);
    return out;
  }

  private record(rec: TgCallRecord): void {
    this.calls.push(rec);
    const limit = this.opts.callLogLimit ?? 100_000;
    if (this.calls.length > limit * 1.1) this.calls.splice(0, this.calls.length - limit);
    this.emit('call', rec);
  }

  // ── client simulation ──────────────────────────────────────────────────
  /** Register a user (and their private chat) without sending anything. */
  addUser(user: SimUser): void {
    this.state.ensureChat(user as TgUser);
  }

  async sendText(user: SimUser, text: string): Promise<TgUpdate> {
    const entities = detectCommandEntities(text);
    return this.sendUpdate(user, entities.length ? { text, entities } : { text });
  }

  async sendCommand(user: SimUser, command: string, args?: string): Promise<TgUpdate> {
    const cmd = command.startsWith('/') ? command : `/${command}`;
    const text = args ? `${cmd} ${args}` : cmd;
    return this.sendUpdate(user, { text, entities: [{ type: 'bot_command', offset: 0, length: cmd.length }] });
  }

  /** Any client message: `{ photo: [...] }`, `{ voice }`, `{ sticker }`, `{ location }`, `{ contact }`, … */
  async sendUpdate(user: SimUser, fields: Record<string, unknown>): Promise<TgUpdate> {
    const message = this.state.addUserMessage(user as TgUser, fields);
    const update = this.state.newUpdate({ message });
    await this.transport.deliver(update);
    return update;
  }

  async editText(user: SimUser, messageId: number, newText: string): Promise<TgUpdate> {
    const c = this.state.requireChat(user.id);
    const s = c.messages.get(messageId);
    if (!s || s.fromBot || s.deleted) throw new Error(`editText: no message ${messageId} from user ${user.id}`);
    s.edits.push({ at: this.state.now(), ...(s.message.text !== undefined ? { text: s.message.text } : {}) });
    const entities = detectCommandEntities(newText);
    s.message = { ...s.message, text: newText, edit_date: this.state.dateNow() };
    if (entities.length) s.message.entities = entities;
    else delete s.message.entities;
    const update = this.state.newUpdate({ edited_message: s.message });
    await this.transport.deliver(update);
    return update;
  }

  /**
   * Press an inline button. Resolves with the bot's answerCallbackQuery params
   * (or undefined when the bot did not answer: after the webhook response, or
   * after answerTimeoutMs in polling mode).
   */
  async clickButton(user: SimUser, messageId: number, callbackData: string, opts: { force?: boolean } = {}): Promise<Params | undefined> {
    const c = this.state.requireChat(user.id);
    const s = c.messages.get(messageId);
    if (!s || s.deleted) throw new Error(`clickButton: message ${messageId} not found in chat ${user.id}`);
    if (!opts.force && !this.state.findButton(s.message.reply_markup, callbackData)) {
      throw new Error(`clickButton: message ${messageId} has no button with callback_data ${JSON.stringify(callbackData)}`);
    }
    const query = this.state.newCallbackQuery(user as TgUser, s.message, callbackData);
    const answered = waitForEvent<Params>(
      (fn) => this.listen('answer', fn),
      (a) => a.callback_query_id === query.id,
      this.opts.answerTimeoutMs ?? 5000,
      'answerCallbackQuery',
    ).catch(() => undefined);
    const viaWebhook = !!this.state.webhook;
    await this.transport.deliver(this.state.newUpdate({ callback_query: query }));
    const now = this.state.callbackQueries.get(query.id)?.answer;
    if (now || viaWebhook) return now;
    return answered;
  }

  /** Deliver an already delivered update again (same update_id), as at-least-once delivery does. */
  async redeliver(updateId: number): Promise<TgUpdate> {
    const update = this.state.allUpdates.get(updateId);
    if (!update) throw new Error(`redeliver: unknown update_id ${updateId}`);
    await this.transport.deliver(update, true);
    return update;
  }

  blockBy(chatId: number): void {
    this.state.requireChat(chatId).blocked = true;
  }

  unblockBy(chatId: number): void {
    this.state.requireChat(chatId).blocked = false;
  }

  // ── inspection ─────────────────────────────────────────────────────────
  /** Ids of every private chat the emulator knows (users who wrote or were added). */
  chatIds(): number[] {
    return [...this.state.chats.keys()];
  }

  /** Bot → chat messages, oldest first, with current text/markup and the deleted flag. */
  messages(chatId: number): BotMessageView[] {
    const c = this.state.chats.get(chatId);
    if (!c) return [];
    return [...c.messages.values()].filter((s) => s.fromBot).map((s) => this.view(s));
  }

  lastMessage(chatId: number): BotMessageView | undefined {
    return this.messages(chatId).at(-1);
  }

  /** Every message in the chat (client and bot), as Bot API Messages. */
  history(chatId: number): Array<TgMessage & { deleted: boolean }> {
    const c = this.state.chats.get(chatId);
    return c ? [...c.messages.values()].map((s) => ({ ...s.message, deleted: s.deleted })) : [];
  }

  /** The reply keyboard the client currently sees (last `keyboard` not yet removed), if any. */
  replyKeyboard(chatId: number): Record<string, unknown> | undefined {
    const withKb = this.messages(chatId).filter((m) => m.keyboard && !('force_reply' in m.keyboard));
    const last = withKb.at(-1)?.keyboard;
    return last && !last.remove_keyboard ? last : undefined;
  }

  myCommands(opts: { scope?: Record<string, unknown>; language_code?: string } = {}): unknown[] {
    return this.state.methods.getMyCommands!({ scope: opts.scope, language_code: opts.language_code }) as unknown[];
  }

  webhookInfo(): Record<string, unknown> & { secret_token?: string } {
    return { ...this.state.webhookInfo(), ...(this.state.webhook?.secret_token ? { secret_token: this.state.webhook.secret_token } : {}) };
  }

  pendingUpdates(): TgUpdate[] {
    return this.state.queue.map((q) => q.update);
  }

  /** Next bot message in the chat matching `predicate` (or an existing one with message_id > `after`). */
  waitForMessage(
    chatId: number,
    predicate: (m: BotMessageView) => boolean = () => true,
    opts: { timeoutMs?: number; after?: number; includeEdits?: boolean } = {},
  ): Promise<BotMessageView> {
    if (opts.after !== undefined) {
      const hit = this.messages(chatId).find((m) => m.message_id > opts.after! && predicate(m));
      if (hit) return Promise.resolve(hit);
    }
    const match = (m: BotMessageView) => m.chat_id === chatId && predicate(m);
    return waitForEvent<BotMessageView>(
      (fn) => {
        const offs = [this.listen('message', fn), ...(opts.includeEdits ? [this.listen('edit', fn)] : [])];
        return () => offs.forEach((off) => off());
      },
      match,
      opts.timeoutMs ?? 5000,
      `a bot message in chat ${chatId}`,
    );
  }

  waitForCall(method: string, predicate: (c: TgCallRecord) => boolean = () => true, opts: { timeoutMs?: number } = {}): Promise<TgCallRecord> {
    return waitForEvent<TgCallRecord>(
      (fn) => this.listen('call', fn),
      (c) => c.method === method && predicate(c),
      opts.timeoutMs ?? 5000,
      `a ${method} call`,
    );
  }

  private listen<T>(event: string, fn: (v: T) => void): () => void {
    this.on(event, fn);
    return () => this.off(event, fn);
  }

  private view(s: StoredMessage): BotMessageView {
    const m = s.message;
    return {
      message_id: m.message_id,
      chat_id: m.chat.id,
      date: m.date,
      text: m.text,
      entities: m.entities,
      reply_markup: m.reply_markup,
      keyboard: s.keyboardMarkup,
      parse_mode: s.parseMode,
      reply_to_message_id: m.reply_to_message?.message_id,
      edits: s.edits,
      deleted: s.deleted,
      raw: m,
    };
  }
}
