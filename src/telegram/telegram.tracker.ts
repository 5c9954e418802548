import type { Redis } from 'ioredis';

/**
 * Message ids of this chat (the bot's and the client's), for quick exit.
 * Telegram lets a bot delete messages in a private chat for 48 hours, so ids
 * live in Redis for 48 hours and nowhere else; ids are not personal data.
 */
const TTL_SECONDS = 48 * 3600;
const KEEP = 1000;

export class MessageTracker {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}

  private key(chatId: number): string {
    return `${this.prefix}:tg:msgs:${chatId}`;
  }

  async add(chatId: number, ...messageIds: number[]): Promise<void> {
    if (messageIds.length === 0) return;
    const key = this.key(chatId);
    await this.redis.multi().lpush(key, ...messageIds.map(String)).ltrim(key, 0, KEEP - 1).expire(key, TTL_SECONDS).exec();
  }

  /** Every remembered id, removed from the list (what the caller deletes is forgotten). */
  async takeAll(chatId: number): Promise<number[]> {
    const key = this.key(chatId);
    const res = await this.redis.multi().lrange(key, 0, -1).del(key).exec();
    const ids = (res?.[0]?.[1] as string[] | undefined) ?? [];
    return [...new Set(ids.map(Number).filter((n) => Number.isSafeInteger(n) && n > 0))].sort((a, b) => a - b);
  }
}
