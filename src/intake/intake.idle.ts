import { DateTime, Duration, type DurationLike } from 'luxon';
import { isTerminal } from './intake.steps.js';
import type { IntakeState } from './intake.types.js';

// Idle drafts.

const toDuration = (d: DurationLike): Duration => Duration.fromDurationLike(d);

/** An unfinished draft untouched for `ttl` (e.g. 7 days) is expired and should be discarded. */
export function isExpired(state: IntakeState, now: DateTime, ttl: DurationLike): boolean {
  if (isTerminal(state)) return false;
  return now >= DateTime.fromISO(state.updatedAt, { zone: 'utc' }).plus(toDuration(ttl));
}

/** One nudge per idle spell: idle for `idleAfter` (e.g. 24 h) and not nudged since the last activity. */
export function needsNudge(state: IntakeState, now: DateTime, idleAfter: DurationLike, nudgedAt?: string | DateTime | null): boolean {
  if (isTerminal(state)) return false;
  const updated = DateTime.fromISO(state.updatedAt, { zone: 'utc' });
  if (now < updated.plus(toDuration(idleAfter))) return false;
  if (!nudgedAt) return true;
  const nudged = typeof nudgedAt === 'string' ? DateTime.fromISO(nudgedAt, { zone: 'utc' }) : nudgedAt;
  return nudged < updated;
}
