import type { RedisClient as Redis } from '../lib/redis.js';
import { withTimeout } from '../lib/timeout.js';

/**
 * Message ids of this chat (the bot's and the client's), for quick exit.
 * Telegram lets a bot delete messages in a private chat for 48 hours, so ids
 * live in Redis for 48 hours and nowhere else; ids are not personal data.
 * Every Redis call is bounded (`timeoutMs`). This process also keeps the ids it
 * saw in memory (per chat, the last KEEP_IN_MEMORY, 48 h), so with Redis down a
 * quick exit still deletes this conversation's messages (someone may be looking
 * at the client's phone); only messages other processes sent are then missed.
 */
const TTL_SECONDS = 48 * 3600;
const KEEP = 1000;
const KEEP_IN_MEMORY = 200;
const MAX_CHATS_IN_MEMORY = 20_000;

export class MessageTracker {
  /** Ids added since the last write, by chat: written together, one Redis round trip for many updates. */
  private pending = new Map<number, number[]>();
  private scheduled: Promise<void> | undefined;
  /** chat → [message id, seen at ms], newest last; a bounded copy for when Redis cannot be read. */
  private readonly recent = new Map<number, Array<[number, number]>>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly timeoutMs = 1500,
  ) {}

  private key(chatId: number): string {
    return `${this.prefix}:tg:msgs:${chatId}`;
  }

  /** Resolves once the ids are stored (with every other id added in the same turn of the event loop). */
  add(chatId: number, ...messageIds: number[]): Promise<void> {
    if (messageIds.length === 0) return Promise.resolve();
    this.remember(chatId, messageIds);
    const list = this.pending.get(chatId);
    if (list) list.push(...messageIds);
    else this.pending.set(chatId, [...messageIds]);
    this.scheduled ??= new Promise<void>((resolve, reject) =>
      setImmediate(() => {
        const batch = this.pending;
        this.pending = new Map();
        this.scheduled = undefined;
        this.write(batch).then(resolve, reject);
      }),
    );
    return this.scheduled;
  }

  private async write(batch: Map<number, number[]>): Promise<void> {
    // One MULTI per chat: on a Redis Cluster, chats' keys live in different slots.
    const writes = [...batch].map(([chatId, ids]) => {
      const key = this.key(chatId);
      return this.redis
        .multi()
        .lpush(key, ...ids.map(String))
        .ltrim(key, 0, KEEP - 1)
        .expire(key, TTL_SECONDS)
        .exec();
    });
    await withTimeout(Promise.all(writes), this.timeoutMs, 'tracking message ids');
  }

  private remember(chatId: number, ids: number[]): void {
    const now = Date.now();
    const list = (this.recent.get(chatId) ?? []).filter(([, at]) => now - at < TTL_SECONDS * 1000);
    for (const id of ids) list.push([id, now]);
    this.recent.delete(chatId);
    this.recent.set(chatId, list.slice(-KEEP_IN_MEMORY));
    if (this.recent.size > MAX_CHATS_IN_MEMORY) this.recent.delete(this.recent.keys().next().value!);
  }

  /**
   * Every remembered id, removed from the list (what the caller deletes is forgotten): Redis's and
   * this process's own. With Redis unreachable, this process's own ids, and `complete` false.
   */
  async takeAll(chatId: number): Promise<{ ids: number[]; complete: boolean }> {
    const mine = (this.recent.get(chatId) ?? []).map(([id]) => id);
    this.recent.delete(chatId);
    let stored: string[] = [];
    let complete = true;
    try {
      // Ids added a moment ago are written first, so none is left behind.
      if (this.scheduled) await this.scheduled.catch(() => {});
      const key = this.key(chatId);
      const res = await withTimeout(this.redis.multi().lrange(key, 0, -1).del(key).exec(), this.timeoutMs, 'reading message ids');
      stored = (res?.[0]?.[1] as string[] | undefined) ?? [];
    } catch {
      complete = false;
    }
    const ids = [...new Set([...stored.map(Number), ...mine].filter((n) => Number.isSafeInteger(n) && n > 0))].sort((a, b) => a - b);
    return { ids, complete };
  }
}
