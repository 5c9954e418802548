import { chatKey, type RedisClient } from '../lib/redis.js';
import { withTimeout } from '../lib/timeout.js';

/**
 * Whose turn it is in a chat, shared by every app process through Redis, so
 * any number of them can sit behind the webhook: one update of a chat at a
 * time, in update_id order.
 *
 * Per chat (keys tagged `{tg:<chat>}`, one cluster slot): a sorted set of the
 * update ids waiting or running (score = update_id), a hash update id → lease
 * end, and `cur`, the update handling the chat now (a key with a TTL). An
 * update registers as it arrives and goes when it is the lowest id waiting and
 * nobody holds `cur`; it then takes `cur`. So an update that arrives while an
 * earlier one of its chat is still waiting goes after it, whichever process
 * received either. (One that arrives after a later one already started cannot
 * go before it: nobody can know it is coming.)
 *
 * A process that dies: its `cur` lapses after the lease, and its waiting
 * entries are skipped once their lease ends (a live waiter renews its own on
 * every poll; a running update renews `cur` every third of the lease). An
 * update whose process lost its lease (a stall longer than the lease) carries
 * on — the update_id de-duplication still handles it once — and says so in
 * the log.
 *
 * Redis slow or down: every call is bounded; the caller is told (undefined)
 * and keeps order within its own process instead. An update is never dropped
 * or held for longer than `maxWaitMs` because of this.
 */
const ENTER = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local id = ARGV[1]
local lease = tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], 'NX', tonumber(id), id)
redis.call('HSET', KEYS[2], id, now + lease)
redis.call('PEXPIRE', KEYS[1], lease * 4)
redis.call('PEXPIRE', KEYS[2], lease * 4)
local cur = redis.call('GET', KEYS[3])
if cur == id then
  redis.call('PEXPIRE', KEYS[3], lease)
  return 1
end
if cur then return 0 end
while true do
  local head = redis.call('ZRANGE', KEYS[1], 0, 0)[1]
  if head == id then
    redis.call('SET', KEYS[3], id, 'PX', lease)
    return 1
  end
  if not head then return 0 end
  local till = tonumber(redis.call('HGET', KEYS[2], head) or '0')
  if till >= now then return 0 end
  redis.call('ZREM', KEYS[1], head)
  redis.call('HDEL', KEYS[2], head)
end
`;

const LEAVE = `
local mine = redis.call('GET', KEYS[3]) == ARGV[1]
if mine then redis.call('DEL', KEYS[3]) end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
return mine and 1 or 0
`;

/**
 * Redis not connected, or a call timed out in the last few seconds: go straight to the fallback
 * instead of making every update wait out the timeout (twice: turn and flood count) during an outage.
 */
const DOWN = new Set(['reconnecting', 'close', 'end']);

export class RedisBreaker {
  private openUntil = 0;
  private wasReady = false;
  constructor(
    private readonly redis: RedisClient,
    private readonly coolMs = 5000,
  ) {}
  usable(): boolean {
    const status = this.redis.status;
    if (status === 'ready') this.wasReady = true;
    // 'connecting' at start is tried (each call is bounded); a connection being re-made is not,
    // whether ioredis is between attempts ('reconnecting') or in one ('connecting' after it was ready).
    if (DOWN.has(status) || (status === 'connecting' && this.wasReady)) return false;
    return Date.now() >= this.openUntil;
  }
  trip(): void {
    this.openUntil = Date.now() + this.coolMs;
  }
}

type Scripted = RedisClient & {
  casChatEnter(numKeys: number, ...args: Array<string | number>): Promise<number>;
  casChatLeave(numKeys: number, ...args: Array<string | number>): Promise<number>;
};

export interface ChatTurnsOptions {
  /** A dead process's turn is taken over after this (ms). */
  leaseMs?: number;
  /** Bound on each Redis call (ms). */
  timeoutMs: number;
  /** Longest an update waits for its turn before it goes anyway (ms). */
  maxWaitMs?: number;
  onWarn?: (msg: string, fields: Record<string, unknown>) => void;
}

export interface Turn {
  /** End the turn (the next update of the chat, in any process, may go). */
  release(): Promise<void>;
}

export class ChatTurns {
  private readonly redis: Scripted;
  private readonly leaseMs: number;
  private readonly maxWaitMs: number;
  /** Local waiters per chat, woken when a turn of that chat ends in this process. */
  private readonly wakers = new Map<number, Set<() => void>>();
  readonly breaker: RedisBreaker;

  constructor(
    redis: RedisClient,
    private readonly prefix: string,
    private readonly opts: ChatTurnsOptions,
  ) {
    this.breaker = new RedisBreaker(redis);
    const r = redis as Scripted;
    if (typeof r.casChatEnter !== 'function') r.defineCommand('casChatEnter', { lua: ENTER });
    if (typeof r.casChatLeave !== 'function') r.defineCommand('casChatLeave', { lua: LEAVE });
    this.redis = r;
    this.leaseMs = opts.leaseMs ?? 30_000;
    this.maxWaitMs = opts.maxWaitMs ?? 45_000;
  }

  keys(chatId: number): [string, string, string] {
    return [chatKey(this.prefix, chatId, 'turns'), chatKey(this.prefix, chatId, 'leases'), chatKey(this.prefix, chatId, 'cur')];
  }

  private enter(chatId: number, updateId: number): Promise<number> {
    return withTimeout(this.redis.casChatEnter(3, ...this.keys(chatId), String(updateId), this.leaseMs), this.opts.timeoutMs, 'chat turn');
  }

  /**
   * Wait for this update's turn. Undefined: Redis could not be used (the caller keeps order in its
   * own process); a Turn otherwise, also when the wait hit `maxWaitMs` (logged).
   */
  async acquire(chatId: number, updateId: number): Promise<Turn | undefined> {
    const started = Date.now();
    let pause = 5;
    for (;;) {
      let granted: number;
      try {
        if (!this.breaker.usable()) return undefined;
        granted = await this.enter(chatId, updateId);
      } catch (err) {
        this.breaker.trip();
        this.opts.onWarn?.('chat turn: Redis unavailable, keeping order in this process only', { err: (err as Error)?.message });
        // Leave the queue if we can (bounded, not awaited): a dead entry would hold the chat until its lease ends.
        void this.leave(chatId, updateId);
        return undefined;
      }
      if (granted === 1) return this.turn(chatId, updateId);
      if (Date.now() - started > this.maxWaitMs) {
        this.opts.onWarn?.('chat turn: waited too long, going anyway', { waitedMs: Date.now() - started });
        return this.turn(chatId, updateId);
      }
      await this.sleep(chatId, pause);
      pause = Math.min(pause * 2, 100);
    }
  }

  private turn(chatId: number, updateId: number): Turn {
    // Renew the lease while the update runs (a long handler must not lose the chat to a waiter).
    const renew = setInterval(
      () => {
        this.enter(chatId, updateId).then(
          (ok) => {
            if (ok !== 1) this.opts.onWarn?.('chat turn: lease lost while handling an update', {});
          },
          () => undefined,
        );
      },
      Math.max(50, Math.floor(this.leaseMs / 3)),
    );
    renew.unref?.();
    return {
      release: async () => {
        clearInterval(renew);
        await this.leave(chatId, updateId);
        for (const wake of this.wakers.get(chatId) ?? []) wake();
      },
    };
  }

  private async leave(chatId: number, updateId: number): Promise<void> {
    // During an outage the lease ends the turn; the update is not held up waiting to say so.
    if (!this.breaker.usable()) return;
    await withTimeout(this.redis.casChatLeave(3, ...this.keys(chatId), String(updateId)), this.opts.timeoutMs, 'chat turn end').catch(() => undefined); // the lease ends it
  }

  /** Sleep `ms`, or less if a turn of this chat ends in this process. */
  private sleep(chatId: number, ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      let set = this.wakers.get(chatId);
      if (!set) this.wakers.set(chatId, (set = new Set()));
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        if (set.size === 0 && this.wakers.get(chatId) === set) this.wakers.delete(chatId);
        resolve();
      };
      const timer = setTimeout(done, ms);
      set.add(done);
    });
  }
}
