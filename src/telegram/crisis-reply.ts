import { TelegramError, type Telegram } from 'telegraf';
import type { Logger } from '../lib/logger.js';
import { metrics } from '../lib/metrics.js';

/**
 * The emergency reply to a crisis message, sent ahead of everything else and
 * retried until Telegram accepts it. It needs nothing but the Bot API: no
 * PostgreSQL, no Redis, no other update's work (the chat queue, the polling
 * batch). A 429 is waited out for as long as Telegram asks; other errors back
 * off (0.5 s doubling, at most 30 s) until `giveUpAfterMs`. Only "blocked by
 * the user" (403) and a malformed request (400) end it early.
 *
 * Durability across a restart is the ledger's job: the crisis record plans a
 * `crisis_reply` row due a little later (crisis.service.ts); when this
 * in-process send succeeds first, that row is marked sent with the message id,
 * and when the process died first, the delivery worker sends it.
 *
 * A redelivered update (at-least-once polling, a webhook retry, the guard
 * releasing a failed update) is answered once: outcomes are kept per update_id.
 */
export interface CrisisReplyOutcome {
  ok: boolean;
  messageId?: number;
  attempts: number;
  /** Why it stopped without success. */
  reason?: 'blocked' | 'bad_request' | 'gave_up' | 'handed_over' | 'closed';
}

export interface CrisisReplyOptions {
  /** Per-attempt HTTP timeout (ms). */
  attemptTimeoutMs?: number;
  /** Stop retrying in process after this long (ms); the ledger row takes over. */
  giveUpAfterMs?: number;
  /** Waits between attempts (tests may shorten; 429's retry_after is always honoured). */
  sleep?: (ms: number) => Promise<void>;
  onSent?: (chatId: number, messageId: number) => void;
}

interface Entry {
  promise: Promise<CrisisReplyOutcome>;
  /** Once the ledger row exists: stop retrying at this time (ms), and let the worker send it. */
  handOverAt?: number;
}

const REMEMBER = 5000;
const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref?.());

export class CrisisReplies {
  private readonly byUpdate = new Map<number, Entry>();
  private readonly pending = new Set<Promise<unknown>>();
  private closed = false;
  private readonly wakers = new Set<() => void>();
  private readonly attemptTimeoutMs: number;
  private readonly giveUpAfterMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly telegram: () => Telegram,
    private readonly logger: Pick<Logger, 'warn' | 'error' | 'info'>,
    private readonly opts: CrisisReplyOptions = {},
  ) {
    this.attemptTimeoutMs = opts.attemptTimeoutMs ?? 10_000;
    this.giveUpAfterMs = opts.giveUpAfterMs ?? 15 * 60_000;
    this.sleep = opts.sleep ?? realSleep;
  }

  /** Start (or join) the emergency reply for this update. Never throws. */
  start(updateId: number, chatId: number, text: string, replyMarkup?: object): Promise<CrisisReplyOutcome> {
    const known = this.byUpdate.get(updateId);
    if (known) return known.promise;
    const entry: Entry = { promise: Promise.resolve({ ok: false, attempts: 0 }) };
    entry.promise = this.run(entry, chatId, text, replyMarkup).then((o) => {
      metrics.crisisReplies.inc({ outcome: o.ok ? 'sent' : (o.reason ?? 'failed'), retried: String(o.attempts > 1) });
      return o;
    });
    this.byUpdate.set(updateId, entry);
    if (this.byUpdate.size > REMEMBER) this.byUpdate.delete(this.byUpdate.keys().next().value!);
    this.pending.add(entry.promise);
    void entry.promise.finally(() => this.pending.delete(entry.promise));
    return entry.promise;
  }

  /** The ledger row for this reply exists and is due at `dueAtMs`: stop retrying a little before, so only one of us sends. */
  handOver(updateId: number, dueAtMs: number): void {
    const e = this.byUpdate.get(updateId);
    if (e) e.handOverAt = dueAtMs - 5_000;
  }

  outcome(updateId: number): Promise<CrisisReplyOutcome> | undefined {
    return this.byUpdate.get(updateId)?.promise;
  }

  /** Keep background crisis work (recording, linking the ledger row) in the set that settle() waits for. */
  track(p: Promise<unknown>): void {
    const q = p.catch((err: unknown) => this.logger.error({ err: (err as Error)?.message }, 'crisis background work failed'));
    this.pending.add(q);
    void q.finally(() => this.pending.delete(q));
  }

  isClosed(): boolean {
    return this.closed;
  }

  /** A wait that ends early when the bot closes (graceful stop must not wait out a backoff). */
  wait(ms: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const wake = () => {
        this.wakers.delete(wake);
        resolve();
      };
      this.wakers.add(wake);
      void this.sleep(ms).then(wake);
    });
  }

  /** Wait for every reply in flight (tests, graceful stop). */
  async settle(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  /** Graceful stop: retries end at their next wait; rows already planned are sent by the workers. */
  close(): void {
    this.closed = true;
    for (const wake of [...this.wakers]) wake();
  }

  private async run(entry: Entry, chatId: number, text: string, replyMarkup?: object): Promise<CrisisReplyOutcome> {
    const started = Date.now();
    let backoff = 500;
    for (let attempt = 1; ; attempt++) {
      try {
        const m = await this.telegram().callApi('sendMessage', { chat_id: chatId, text, ...(replyMarkup ? { reply_markup: replyMarkup } : {}) } as never, {
          signal: AbortSignal.timeout(this.attemptTimeoutMs) as never,
        });
        const messageId = typeof m === 'object' && m ? (m as { message_id?: number }).message_id : undefined;
        if (messageId !== undefined) this.opts.onSent?.(chatId, messageId);
        if (attempt > 1) this.logger.info({ attempts: attempt }, 'crisis reply sent after retrying');
        return { ok: true, attempts: attempt, ...(messageId !== undefined ? { messageId } : {}) };
      } catch (err) {
        const code = err instanceof TelegramError ? err.code : undefined;
        if (code === 403) return { ok: false, attempts: attempt, reason: 'blocked' };
        if (code === 400) {
          this.logger.error({ code }, 'crisis reply refused as a bad request');
          return { ok: false, attempts: attempt, reason: 'bad_request' };
        }
        const retryAfterMs = err instanceof TelegramError ? Number(err.parameters?.retry_after ?? 0) * 1000 : 0;
        const wait = Math.max(retryAfterMs, backoff * (0.8 + Math.random() * 0.4));
        backoff = Math.min(backoff * 2, 30_000);
        const now = Date.now();
        const stopAt = Math.min(started + this.giveUpAfterMs, entry.handOverAt ?? Number.POSITIVE_INFINITY);
        this.logger.warn({ attempt, code: code ?? 'network', retryInMs: Math.round(wait) }, 'crisis reply not accepted yet; retrying');
        if (this.closed) return { ok: false, attempts: attempt, reason: 'closed' };
        if (now + wait > stopAt) {
          const reason = entry.handOverAt !== undefined && now + wait > entry.handOverAt ? 'handed_over' : 'gave_up';
          this.logger.error({ attempts: attempt, reason }, 'crisis reply: in-process retries end here');
          return { ok: false, attempts: attempt, reason };
        }
        await this.wait(wait);
        if (this.closed) return { ok: false, attempts: attempt, reason: 'closed' };
      }
    }
  }
}
