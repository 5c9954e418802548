import { chatKey, type RedisClient } from '../lib/redis.js';
import { withTimeout } from '../lib/timeout.js';
import { ChatGate, type Admission } from './telegram.gate.js';
import { ChatTurns } from './chat-turns.js';

/**
 * Per-chat order and flood control shared by every app process (Redis), with
 * this process's ChatGate (telegram.gate.ts) as the fallback when Redis is slow
 * or down: then order and flood counting hold within this process only, as
 * they did before there could be several. Nothing waits on Redis for longer
 * than TELEGRAM_REDIS_TIMEOUT_MS per call, and crisis replies never come here.
 *
 * - Order: ChatTurns (chat-turns.ts), one update of a chat at a time in
 *   update_id order across processes.
 * - Flood: the chat's window (start, count) is one Redis hash; every process
 *   counts into it, so a flood spread over several processes is seen whole
 *   and the client is told once. Held replies stay in the memory of the process
 *   that held them (they may carry the client's answers: never in Redis); the
 *   hash only names the latest holder, and at the window's end only that
 *   process sends its replies (the question the client is now on).
 */
const ADMIT = `
local now = tonumber(ARGV[1])
local win = tonumber(ARGV[2])
local start = tonumber(redis.call('HGET', KEYS[1], 'start') or '-1')
if start < 0 or now - start >= win then
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[1], 'start', now)
  start = now
end
local count = redis.call('HINCRBY', KEYS[1], 'count', 1)
redis.call('PEXPIRE', KEYS[1], win * 2 + 60000)
return { count, tostring(start) }
`;

const TAKE_HOLD = `
if redis.call('HGET', KEYS[1], 'holder') == ARGV[1] then
  redis.call('HDEL', KEYS[1], 'holder')
  return 1
end
return 0
`;

type Scripted = RedisClient & {
  casFloodAdmit(numKeys: number, ...args: Array<string | number>): Promise<[number, string]>;
  casFloodTake(numKeys: number, ...args: Array<string | number>): Promise<number>;
};

export interface SharedGateOptions<R> {
  redis: RedisClient;
  prefix: string;
  max: number;
  windowMs: number;
  redisTimeoutMs: number;
  now?: () => number;
  flush: (chatId: number, replies: R[]) => Promise<void>;
  onError?: (err: unknown) => void;
  onWarn?: (msg: string, fields: Record<string, unknown>) => void;
  /** A dead process's chat turn is taken over after this (ms). */
  leaseMs?: number;
}

interface Held<R> {
  replies: R[];
  token: string;
  timer?: NodeJS.Timeout;
}

let seq = 0;

export class SharedChatGate<R> {
  readonly local: ChatGate<R>;
  readonly turns: ChatTurns;
  private readonly redis: Scripted;
  private readonly now: () => number;
  /** Window start seen at the last admit, per chat (for when held replies are due). */
  private readonly starts = new Map<number, number>();
  private readonly held = new Map<number, Held<R>>();
  /** Runs of each chat in this process, so the fallback also waits for them. */
  private readonly active = new Map<number, Set<Promise<unknown>>>();
  private readonly me = `${process.pid}.${Date.now().toString(36)}.${++seq}`;
  private closed = false;

  constructor(private readonly opts: SharedGateOptions<R>) {
    this.local = new ChatGate<R>(opts);
    this.turns = new ChatTurns(opts.redis, opts.prefix, {
      timeoutMs: opts.redisTimeoutMs,
      ...(opts.leaseMs ? { leaseMs: opts.leaseMs } : {}),
      ...(opts.onWarn ? { onWarn: opts.onWarn } : {}),
    });
    const r = opts.redis as Scripted;
    if (typeof r.casFloodAdmit !== 'function') r.defineCommand('casFloodAdmit', { lua: ADMIT });
    if (typeof r.casFloodTake !== 'function') r.defineCommand('casFloodTake', { lua: TAKE_HOLD });
    this.redis = r;
    this.now = opts.now ?? Date.now;
  }

  private floodKey(chatId: number): string {
    return chatKey(this.opts.prefix, chatId, 'flood');
  }

  /** Run `fn` in this update's turn of its chat (every process); in this process's order if Redis is unusable. */
  async run<T>(chatId: number, updateId: number, fn: () => Promise<T>): Promise<T> {
    const turn = await this.turns.acquire(chatId, updateId);
    if (!turn) {
      // Fallback: after whatever this process is running for the chat, then in arrival order.
      const running = [...(this.active.get(chatId) ?? [])];
      return this.local.run(chatId, async () => {
        await Promise.allSettled(running);
        return fn();
      });
    }
    const p = fn();
    let set = this.active.get(chatId);
    if (!set) this.active.set(chatId, (set = new Set()));
    set.add(p);
    try {
      return await p;
    } finally {
      set.delete(p);
      if (set.size === 0) this.active.delete(chatId);
      await turn.release();
    }
  }

  /** Count one update from the chat (in every process's window) and say how its replies should go. */
  async admit(chatId: number): Promise<Admission> {
    let count: number;
    try {
      if (!this.turns.breaker.usable()) throw new Error('Redis unavailable (recent failure)');
      const [c, start] = await withTimeout(
        this.redis.casFloodAdmit(1, this.floodKey(chatId), this.now(), this.opts.windowMs),
        this.opts.redisTimeoutMs,
        'flood count',
      );
      count = Number(c);
      this.starts.set(chatId, Number(start));
      if (this.starts.size > 10_000) this.starts.delete(this.starts.keys().next().value!);
    } catch (err) {
      this.turns.breaker.trip();
      this.opts.onWarn?.('flood count: Redis unavailable, counting in this process', { err: (err as Error)?.message });
      this.starts.delete(chatId); // its replies are held by the fallback too
      return this.local.admit(chatId);
    }
    if (count <= this.opts.max) return 'normal';
    return count === this.opts.max + 1 ? 'notify' : 'hold';
  }

  /** Keep only the latest replies (they carry the current question); this process is now the one to send them. */
  hold(chatId: number, replies: R[]): void {
    if (!replies.length || this.closed) return;
    if (!this.starts.has(chatId)) {
      // Counted by the fallback: held by it too.
      this.local.hold(chatId, replies);
      return;
    }
    const prev = this.held.get(chatId);
    const token = `${this.me}.${++seq}`;
    const entry: Held<R> = { replies, token, ...(prev?.timer ? { timer: prev.timer } : {}) };
    this.held.set(chatId, entry);
    void withTimeout(this.redis.hset(this.floodKey(chatId), 'holder', token), this.opts.redisTimeoutMs, 'flood hold').catch(() => undefined);
    if (!entry.timer) {
      const left = this.opts.windowMs - (this.now() - (this.starts.get(chatId) ?? this.now()));
      // Real time, not the counting clock: the person is waiting for this.
      entry.timer = setTimeout(() => void this.release(chatId), Math.max(0, Math.min(this.opts.windowMs, left)));
      entry.timer.unref?.();
    }
  }

  /** Forget held replies everywhere (quick exit: nothing may be sent afterwards). */
  drop(chatId: number): void {
    const h = this.held.get(chatId);
    if (h?.timer) clearTimeout(h.timer);
    this.held.delete(chatId);
    this.local.drop(chatId);
    void withTimeout(this.redis.hdel(this.floodKey(chatId), 'holder'), this.opts.redisTimeoutMs, 'flood drop').catch(() => undefined);
  }

  private async release(chatId: number): Promise<void> {
    const h = this.held.get(chatId);
    this.held.delete(chatId);
    if (!h || this.closed) return;
    if (h.timer) clearTimeout(h.timer);
    // Only the latest holder sends; Redis unreadable: send (a stale question beats a silent bot).
    const mine = await withTimeout(this.redis.casFloodTake(1, this.floodKey(chatId), h.token), this.opts.redisTimeoutMs, 'flood release').then(
      (n) => n === 1,
      () => true,
    );
    if (!mine) return;
    await this.local.run(chatId, () => this.opts.flush(chatId, h.replies)).catch((err) => this.opts.onError?.(err));
  }

  /** Release every held window now (graceful stop, tests). */
  async releaseAll(): Promise<void> {
    for (const chatId of [...this.held.keys()]) await this.release(chatId);
    await this.local.releaseAll();
  }

  close(): void {
    this.closed = true;
    for (const h of this.held.values()) if (h.timer) clearTimeout(h.timer);
    this.held.clear();
    this.local.close();
  }
}
