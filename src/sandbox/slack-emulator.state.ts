/**
 * The Slack emulator's workspace and its Web API methods. Each method takes the
 * params as Slack receives them (form strings or JSON) and returns the response
 * body without `ok`, or throws SlackApiError(error).
 */
import { DateTime } from 'luxon';
import { jsonParam, type Params } from './emulator-http.js';
import { SlidingWindowLimiter, checkAll } from './rate-limit.js';
import { parseMessageBlocks } from './slack-emulator.blocks.js';
import { history, openConversation, replies } from './slack-emulator.conversations.js';
import { SlackViews } from './slack-emulator.views.js';
import {
  SlackApiError,
  type EphemeralMessage,
  type SlackChannel,
  type SlackIdentity,
  type SlackMessage,
  type SlackRateLimitOptions,
  type SlackStats,
  type SlackUserSeed,
  type StoredSlackMessage,
} from './slack-emulator.types.js';

export class SlackRateLimited extends Error {
  constructor(readonly retryAfterSec: number) {
    super('ratelimited');
  }
}

type Method = (p: Params) => Record<string, unknown>;

export class SlackState {
  readonly users = new Map<string, SlackUserSeed>();
  readonly channels = new Map<string, SlackChannel>();
  readonly messages = new Map<string, StoredSlackMessage[]>();
  readonly ephemerals: EphemeralMessage[] = [];
  readonly views: SlackViews;
  readonly failures = new Map<string, string>();
  readonly stats: SlackStats = { calls: 0, rateLimited: 0, errors: 0, posted: 0 };
  readonly methods: Record<string, Method>;
  readonly imByUser = new Map<string, string>();
  private lastTsMicros = 0n;
  private seq = 0;
  private readonly perChannel: SlidingWindowLimiter | undefined;
  private readonly workspace: SlidingWindowLimiter | undefined;

  constructor(
    readonly id: SlackIdentity,
    readonly now: () => number,
    rateLimits: SlackRateLimitOptions | false,
    triggerTtlMs: number,
    private readonly onMessage: (m: StoredSlackMessage, kind: 'new' | 'update' | 'delete') => void,
  ) {
    if (rateLimits !== false) {
      const rnow = rateLimits.now ?? Date.now;
      const pc = rateLimits.perChannel === undefined ? { limit: 3, windowMs: 3000 } : rateLimits.perChannel;
      if (pc) this.perChannel = new SlidingWindowLimiter(pc, rnow);
      if (rateLimits.workspace) this.workspace = new SlidingWindowLimiter(rateLimits.workspace, rnow);
    }
    this.views = new SlackViews(this, triggerTtlMs);
    this.users.set(id.botUserId, { id: id.botUserId, name: 'casework', real_name: 'Casework', is_bot: true, tz: 'UTC' });
    this.methods = {
      'auth.test': () => ({
        url: 'https://emulator.slack.com/',
        team: id.teamName,
        user: 'casework',
        team_id: id.teamId,
        user_id: id.botUserId,
        bot_id: id.botId,
        is_enterprise_install: false,
      }),
      'api.test': (p) => ({ args: p }),
      'chat.postMessage': (p) => this.postMessage(p),
      'chat.update': (p) => this.update(p),
      'chat.delete': (p) => this.deleteMessage(p),
      'chat.postEphemeral': (p) => this.postEphemeral(p),
      'conversations.open': (p) => openConversation(this, p),
      'conversations.info': (p) => ({ channel: this.channel(p.channel) }),
      'conversations.list': () => ({ channels: [...this.channels.values()].filter((c) => !c.is_im && !c.is_mpim), response_metadata: { next_cursor: '' } }),
      'conversations.history': (p) => history(this, p),
      'conversations.replies': (p) => replies(this, p),
      'views.open': (p) => this.views.open(p, false),
      'views.push': (p) => this.views.open(p, true),
      'views.update': (p) => this.views.update(p),
      'views.publish': (p) => this.views.publish(p),
      'users.info': (p) => ({ user: this.userObject(this.user(p.user)) }),
      'users.list': () => ({
        members: [...this.users.values()].map((u) => this.userObject(u)),
        cache_ts: Math.floor(this.now() / 1000),
        response_metadata: { next_cursor: '' },
      }),
    };
  }

  // ── ids ────────────────────────────────────────────────────────────────
  nextTs(): string {
    const micros = BigInt(this.now()) * 1000n;
    this.lastTsMicros = micros > this.lastTsMicros ? micros : this.lastTsMicros + 1n;
    const s = this.lastTsMicros.toString().padStart(7, '0');
    return `${s.slice(0, -6)}.${s.slice(-6)}`;
  }

  newId(prefix: string): string {
    return `${prefix}0${(++this.seq).toString(36).toUpperCase().padStart(8, '0')}`;
  }

  // ── directory ──────────────────────────────────────────────────────────
  addUser(u: SlackUserSeed): void {
    this.users.set(u.id, u);
  }

  addChannel(c: { id: string; name: string; is_private?: boolean; is_archived?: boolean; members?: string[] }): SlackChannel {
    const ch: SlackChannel = {
      id: c.id,
      name: c.name,
      is_im: false,
      is_mpim: false,
      is_private: c.is_private ?? false,
      is_archived: c.is_archived ?? false,
      members: c.members ?? [],
      created: Math.floor(this.now() / 1000),
    };
    this.channels.set(c.id, ch);
    return ch;
  }

  user(id: unknown): SlackUserSeed {
    const u = this.users.get(String(id ?? ''));
    if (!u) throw new SlackApiError('user_not_found');
    return u;
  }

  imFor(userId: string): SlackChannel {
    const existing = this.imByUser.get(userId);
    if (existing) return this.channels.get(existing)!;
    this.user(userId);
    const ch: SlackChannel = {
      id: this.newId('D'),
      name: userId,
      is_im: true,
      is_mpim: false,
      is_private: true,
      is_archived: false,
      user: userId,
      members: [userId, this.id.botUserId],
      created: Math.floor(this.now() / 1000),
    };
    this.channels.set(ch.id, ch);
    this.imByUser.set(userId, ch.id);
    return ch;
  }

  /** Resolve a channel param: channel id, D… id, or a user id (posts to the DM). */
  channel(raw: unknown, opts: { allowUser?: boolean } = {}): SlackChannel {
    const id = String(raw ?? '');
    if (!id) throw new SlackApiError('channel_not_found');
    const failure = this.failures.get(id) ?? this.failures.get(this.imByUser.get(id) ?? '');
    if (failure) throw new SlackApiError(failure);
    if ((id.startsWith('U') || id.startsWith('W')) && opts.allowUser && this.users.has(id)) return this.imFor(id);
    const ch = this.channels.get(id);
    if (!ch) throw new SlackApiError('channel_not_found');
    return ch;
  }

  userObject(u: SlackUserSeed): Record<string, unknown> {
    const tz = u.tz ?? 'UTC';
    const zoned = DateTime.fromMillis(this.now(), { zone: tz });
    return {
      id: u.id,
      team_id: this.id.teamId,
      name: u.name,
      deleted: u.deleted ?? false,
      real_name: u.real_name ?? u.name,
      tz,
      tz_label: zoned.offsetNameLong ?? tz,
      tz_offset: zoned.offset * 60,
      is_bot: u.is_bot ?? false,
      is_admin: u.is_admin ?? false,
      is_app_user: false,
      updated: Math.floor(this.now() / 1000),
      profile: { real_name: u.real_name ?? u.name, display_name: u.name, ...(u.email ? { email: u.email } : {}), team: this.id.teamId },
    };
  }

  // ── messages ───────────────────────────────────────────────────────────
  list(channel: string): StoredSlackMessage[] {
    let l = this.messages.get(channel);
    if (!l) this.messages.set(channel, (l = []));
    return l;
  }

  find(channel: string, ts: unknown): StoredSlackMessage | undefined {
    return this.messages.get(channel)?.find((m) => m.message.ts === String(ts) && !m.deleted);
  }

  /** Store a message (the bot's or, via the driver, a user's) and keep thread metadata. */
  store(channel: string, msg: Omit<SlackMessage, 'ts' | 'type'>): StoredSlackMessage {
    const message = { type: 'message', ts: this.nextTs(), ...msg } as SlackMessage;
    if (message.thread_ts) {
      const parent = this.find(channel, message.thread_ts);
      if (parent) {
        parent.message.thread_ts = parent.message.ts;
        parent.message.reply_count = (parent.message.reply_count ?? 0) + 1;
        parent.message.latest_reply = message.ts;
        const who = message.user ?? this.id.botUserId;
        parent.message.reply_users = [...new Set([...(parent.message.reply_users ?? []), who])];
      }
    }
    const stored: StoredSlackMessage = { channel, message, edits: [], deleted: false };
    this.list(channel).push(stored);
    this.onMessage(stored, 'new');
    return stored;
  }

  private content(p: Params, requireSome: boolean): { text: string | undefined; blocks: unknown[] | undefined } {
    const blocks = parseMessageBlocks(p.blocks);
    const text = p.text === undefined || p.text === null ? undefined : String(p.text);
    if (requireSome && !text && !blocks && !jsonParam(p.attachments)) throw new SlackApiError('no_text');
    if (text && text.length > 40_000) throw new SlackApiError('msg_too_long');
    return { text, blocks };
  }

  private postMessage(p: Params): Record<string, unknown> {
    const ch = this.channel(p.channel, { allowUser: true });
    if (ch.is_archived) throw new SlackApiError('is_archived');
    const { text, blocks } = this.content(p, true);
    const threadTs = p.thread_ts ? String(p.thread_ts) : undefined;
    if (threadTs && !this.find(ch.id, threadTs)) throw new SlackApiError('thread_not_found');
    const checks: Array<[SlidingWindowLimiter, string]> = [];
    if (this.workspace) checks.push([this.workspace, 'workspace']);
    if (this.perChannel) checks.push([this.perChannel, ch.id]);
    const d = checkAll(checks);
    if (!d.ok) throw new SlackRateLimited(Math.max(1, Math.ceil(d.retryAfterMs / 1000)));
    const msg: Omit<SlackMessage, 'ts' | 'type'> = {
      user: this.id.botUserId,
      bot_id: this.id.botId,
      app_id: this.id.appId,
      team: this.id.teamId,
      text: text ?? '',
    };
    if (blocks) msg.blocks = blocks;
    if (threadTs) msg.thread_ts = threadTs;
    const metadata = jsonParam(p.metadata);
    if (metadata) msg.metadata = metadata;
    const stored = this.store(ch.id, msg);
    this.stats.posted++;
    return { channel: ch.id, ts: stored.message.ts, message: stored.message };
  }

  private update(p: Params): Record<string, unknown> {
    const ch = this.channel(p.channel);
    const s = this.find(ch.id, p.ts);
    if (!s) throw new SlackApiError('message_not_found');
    if (s.message.bot_id !== this.id.botId) throw new SlackApiError('cant_update_message');
    const { text, blocks } = this.content(p, false);
    s.edits.push({ ts: this.nextTs(), text: s.message.text, ...(s.message.blocks ? { blocks: s.message.blocks } : {}) });
    // Omitted text/blocks keep their previous values, as chat.update documents.
    s.message = {
      ...s.message,
      ...(text !== undefined ? { text } : {}),
      ...(blocks ? { blocks } : {}),
      edited: { user: this.id.botUserId, ts: s.edits.at(-1)!.ts },
    };
    this.onMessage(s, 'update');
    return { channel: ch.id, ts: s.message.ts, text: s.message.text, message: s.message };
  }

  private deleteMessage(p: Params): Record<string, unknown> {
    const ch = this.channel(p.channel);
    const s = this.find(ch.id, p.ts);
    if (!s) throw new SlackApiError('message_not_found');
    if (s.message.bot_id !== this.id.botId) throw new SlackApiError('cant_delete_message');
    s.deleted = true;
    this.onMessage(s, 'delete');
    return { channel: ch.id, ts: s.message.ts };
  }

  private postEphemeral(p: Params): Record<string, unknown> {
    const ch = this.channel(p.channel, { allowUser: true });
    const user = this.user(p.user);
    if (!ch.is_im && ch.members.length > 0 && !ch.members.includes(user.id)) throw new SlackApiError('user_not_in_channel');
    const { text, blocks } = this.content(p, true);
    const e: EphemeralMessage = { channel: ch.id, user: user.id, message_ts: this.nextTs(), text: text ?? '' };
    if (blocks) e.blocks = blocks;
    if (p.thread_ts) e.thread_ts = String(p.thread_ts);
    this.ephemerals.push(e);
    return { message_ts: e.message_ts };
  }
}
