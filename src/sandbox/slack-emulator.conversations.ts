/** The Slack emulator's conversations.open, conversations.history and conversations.replies. */
import { boolParam, numParam, type Params } from './emulator-http.js';
import { SlackApiError, type SlackChannel, type SlackIdentity, type SlackUserSeed, type StoredSlackMessage } from './slack-emulator.types.js';

/** What these methods need of the workspace (SlackState). */
export interface ConversationHost {
  readonly id: SlackIdentity;
  readonly channels: Map<string, SlackChannel>;
  readonly imByUser: ReadonlyMap<string, string>;
  now(): number;
  newId(prefix: string): string;
  user(id: unknown): SlackUserSeed;
  imFor(userId: string): SlackChannel;
  channel(raw: unknown, opts?: { allowUser?: boolean }): SlackChannel;
  list(channel: string): StoredSlackMessage[];
  find(channel: string, ts: unknown): StoredSlackMessage | undefined;
}

export function openConversation(h: ConversationHost, p: Params): Record<string, unknown> {
  if (p.channel) return { channel: { id: h.channel(p.channel).id }, no_op: true, already_open: true };
  const users = String(p.users ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  if (users.length === 0) throw new SlackApiError('users_list_not_supplied');
  if (users.length > 8) throw new SlackApiError('too_many_users');
  users.forEach((u) => h.user(u));
  if (users.length > 1) {
    const name = `mpdm-${[...users].sort().join('--')}-1`;
    const existing = [...h.channels.values()].find((c) => c.is_mpim && c.name === name);
    const ch = existing ?? {
      id: h.newId('G'),
      name,
      is_im: false,
      is_mpim: true,
      is_private: true,
      is_archived: false,
      members: [...users, h.id.botUserId],
      created: Math.floor(h.now() / 1000),
    };
    h.channels.set(ch.id, ch);
    return { channel: boolParam(p.return_im) ? ch : { id: ch.id }, ...(existing ? { already_open: true } : {}) };
  }
  const known = h.imByUser.has(users[0]!);
  const ch = h.imFor(users[0]!);
  return { channel: boolParam(p.return_im) ? ch : { id: ch.id }, ...(known ? { no_op: true, already_open: true } : {}) };
}

function page<T>(items: T[], p: Params): { items: T[]; has_more: boolean; next_cursor: string } {
  const limit = Math.min(999, Math.max(1, numParam(p.limit) ?? 100));
  const start = p.cursor ? Number(Buffer.from(String(p.cursor), 'base64').toString().replace('next_ts:', '')) || 0 : 0;
  const slice = items.slice(start, start + limit);
  const more = start + limit < items.length;
  return { items: slice, has_more: more, next_cursor: more ? Buffer.from(`next_ts:${start + limit}`).toString('base64') : '' };
}

export function history(h: ConversationHost, p: Params): Record<string, unknown> {
  const ch = h.channel(p.channel);
  const oldest = p.oldest ? Number(p.oldest) : -Infinity;
  const latest = p.latest ? Number(p.latest) : Infinity;
  const inclusive = boolParam(p.inclusive);
  const top = h
    .list(ch.id)
    .filter((s) => !s.deleted && (!s.message.thread_ts || s.message.thread_ts === s.message.ts))
    .filter((s) => {
      const t = Number(s.message.ts);
      return inclusive ? t >= oldest && t <= latest : t > oldest && t < latest;
    })
    .map((s) => s.message)
    .reverse();
  const pg = page(top, p);
  return { messages: pg.items, has_more: pg.has_more, pin_count: 0, response_metadata: { next_cursor: pg.next_cursor } };
}

export function replies(h: ConversationHost, p: Params): Record<string, unknown> {
  const ch = h.channel(p.channel);
  const parent = h.find(ch.id, p.ts);
  if (!parent) throw new SlackApiError('thread_not_found');
  const root = parent.message.thread_ts ?? parent.message.ts;
  const all = h
    .list(ch.id)
    .filter((s) => !s.deleted && (s.message.ts === root || s.message.thread_ts === root))
    .map((s) => s.message);
  const pg = page(all, p);
  return { messages: pg.items, has_more: pg.has_more, response_metadata: { next_cursor: pg.next_cursor } };
}
