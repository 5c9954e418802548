/**
 * A sliding-window log limiter shared by the Telegram and Slack emulators.
 *
 * `limit` events are allowed in any window of `windowMs`. With limit 3 and a
 * 3 s window a chat gets a burst of three and ~1 message/s sustained, which is
 * how both platforms behave in practice ("1/s, short bursts tolerated").
 * Only accepted events are recorded, so a client hammering through 429s does
 * not push its own window forward (neither platform punishes that either).
 */
export interface WindowSpec {
  limit: number;
  windowMs: number;
}

export type LimitDecision = { ok: true } | { ok: false; retryAfterMs: number };

export class SlidingWindowLimiter {
  private readonly log = new Map<string, number[]>();

  constructor(
    readonly spec: WindowSpec,
    private readonly now: () => number = Date.now,
  ) {
    if (!(spec.limit > 0) || !(spec.windowMs > 0)) throw new Error('SlidingWindowLimiter: limit and windowMs must be > 0');
  }

  /** Would one more event for `key` be accepted right now? Does not record. */
  check(key: string): LimitDecision {
    const t = this.now();
    const entries = this.prune(key, t);
    if (entries.length < this.spec.limit) return { ok: true };
    const oldest = entries[entries.length - this.spec.limit] ?? t;
    return { ok: false, retryAfterMs: Math.max(1, oldest + this.spec.windowMs - t) };
  }

  record(key: string): void {
    const t = this.now();
    const entries = this.prune(key, t);
    entries.push(t);
    this.log.set(key, entries);
  }

  /** check + record in one step. */
  take(key: string): LimitDecision {
    const d = this.check(key);
    if (d.ok) this.record(key);
    return d;
  }

  reset(): void {
    this.log.clear();
  }

  private prune(key: string, t: number): number[] {
    const entries = this.log.get(key) ?? [];
    let drop = 0;
    while (drop < entries.length && (entries[drop] ?? 0) <= t - this.spec.windowMs) drop++;
    if (drop > 0) entries.splice(0, drop);
    if (entries.length === 0) this.log.delete(key);
    return entries;
  }
}

/** Several limiters that must all agree (e.g. per bot AND per chat). */
export function checkAll(checks: Array<[SlidingWindowLimiter, string]>): LimitDecision {
  let worst = 0;
  for (const [limiter, key] of checks) {
    const d = limiter.check(key);
    if (!d.ok) worst = Math.max(worst, d.retryAfterMs);
  }
  if (worst > 0) return { ok: false, retryAfterMs: worst };
  for (const [limiter, key] of checks) limiter.record(key);
  return { ok: true };
}
