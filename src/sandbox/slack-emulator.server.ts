/** The Slack emulator's server side: HTTP, Web API dispatch, response_url posts, the call log. */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import { close, delayAnswer, listen, parseRequest, sendJson } from './emulator-http.js';
import { SlackFiles, type EmulatedFile } from './slack-emulator.files.js';
import { SlackRateLimited, SlackState } from './slack-emulator.state.js';
import {
  SlackApiError,
  type ResponseUrlPost,
  type SlackCallRecord,
  type SlackIdentity,
  type SlackRateLimitOptions,
  type SlackStats,
  type SlackMessage,
  type SlackUserSeed,
  type StoredSlackMessage,
} from './slack-emulator.types.js';

/** Slack: a response_url may be used up to five times within 30 minutes. */
const RESPONSE_URL_USES = 5;
const RESPONSE_URL_TTL_MS = 30 * 60_000;

export interface SlackEmulatorOptions extends Partial<SlackIdentity> {
  botToken?: string;
  /** More accepted tokens (e.g. a user token). */
  extraTokens?: string[];
  users?: SlackUserSeed[];
  channels?: Array<{ id: string; name: string; is_private?: boolean; is_archived?: boolean; members?: string[] }>;
  /** Emulator time in ms (ts values, trigger expiry, tz offsets). Default Date.now. */
  now?: () => number;
  rateLimits?: SlackRateLimitOptions | false;
  /** trigger_id lifetime; Slack's is 3 s. */
  triggerTtlMs?: number;
  /** Keep at most this many entries in `calls` (oldest dropped); default 100,000. */
  callLogLimit?: number;
}

/** A message as the inspection API returns it. */
export interface SlackMessageView extends SlackMessage {
  channel: string;
  deleted: boolean;
  edits: StoredSlackMessage['edits'];
}

export class SlackEmulatorServer extends EventEmitter {
  readonly botToken: string;
  readonly identity: SlackIdentity;
  readonly calls: SlackCallRecord[] = [];
  readonly responseUrlPosts: ResponseUrlPost[] = [];
  protected readonly forced429 = new Map<string, { times: number; retryAfterSec: number }>();
  private readonly tokens: Set<string>;
  protected readonly state: SlackState;
  private readonly server = http.createServer((req, res) => void this.handle(req, res));
  protected readonly responseUrls = new Map<string, { context: ResponseUrlPost['context']; at: number; uses: number }>();
  private baseUrl: string | undefined;
  private readonly callLogLimit: number;
  private readonly uploads: SlackFiles;
  /** Hold every Web API call this long before acting on it; see delayAnswer. */
  answerDelayMs = 0;
  /** Calls the caller abandoned while held (never acted on). */
  abandonedCalls = 0;

  constructor(opts: SlackEmulatorOptions = {}) {
    super();
    this.callLogLimit = opts.callLogLimit ?? 100_000;
    this.setMaxListeners(0);
    this.botToken = opts.botToken ?? 'xoxb-emulator-0000-token';
    this.tokens = new Set([this.botToken, ...(opts.extraTokens ?? [])]);
    this.identity = {
      teamId: opts.teamId ?? 'T0EMULATOR',
      teamName: opts.teamName ?? 'Casework Emulator',
      botUserId: opts.botUserId ?? 'U0CASEBOT',
      botId: opts.botId ?? 'B0CASEBOT',
      appId: opts.appId ?? 'A0CASEAPP',
    };
    this.state = new SlackState(this.identity, opts.now ?? Date.now, opts.rateLimits ?? {}, opts.triggerTtlMs ?? 3000, (m, kind) =>
      this.emit(kind === 'new' ? 'message' : kind, this.viewOf(m)),
    );
    for (const u of opts.users ?? []) this.state.addUser(u);
    for (const c of opts.channels ?? []) this.state.addChannel(c);
    this.uploads = new SlackFiles(this.state, () => this.url);
    this.uploads.install();
  }

  /** Files uploaded with files.getUploadURLExternal + upload + files.completeUploadExternal (filesUploadV2). */
  files(): EmulatedFile[] {
    return [...this.uploads.files.values()];
  }

  // ── lifecycle ──────────────────────────────────────────────────────────
  async start(port = 0): Promise<{ url: string }> {
    this.baseUrl = await listen(this.server, port);
    return { url: this.baseUrl };
  }

  async stop(): Promise<void> {
    await close(this.server);
  }

  get url(): string {
    if (!this.baseUrl) throw new Error('SlackEmulator not started');
    return this.baseUrl;
  }

  /** What to pass as `slackApiUrl` to WebClient / Bolt's clientOptions. */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  get stats(): Readonly<SlackStats> {
    return this.state.stats;
  }

  /** Emulator time (ms). */
  now(): number {
    return this.state.now();
  }

  // ── HTTP ───────────────────────────────────────────────────────────────
  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    try {
      const r = await parseRequest(req);
      const up = /^\/upload\/(F\w+)$/.exec(r.path);
      if (up) {
        const out = this.uploads.upload(up[1]!, r.raw, String(req.headers['content-type'] ?? ''));
        res.writeHead(out.status, { 'content-type': 'text/plain' }).end(out.body);
        this.emit('call', {
          method: 'files.upload_bytes',
          params: { file: up[1] },
          time: this.state.now(),
          ok: out.status === 200,
          response: {},
          status: out.status,
        });
        return;
      }
      const dl = /^\/files\/(F\w+)(?:\/[^/]*)?$/.exec(r.path);
      if (dl) {
        const f = this.uploads.files.get(dl[1]!);
        if (!f?.content) return sendJson(res, 404, { ok: false, error: 'file_not_found' });
        res
          .writeHead(200, { 'content-type': `${f.mimetype}; charset=utf-8`, 'content-disposition': `attachment; filename="${f.name.replace(/"/g, '')}"` })
          .end(f.content);
        return;
      }
      const resp = /^\/response\/([\w-]+)$/.exec(r.path);
      if (resp) return this.handleResponseUrl(resp[1]!, r.params, res);
      const m = /^\/api\/([\w.]+)$/.exec(r.path);
      if (!m) return sendJson(res, 404, { ok: false, error: 'not_found' });
      const method = m[1]!;
      if (this.answerDelayMs > 0 && !(await delayAnswer(req, res, this.answerDelayMs))) {
        this.abandonedCalls++;
        return;
      }
      const { token: bodyToken, ...params } = r.params;
      const auth = /^Bearer\s+(.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
      const token = auth ?? (bodyToken === undefined ? undefined : String(bodyToken));
      const reply = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) => {
        const rec: SlackCallRecord = { method, params, time: this.state.now(), ok: body.ok === true, response: body, status };
        if (status === 200 && body.ok !== true) this.state.stats.errors++;
        this.calls.push(rec);
        if (this.calls.length > this.callLogLimit * 1.1) this.calls.splice(0, this.calls.length - this.callLogLimit);
        this.emit('call', rec);
        sendJson(res, status, body, headers);
      };
      this.state.stats.calls++;
      if (r.parseError) return reply(200, { ok: false, error: 'invalid_json' });
      const impl = this.state.methods[method];
      if (!impl) return reply(200, { ok: false, error: 'unknown_method', req_method: method });
      if (!token) return reply(200, { ok: false, error: 'not_authed' });
      if (!this.tokens.has(token)) return reply(200, { ok: false, error: 'invalid_auth' });
      const forced = this.forced429.get(method);
      if (forced && forced.times > 0) {
        forced.times--;
        this.state.stats.rateLimited++;
        return reply(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(forced.retryAfterSec) });
      }
      try {
        reply(200, { ok: true, ...impl(params) });
      } catch (err) {
        if (err instanceof SlackRateLimited) {
          this.state.stats.rateLimited++;
          return reply(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(err.retryAfterSec) });
        }
        if (!(err instanceof SlackApiError)) throw err;
        reply(200, { ok: false, error: err.error, ...err.extra });
      }
    } catch (err) {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'fatal_error', detail: String(err) });
    }
  }

  /**
   * response_url, as Slack: at most RESPONSE_URL_USES posts within RESPONSE_URL_TTL_MS; ephemeral by
   * default, `in_channel` posts; replace_original / delete_original act on the message the interaction
   * came from — an ephemeral one too (the only way to change an ephemeral message: chat.update cannot).
   */
  private handleResponseUrl(id: string, body: Record<string, unknown>, res: http.ServerResponse): void {
    const issued = this.responseUrls.get(id);
    if (!issued || this.state.now() - issued.at > RESPONSE_URL_TTL_MS) return sendJson(res, 404, { ok: false, error: 'expired_url' });
    if (issued.uses >= RESPONSE_URL_USES) return sendJson(res, 404, { ok: false, error: 'used_url' });
    issued.uses++;
    const { context } = issued;
    const post: ResponseUrlPost = { id, context, body, time: this.state.now() };
    this.responseUrlPosts.push(post);
    const text = typeof body.text === 'string' ? body.text : '';
    const blocks = Array.isArray(body.blocks) ? body.blocks : undefined;
    const eph = context.ephemeral ? this.state.ephemerals.find((e) => e.user === context.user && e.message_ts === context.message_ts && !e.deleted) : undefined;
    const original = !context.ephemeral && context.channel && context.message_ts ? this.state.find(context.channel, context.message_ts) : undefined;
    if (body.delete_original === true && eph) {
      eph.deleted = true;
    } else if (body.replace_original === true && eph) {
      // Replaced in place: same ts, same place in the conversation.
      eph.text = text;
      if (blocks) eph.blocks = blocks;
      else delete eph.blocks;
      eph.replaced = true;
    } else if (body.delete_original === true && original) {
      original.deleted = true;
      this.emit('delete', this.viewOf(original));
    } else if (body.replace_original === true && original) {
      original.edits.push({ ts: this.state.nextTs(), text: original.message.text, ...(original.message.blocks ? { blocks: original.message.blocks } : {}) });
      original.message = { ...original.message, text, ...(blocks ? { blocks } : {}) };
      this.emit('update', this.viewOf(original));
    } else if (body.response_type === 'in_channel' && context.channel) {
      this.state.store(context.channel, {
        user: this.identity.botUserId,
        bot_id: this.identity.botId,
        app_id: this.identity.appId,
        text,
        ...(blocks ? { blocks } : {}),
      });
    } else if (context.channel) {
      this.state.ephemerals.push({ channel: context.channel, user: context.user, message_ts: this.state.nextTs(), text, ...(blocks ? { blocks } : {}) });
    }
    this.emit('response_url', post);
    sendJson(res, 200, { ok: true });
  }

  protected resolve(channelOrUserId: string): string {
    if (this.state.channels.has(channelOrUserId)) return channelOrUserId;
    if (/^[UW]/.test(channelOrUserId) && this.state.users.has(channelOrUserId)) return this.state.imFor(channelOrUserId).id;
    return channelOrUserId;
  }

  protected viewOf(s: StoredSlackMessage): SlackMessageView {
    return { ...s.message, channel: s.channel, deleted: s.deleted, edits: s.edits };
  }
}
