import type { Redis } from 'ioredis';
import { withTimeout } from '../lib/timeout.js';

/**
 * Message ids of this chat (the bot's and the client's), for quick exit.
 * Telegram lets a bot delete messages in a private chat for 48 hours, so ids
 * live in Redis for 48 hours and nowhere else; ids are not personal data.
 * Every Redis call is bounded (`timeoutMs`): with Redis down, quick exit deletes
 * what it can (the /exit message itself) and gives up cleanly instead of waiting.
 */
const TTL_SECONDS = 48 * 3600;
const KEEP = 1000;

export class MessageTracker {
  /** Ids added since the last write, by chat: written together, one Redis round trip for many updates. */
  private pending = new Map<number, number[]>();
  private scheduled: Promise<void> | undefined;

  constructor(private readonly redis: Redis, private readonly prefix: string, private readonly timeoutMs = 1500) {}

  private key(chatId: number): string {
    return `${this.prefix}:tg:msgs:${chatId}`;
  }

  /** Resolves once the ids are stored (with every other id added in the same turn of the event loop). */
  add(chatId: number, ...messageIds: number[]): Promise<void> {
    if (messageIds.length === 0) return Promise.resolve();
    const list = this.pending.get(chatId);
    if (list) list.push(...messageIds);
    else this.pending.set(chatId, [...messageIds]);
    this.scheduled ??= new Promise<void>((resolve, reject) => setImmediate(() => {
      const batch = this.pending;
      this.pending = new Map();
      this.scheduled = undefined;
      this.write(batch).then(resolve, reject);
    }));
    return this.scheduled;
  }

  private async write(batch: Map<number, number[]>): Promise<void> {
    const m = this.redis.multi();
    for (const [chatId, ids] of batch) {
      const key = this.key(chatId);
      m.lpush(key, ...ids.map(String)).ltrim(key, 0, KEEP - 1).expire(key, TTL_SECONDS);
    }
    await withTimeout(m.exec(), this.timeoutMs, 'tracking message ids');
  }

  /** Every remembered id, removed from the list (what the caller deletes is forgotten). */
  async takeAll(chatId: number): Promise<number[]> {
    // Ids added a moment ago are written first, so none is left behind.
    if (this.scheduled) await this.scheduled.catch(() => {});
    const key = this.key(chatId);
    const res = await withTimeout(this.redis.multi().lrange(key, 0, -1).del(key).exec(), this.timeoutMs, 'reading message ids');
    const ids = (res?.[0]?.[1] as string[] | undefined) ?? [];
    return [...new Set(ids.map(Number).filter((n) => Number.isSafeInteger(n) && n > 0))].sort((a, b) => a - b);
  }
}
