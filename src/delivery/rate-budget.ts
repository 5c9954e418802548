import { budgetPrefix, type RedisClient as Redis } from '../lib/redis.js';
import type { Config } from '../config.js';

/**
 * Send budgets shared by every worker process through Redis (the platforms
 * count per bot / per chat / per channel, not per process):
 * - Telegram: TELEGRAM_MESSAGES_PER_SECOND for the whole bot and
 *   TELEGRAM_CHAT_MESSAGES_PER_SECOND per chat;
 * - Slack: SLACK_CHANNEL_MESSAGES_PER_SECOND per channel or DM.
 *
 * Evenly spaced slots, reserved ahead (GCRA without burst tolerance). Each
 * key keeps the earliest time its next message may go ("next free"); a send
 * reserves the first instant free on ALL its keys and moves each key's next
 * free time one interval (1000 ms / rate) past it, atomically in one Lua
 * script on Redis's own clock. The caller then waits until its slot, and a
 * second script, the gate, spaces the actual requests at the moment of
 * sending (gate(): timer lag must not bunch them).
 *
 * Why not counting windows: the platforms count over any rolling second.
 * Fixed one-second windows let a full window's worth go at the end of one
 * second and again at the start of the next (≈ 2× the rate over a short
 * stretch), which drew 429s and a bot-wide pause in the burst benchmark.
 * Slots 1/rate apart never put more than `rate` messages in any second.
 *
 * A platform 429 moves the key's next free time to "now + retry_after", so
 * every process waits, not just the one that was told.
 */
export type BudgetKey = { limiter: 'telegram_bot' | 'telegram_chat' | 'slack_channel'; id: string };

/** The whole bot's budget: the delivery worker's sends and the bot's own replies in a conversation (telegram/reply-pacing.ts). */
export const TELEGRAM_BOT_BUDGET: BudgetKey = { limiter: 'telegram_bot', id: 'bot' };

/** What a sender asks of the budgets (send-now.ts hands urgent sends a Redis-bounded one). */
export type SendBudgets = Pick<RateBudgets, 'reserve' | 'gate' | 'pause' | 'lateToleranceMs'>;

/** The reserved slot: `waitMs` from now (0 = go now), when that is by this host's clock, and by Redis's. */
export interface Slot {
  waitMs: number;
  at: number;
  redisAt: number;
}

// Lua the scripts share. NOW: the time by Redis's clock, in ms.
const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000`;
// `v` becomes the latest next free time of all KEYS (now if none is later).
const latestNextFree = (v: string) => `local ${v} = now
for i = 1, #KEYS do
  local nf = tonumber(redis.call('GET', KEYS[i]) or '0')
  if nf > ${v} then ${v} = nf end
end`;
// KEYS[i]'s next free time becomes `nf` (kept a minute past it).
const SET_NEXT_FREE = `redis.call('SET', KEYS[i], string.format('%.3f', nf), 'PX', math.ceil(nf - now) + 60000)`;

// KEYS: the budget keys; ARGV: interval (ms) and 'shared' (1/0) per key. Returns the wait and the
// slot, in ms (strings, 3 decimals). A shared key (the whole bot) is only moved on when it is what
// decides the slot: a message held back by its own chat's 1/s must not take a bot-wide slot a second
// ahead and leave the bot idle until then (the send gate still spaces the real send).
const RESERVE = `
${NOW}
${latestNextFree('slot')}
for i = 1, #KEYS do
  local interval = tonumber(ARGV[2 * i - 1])
  local nf = math.max(tonumber(redis.call('GET', KEYS[i]) or '0'), now)
  if ARGV[2 * i] == '0' or slot - nf < interval then
    nf = slot + interval
    ${SET_NEXT_FREE}
  end
end
return { string.format('%.3f', slot - now), string.format('%.3f', slot) }
`;

// The send gate: GCRA in virtual time, each turn recorded as it is handed out. KEYS: the gate keys
// (each holds the earliest time the next turn may be, moved forward by a platform pause too); ARGV: the
// interval (ms) per key, then the longest turn worth taking (ms). The turn is the first instant free on every
// key; each key's next turn is one interval after it — after the turn, not after whenever the caller
// actually sends, so a caller woken late does not push everyone after it back (no drift), and turns stay
// one interval apart (no bunching). A turn further away than the longest is only reported, not recorded
// (the caller waits as a delayed job and asks again: recording unused turns would push later ones back).
// Returns the wait in ms (3 decimals).
const GATE = `
${NOW}
${latestNextFree('at')}
if at - now > tonumber(ARGV[#ARGV]) then return string.format('%.3f', at - now) end
for i = 1, #KEYS do
  local nf = at + tonumber(ARGV[i])
  ${SET_NEXT_FREE}
end
return string.format('%.3f', at - now)
`;

// KEYS: the keys to hold; ARGV[1]: pause (ms). Next free = max(next free, now + pause).
const PAUSE = `
${NOW}
for i = 1, #KEYS do
  local nf = math.max(tonumber(redis.call('GET', KEYS[i]) or '0'), now + tonumber(ARGV[1]))
  ${SET_NEXT_FREE}
end
return 1
`;

type Scripted = Redis & {
  casReserveSlot(numKeys: number, ...args: Array<string | number>): Promise<[string, string]>;
  casGateSlot(numKeys: number, ...args: Array<string | number>): Promise<string>;
  casPauseSlot(numKeys: number, ...args: Array<string | number>): Promise<number>;
};

export class RateBudgets {
  private readonly redis: Scripted;
  private readonly intervalMs: Record<BudgetKey['limiter'], number>;
  private readonly prefix: string;

  constructor(
    redis: Redis,
    config: Pick<Config, 'QUEUE_PREFIX' | 'TELEGRAM_MESSAGES_PER_SECOND' | 'TELEGRAM_CHAT_MESSAGES_PER_SECOND' | 'SLACK_CHANNEL_MESSAGES_PER_SECOND'>,
  ) {
    const r = redis as Scripted;
    if (typeof r.casReserveSlot !== 'function') r.defineCommand('casReserveSlot', { lua: RESERVE });
    if (typeof r.casGateSlot !== 'function') r.defineCommand('casGateSlot', { lua: GATE });
    if (typeof r.casPauseSlot !== 'function') r.defineCommand('casPauseSlot', { lua: PAUSE });
    this.redis = r;
    // One hash tag for every budget key: a send's bot and chat keys go to one script (one cluster slot).
    this.prefix = budgetPrefix(config.QUEUE_PREFIX);
    this.intervalMs = {
      telegram_bot: 1000 / config.TELEGRAM_MESSAGES_PER_SECOND,
      telegram_chat: 1000 / config.TELEGRAM_CHAT_MESSAGES_PER_SECOND,
      slack_channel: 1000 / config.SLACK_CHANNEL_MESSAGES_PER_SECOND,
    };
  }

  /**
   * How late a send may wake after its turn and still go on it without landing on top of the next turn: under
   * half the tightest interval of its keys, and never under `floorMs`. A Telegram send keeps the floor (the bot's
   * 34 ms at 29/s); a message to a Slack DM (1 s) may be 450 ms late instead of giving up its whole second.
   */
  lateToleranceMs(keys: BudgetKey[], floorMs: number): number {
    const tightest = Math.min(...keys.map((k) => this.intervalMs[k.limiter]));
    return Math.max(floorMs, Math.floor(tightest * 0.45));
  }

  private key(k: BudgetKey, part: 'slot' | 'gate' = 'slot'): string {
    return `${this.prefix}:${part}:${k.limiter}:${k.id}`;
  }

  /**
   * Reserve the next slot free on every key. The slot is ours whether or not
   * we use it: a reservation that is never sent only leaves a gap, never a
   * burst.
   */
  async reserve(keys: BudgetKey[]): Promise<Slot> {
    const [wait, slot] = await this.redis.casReserveSlot(
      keys.length,
      ...keys.map((k) => this.key(k)),
      ...keys.flatMap((k) => [this.intervalMs[k.limiter], k.limiter === 'telegram_bot' ? 1 : 0]),
    );
    const waitMs = Math.max(0, Math.ceil(Number(wait)));
    return { waitMs, at: Date.now() + waitMs, redisAt: Number(slot) };
  }

  /**
   * At the moment of sending, once: the caller's turn, in ms from now (0 = go now), already recorded, so
   * the caller sleeps for it and sends without asking again (no polling). Reserved slots queue the sends;
   * this gate spaces the actual requests one interval apart whatever timer lag did to the slots (late
   * sends do not bunch), counting from the previous turn rather than from the previous send (a late send
   * does not push the schedule back). A caller woken well after its turn asks once more (send.service).
   * A turn more than `maxTurnMs` away is reported and not recorded (the caller does not wait for it
   * in-process and asks again later). No tolerance: with half an interval of it (GCRA's burst) the burst
   * benchmark drew 429s, the requests' own arrival jitter making 31 in some second at the platform.
   */
  async gate(keys: BudgetKey[], maxTurnMs = Number.MAX_SAFE_INTEGER): Promise<number> {
    const reply = await this.redis.casGateSlot(keys.length, ...keys.map((k) => this.key(k, 'gate')), ...keys.map((k) => this.intervalMs[k.limiter]), maxTurnMs);
    return Math.ceil(Number(reply));
  }

  /** The platform said "retry after": nobody sends, nor gets a slot, on this key until then. */
  async pause(key: BudgetKey, ms: number): Promise<void> {
    await this.redis.casPauseSlot(2, this.key(key), this.key(key, 'gate'), Math.max(1, Math.ceil(ms)));
  }
}
