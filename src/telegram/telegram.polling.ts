import type { Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import type { Logger } from '../lib/logger.js';

/**
 * Long polling that never waits for a slow update before taking the next ones.
 *
 * telegraf's own loop handles a batch and only then asks for more, so one
 * update stuck on a dependency (a quick exit waiting on Redis) held every other
 * client's messages — a crisis among them — for up to its 60 s handler timeout.
 * Here each update is handled as soon as it arrives; the next getUpdates is
 * sent at once.
 *
 * Delivery stays at-least-once: the offset given to Telegram never passes an
 * update still being handled, so a process that dies mid-update gets it again
 * after a restart. While a slow update is still unconfirmed Telegram keeps
 * returning it; those copies are skipped, and the loop pauses briefly between
 * such polls rather than spinning.
 */
export interface PollingOptions {
  allowedUpdates: string[];
  /** Long-poll timeout in seconds. */
  timeoutSec?: number;
  /** Pause between polls that brought nothing new while an update is in progress (ms). */
  idleMs?: number;
}

export class ConcurrentPolling {
  private readonly inFlight = new Map<number, Promise<void>>();
  /** Every update below this id has been handled (or was confirmed earlier). */
  private next = 0;
  private stopped = false;
  private abort = new AbortController();
  private loopDone: Promise<void> | undefined;

  constructor(
    private readonly bot: Telegraf<never>,
    private readonly logger: Pick<Logger, 'warn' | 'error' | 'info'>,
    private readonly opts: PollingOptions,
  ) {}

  start(): void {
    this.loopDone = this.loop();
  }

  private offset(): number {
    return this.inFlight.size ? Math.min(...this.inFlight.keys()) : this.next;
  }

  private async loop(): Promise<void> {
    let backoff = 500;
    while (!this.stopped) {
      let updates: Update[];
      try {
        updates = (await this.bot.telegram.callApi(
          'getUpdates',
          {
            offset: this.offset(),
            timeout: this.inFlight.size ? 0 : (this.opts.timeoutSec ?? 50),
            allowed_updates: this.opts.allowedUpdates as never,
          },
          { signal: this.abort.signal as never },
        )) as Update[];
        backoff = 500;
      } catch (err) {
        if (this.stopped) break;
        this.logger.warn({ err: (err as Error)?.message, retryInMs: backoff }, 'telegram getUpdates failed; retrying');
        await this.pause(backoff);
        backoff = Math.min(backoff * 2, 30_000);
        continue;
      }
      let fresh = 0;
      for (const u of updates) {
        if (this.inFlight.has(u.update_id) || u.update_id < this.next) continue;
        fresh++;
        const p = this.bot
          .handleUpdate(u as never)
          .catch((err: unknown) => this.logger.error({ err: (err as Error)?.message }, 'telegram update failed'))
          .finally(() => {
            this.inFlight.delete(u.update_id);
            if (u.update_id >= this.next) this.next = u.update_id + 1;
          });
        this.inFlight.set(u.update_id, p);
      }
      if (fresh === 0 && this.inFlight.size) await this.pause(this.opts.idleMs ?? 250);
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.abort.signal.addEventListener(
        'abort',
        () => {
          clearTimeout(t);
          resolve();
        },
        { once: true },
      );
    });
  }

  /** Stop asking for updates, then wait for those in progress (the caller bounds the wait). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    await this.loopDone;
    await Promise.all([...this.inFlight.values()]);
    // Confirm what was handled, so a restart does not get it again (best effort).
    if (this.next > 0) {
      await this.bot.telegram
        .callApi('getUpdates', { offset: this.next, timeout: 0, limit: 1 }, { signal: AbortSignal.timeout(2000) as never })
        .catch(() => undefined);
    }
  }
}
