/** The Telegram emulator's server side: HTTP, Bot API method dispatch, injected faults, the call log. */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import { close, delayAnswer, listen, parseRequest, sendJson, type Params } from './emulator-http.js';
import { TelegramState } from './telegram-emulator.state.js';
import { TelegramTransport } from './telegram-emulator.transport.js';
import {
  TgApiError,
  type BotMessageView,
  type StoredMessage,
  type TgCallRecord,
  type TgDeliveryRecord,
  type TgRateLimitOptions,
  type TgStats,
} from './telegram-emulator.types.js';

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

export class TelegramEmulatorServer extends EventEmitter {
  readonly token: string;
  readonly calls: TgCallRecord[] = [];
  protected readonly state: TelegramState;
  protected readonly transport: TelegramTransport;
  private readonly server = http.createServer((req, res) => void this.handle(req, res));
  private baseUrl: string | undefined;
  protected readonly opts: TelegramEmulatorOptions;
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
    let out: ReturnType<TelegramEmulatorServer['invoke']>;
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

  protected view(s: StoredMessage): BotMessageView {
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
