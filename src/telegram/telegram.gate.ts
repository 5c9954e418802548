/**
 * Per-chat traffic control, in process:
 * - updates from one chat run one at a time, in arrival order (telegraf handles
 *   a polling batch or concurrent webhook calls in parallel; a draft must not be
 *   advanced by two answers at once);
 * - a flood (more than `max` updates in `windowMs`) is still processed in full
 *   — every answer and message is kept — but replies are held: the person is
 *   told once, and when the window ends only the latest held replies go out
 *   (the question they are now on, or one acknowledgement).
 * Crisis replies never pass through here; they are sent at once.
 */
export type Admission = 'normal' | 'notify' | 'hold';

interface Window<R> {
  start: number;
  count: number;
  notified: boolean;
  held?: { chatId: number; replies: R[] };
  timer?: NodeJS.Timeout;
}

export interface ChatGateOptions<R> {
  max: number;
  windowMs: number;
  /** Counting clock (ms); tests may pin it so a whole flood falls in one window. */
  now?: () => number;
  /** Sends the latest held replies when a flood window ends. */
  flush: (chatId: number, replies: R[]) => Promise<void>;
  onError?: (err: unknown) => void;
}

export class ChatGate<R> {
  private readonly chains = new Map<number, Promise<unknown>>();
  private readonly windows = new Map<number, Window<R>>();
  private readonly now: () => number;
  private closed = false;

  constructor(private readonly opts: ChatGateOptions<R>) {
    this.now = opts.now ?? Date.now;
  }

  /** Run `fn` after every earlier update of this chat has finished. */
  run<T>(chatId: number, fn: () => Promise<T>): Promise<T> {
    const prev = this.chains.get(chatId) ?? Promise.resolve();
    const next = prev.catch(() => {}).then(fn);
    const tail = next.catch(() => {});
    this.chains.set(chatId, tail);
    void tail.then(() => {
      if (this.chains.get(chatId) === tail) this.chains.delete(chatId);
    });
    return next;
  }

  /** Count one update from the chat and say how its replies should go. */
  admit(chatId: number): Admission {
    const now = this.now();
    let w = this.windows.get(chatId);
    if (!w || (now - w.start >= this.opts.windowMs && !w.timer)) {
      w = { start: now, count: 0, notified: false };
      this.windows.set(chatId, w);
    }
    w.count++;
    if (w.count <= this.opts.max) return 'normal';
    if (!w.timer && !this.closed) {
      // Real time, not the counting clock: the person is waiting for this.
      w.timer = setTimeout(() => void this.release(chatId), this.opts.windowMs);
      w.timer.unref?.();
    }
    if (w.notified) return 'hold';
    w.notified = true;
    return 'notify';
  }

  /** Keep only the latest replies: they carry the current question. */
  hold(chatId: number, replies: R[]): void {
    const w = this.windows.get(chatId);
    if (!w) return;
    if (replies.length) w.held = { chatId, replies };
  }

  isHolding(chatId: number): boolean {
    const w = this.windows.get(chatId);
    return !!w && w.count > this.opts.max;
  }

  /** Forget held replies (quick exit: nothing may be sent afterwards). */
  drop(chatId: number): void {
    const w = this.windows.get(chatId);
    if (w) delete w.held;
  }

  private async release(chatId: number): Promise<void> {
    const w = this.windows.get(chatId);
    this.windows.delete(chatId);
    if (!w?.held || this.closed) return;
    const held = w.held;
    await this.run(chatId, () => this.opts.flush(held.chatId, held.replies)).catch((err) => this.opts.onError?.(err));
  }

  /** Release every held window now (graceful stop, tests). */
  async releaseAll(): Promise<void> {
    for (const [chatId, w] of [...this.windows]) {
      if (w.timer) clearTimeout(w.timer);
      await this.release(chatId);
    }
  }

  close(): void {
    this.closed = true;
    for (const w of this.windows.values()) if (w.timer) clearTimeout(w.timer);
    this.windows.clear();
  }
}
