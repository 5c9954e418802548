import { TelegramError, type Telegram } from 'telegraf';
import { TELEGRAM_BOT_BUDGET, type RateBudgets } from '../delivery/rate-budget.js';
import { withTimeout } from '../lib/timeout.js';
import type { RedisBreaker } from './chat-turns.js';

/**
 * The bot's own replies in a conversation (intake questions, command and
 * button answers, held flood replies) on the bot-wide send budget the delivery
 * worker paces itself by (delivery/rate-budget.ts, limiter `telegram_bot`), so
 * the two together stay under the platform's messages per second:
 *
 * - before a message goes out it takes a turn at the budget's send gate; a
 *   turn up to `maxWaitMs` (1 s) away is waited for, a later one is not taken
 *   (the reply goes at once: a person in a chat does not wait on a reminder
 *   burst), nor is the gate asked while Redis is down or slow (the breaker
 *   shared with the chat turns, each call bounded);
 * - a 429 (parameters.retry_after) is waited out and the call made again, at
 *   most `maxRetries` times and `maxRetryWaitMs` in all, so the reply arrives
 *   instead of being dropped; the bot-wide budget is held for up to a second so
 *   the delivery worker backs off too. Other errors go to the caller as before.
 *
 * Applied to each update's ctx.telegram (telegram.bot.ts), never to the client
 * the emergency reply uses (crisis-reply.ts): a crisis never waits for a turn.
 */
export interface ReplyPacingOptions {
  /** Longest wait for a turn (ms); a turn further away is not taken and the reply goes at once. */
  maxWaitMs?: number;
  maxRetries?: number;
  /** Longest total wait for 429s of one call (ms). */
  maxRetryWaitMs?: number;
  /** Waits for a turn and for retry_after (tests hold or shorten them). */
  sleep?: (ms: number) => Promise<void>;
}

/** Methods that put a message in a chat: what the platform counts per second, and what takes a turn. */
const PACED = new Set([
  'sendMessage',
  'sendPhoto',
  'sendDocument',
  'sendVideo',
  'sendAudio',
  'sendVoice',
  'sendAnimation',
  'sendSticker',
  'sendLocation',
  'sendContact',
  'sendVenue',
  'sendPoll',
  'sendDice',
  'sendMediaGroup',
  'copyMessage',
  'copyMessages',
  'forwardMessage',
  'forwardMessages',
]);
/** Also retried after a 429 (no turn: they add no message). */
const RETRIED = new Set([...PACED, 'editMessageText', 'editMessageReplyMarkup', 'answerCallbackQuery', 'deleteMessage', 'deleteMessages']);

/** The longest a Redis call of the turn may take (ms), whatever the chat turn's bound. */
const REDIS_BOUND_MS = 500;
/** The platform's hold on the whole bot after an interactive 429, at most (as the delivery worker does). */
const BOT_PAUSE_MAX_MS = 1000;

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class ReplyPacer {
  private readonly maxWaitMs: number;
  private readonly maxRetries: number;
  private readonly maxRetryWaitMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly redisTimeoutMs: number;

  constructor(
    private readonly budgets: Pick<RateBudgets, 'gate' | 'pause'>,
    private readonly breaker: RedisBreaker,
    redisTimeoutMs: number,
    private readonly onWarn: (msg: string, fields: Record<string, unknown>) => void = () => {},
    opts: ReplyPacingOptions = {},
  ) {
    this.maxWaitMs = opts.maxWaitMs ?? 1000;
    this.maxRetries = opts.maxRetries ?? 2;
    this.maxRetryWaitMs = opts.maxRetryWaitMs ?? 5000;
    this.sleep = opts.sleep ?? realSleep;
    this.redisTimeoutMs = Math.min(redisTimeoutMs, REDIS_BOUND_MS);
  }

  /** Pace this client's messages and retry its 429s (the same instance, its callApi wrapped). */
  pace<T extends Telegram>(telegram: T): T {
    const call = telegram.callApi.bind(telegram) as (method: string, payload: unknown, extra?: unknown) => Promise<unknown>;
    const paced = async (method: string, payload: unknown, extra?: unknown): Promise<unknown> => {
      if (!RETRIED.has(method)) return call(method, payload, extra);
      let waited = 0;
      for (let retry = 0; ; retry++) {
        if (PACED.has(method)) await this.turn();
        try {
          return await call(method, payload, extra);
        } catch (err) {
          const ms = retryAfterMs(err);
          if (ms === undefined || retry >= this.maxRetries || waited + ms > this.maxRetryWaitMs) throw err;
          waited += ms;
          this.holdBot(ms);
          await this.sleep(ms);
        }
      }
    };
    telegram.callApi = paced as Telegram['callApi'];
    return telegram;
  }

  /** Take a turn at the bot-wide send gate and wait for it, if it is near and Redis answers in time. */
  async turn(): Promise<void> {
    if (!this.breaker.usable()) return;
    let wait: number;
    try {
      wait = await withTimeout(this.budgets.gate([TELEGRAM_BOT_BUDGET], this.maxWaitMs), this.redisTimeoutMs, 'reply send turn');
    } catch (err) {
      this.breaker.trip();
      this.onWarn('reply send turn: Redis unavailable, sending without a turn', { err: (err as Error)?.message });
      return;
    }
    // Further than the longest wait: the gate did not record it, and the reply goes now.
    if (wait > 0 && wait <= this.maxWaitMs) await this.sleep(wait);
  }

  /** A 429 on a reply: hold the bot-wide budget briefly so the delivery worker backs off too (not waited for). */
  private holdBot(ms: number): void {
    if (!this.breaker.usable()) return;
    void withTimeout(this.budgets.pause(TELEGRAM_BOT_BUDGET, Math.min(ms, BOT_PAUSE_MAX_MS)), this.redisTimeoutMs, 'reply 429 pause').catch(() =>
      this.breaker.trip(),
    );
  }
}

/** Telegram's "retry after" of a 429, in ms; undefined for any other error. */
function retryAfterMs(err: unknown): number | undefined {
  if (!(err instanceof TelegramError) || err.code !== 429) return undefined;
  const s = Number(err.parameters?.retry_after ?? 1);
  return Math.max(1, Number.isFinite(s) ? s : 1) * 1000;
}
