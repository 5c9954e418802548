/**
 * How a platform call failed, decided by the sender that knows the platform.
 * The send service turns each into a row outcome: wait and retry (rate limit),
 * give up with a reason (permanent), or retry with backoff (transient).
 */
export class RateLimitedSendError extends Error {
  readonly code = 'DELIVERY_RATE_LIMITED';
  constructor(
    readonly retryAfterMs: number,
    readonly scope: string,
  ) {
    super(`rate limited by the platform for ${retryAfterMs} ms (${scope})`);
    this.name = 'RateLimitedSendError';
  }
}

/** The platform will never accept this message (blocked bot, archived channel…): retrying cannot help. */
export class PermanentSendError extends Error {
  readonly code = 'DELIVERY_PERMANENT_FAILURE';
  constructor(readonly reason: string) {
    super(`permanent delivery failure: ${reason}`);
    this.name = 'PermanentSendError';
  }
}

/** Anything else (5xx, network, timeout): retried with exponential backoff and jitter. */
export class TransientSendError extends Error {
  readonly code = 'DELIVERY_TRANSIENT_FAILURE';
  constructor(readonly reason: string) {
    super(`transient delivery failure: ${reason}`);
    this.name = 'TransientSendError';
  }
}

/**
 * The call was cut because this process is shutting down. With no answer the
 * row goes back to pending at once (no attempt used) for the next worker.
 */
export class InterruptedSendError extends Error {
  readonly code = 'DELIVERY_INTERRUPTED';
  constructor() {
    super('send interrupted by shutdown');
    this.name = 'InterruptedSendError';
  }
}

/** Reasons that mean the client blocked the bot (also recorded on clients.bot_blocked_at). */
export const CLIENT_BLOCKED = 'client_blocked_bot';
