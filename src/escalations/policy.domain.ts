import type { DateTime } from 'luxon';
import { type WorkingHours, addWorkingHours, nextWorkingMoment } from '../lib/working-time.js';
import { DEFAULT_QUIET_THRESHOLDS, ms, type EscalationPolicy, type QuietThresholds } from './policy.config.js';
import { isValidZone } from '../lib/time-zone.js';

/**
 * Escalation policy: when a case needs a nudge, and who hears about it next.
 * Pure: `now` is a parameter; the table is data (zod-validated, with defaults)
 * so an agency can tune it from env/JSON without a code change.
 *
 * Why this exists (CASEWORK.md): a supervisor must not discover six months later
 * that an open case has no record. Every rule errs towards telling someone.
 */

export type Priority = 'crisis' | 'high' | 'normal' | 'low';
export type EscalationReason = 'follow_up_overdue' | 'quiet_case' | 'unassigned_intake' | 'crisis' | 'no_show_repeat';
type LadderTarget = 'worker' | 'supervisor' | 'supervision_channel';
export type EscalationTarget = LadderTarget | 'oncall_supervisors';

/** Case statuses that end the work; such cases are never quiet or escalated. */
const TERMINAL_CASE_STATUSES: readonly string[] = ['closed', 'withdrawn'];
const isTerminal = (status: string): boolean => TERMINAL_CASE_STATUSES.includes(status);

export * from './policy.config.js';

// ---- quiet cases and overdue follow-ups ---------------------------------------

export interface CaseActivity {
  priority: Priority;
  lastNoteAt: DateTime | null;
  openedAt: DateTime;
  status: string;
}

/**
 * Quiet once a full threshold has passed since the last note (or since the case
 * opened, if it has no note at all): now >= reference + threshold days.
 */
export function isQuiet(c: CaseActivity, now: DateTime, thresholds: QuietThresholds = DEFAULT_QUIET_THRESHOLDS): boolean {
  if (isTerminal(c.status)) return false;
  const since = c.lastNoteAt ?? c.openedAt;
  return now >= since.plus({ milliseconds: thresholds[c.priority] * 86_400_000 });
}

/**
 * Overdue when the follow-up time has passed (nextFollowUpAt < now) and no note
 * was logged after the follow-up was set (lastNoteAt > followUpSetAt). The note
 * that SETS the follow-up usually carries the same timestamp, hence strictly
 * after. Without followUpSetAt we only count notes at or after the due time:
 * that may nudge once too often, but never misses a follow-up.
 */
export function followUpOverdue(
  c: { nextFollowUpAt: DateTime | null; lastNoteAt: DateTime | null; followUpSetAt?: DateTime | null; status?: string },
  now: DateTime,
): boolean {
  if (c.status !== undefined && isTerminal(c.status)) return false;
  if (c.nextFollowUpAt === null || !(c.nextFollowUpAt < now)) return false;
  if (c.lastNoteAt === null) return true;
  const setAt = c.followUpSetAt ?? null;
  return setAt ? !(c.lastNoteAt > setAt) : !(c.lastNoteAt >= c.nextFollowUpAt);
}

// ---- the ladder ---------------------------------------------------------------

export interface EscalationState {
  reason: EscalationReason;
  /** The level last notified (or the starting level when nothing was sent yet). */
  level: number;
  openedAt: DateTime;
  lastNotifiedAt: DateTime | null;
  acknowledgedAt: DateTime | null;
  snoozedUntil: DateTime | null;
  resolvedAt: DateTime | null;
  /** Crisis follow-through: the safety-plan note is due by then (set on acknowledgement)… */
  safetyPlanDueAt?: DateTime | null;
  /** …and was logged (any time, or null). */
  safetyPlanAt?: DateTime | null;
}

export type EscalationStep =
  | { action: 'notify'; level: number; target: EscalationTarget; dueAt: DateTime }
  | { action: 'wait'; until: DateTime }
  | { action: 'none'; reason: 'resolved' | 'acknowledged' };

/** Working hours per target that is a person; targets without an entry (channels) are not moved. */
export type TargetWorkingHours = Partial<Record<EscalationTarget, WorkingHours>>;

/**
 * What to do next for one escalation. Rules:
 * - resolved or acknowledged → none (acknowledging also stops a crisis repeat);
 * - crisis: page on-call supervisors at once, then every crisis.repeatEvery
 *   after the last page, at any hour; snooze is ignored, because a crisis must
 *   be owned (acknowledged), not deferred;
 * - otherwise ONE level at a time. The ladder starts at the reason's start
 *   level (its first notification goes at openedAt); level L is due at
 *   openedAt + (after[L] − after[start]), but never sooner after the previous
 *   level's actual notification than the ladder's own gap between the two, so
 *   every level gets its chance even after downtime or a weekend. The top level
 *   repeats every repeatEvery after its last notification;
 * - a snooze pushes the next notification to snoozedUntil (never earlier);
 * - notifications to a person (a target with working hours given) move to that
 *   person's next working moment; a channel is not a person and is not moved.
 * 'notify' carries the due time it was computed for (<= now): deterministic,
 * so it can be part of a delivery key.
 */
export function nextEscalationStep(input: {
  escalation: EscalationState;
  policy: EscalationPolicy;
  now: DateTime;
  workingHours?: TargetWorkingHours;
}): EscalationStep {
  const { escalation: e, policy, now } = input;
  if (e.resolvedAt) return { action: 'none', reason: 'resolved' };
  const decide = (level: number, target: EscalationTarget, at: DateTime): EscalationStep =>
    at <= now ? { action: 'notify', level, target, dueAt: at.toUTC() } : { action: 'wait', until: at.toUTC() };
  if (e.reason === 'crisis') return crisisStep(e, policy, now, decide, input.workingHours);
  if (e.acknowledgedAt) return { action: 'none', reason: 'acknowledged' };

  const top = policy.levels.length - 1;
  const start = Math.min(policy.startLevel[e.reason] ?? 0, top);
  const afterMs = (l: number): number => ms(policy.levels[l]!.after) - ms(policy.levels[start]!.after);
  const current = Math.min(Math.max(e.level, start), top);

  let level: number;
  let at: DateTime;
  if (!e.lastNotifiedAt) {
    level = current;
    at = e.openedAt.plus({ milliseconds: afterMs(level) });
  } else if (current < top) {
    level = current + 1;
    const byClock = e.openedAt.plus({ milliseconds: afterMs(level) });
    const byGap = e.lastNotifiedAt.plus({ milliseconds: afterMs(level) - afterMs(current) });
    // biome-ignore lint/complexity/useMathMinMax: luxon DateTimes, not numbers (Math.max would return a number)
    at = byClock > byGap ? byClock : byGap;
  } else {
    level = top;
    at = e.lastNotifiedAt.plus({ milliseconds: ms(policy.repeatEvery) });
  }
  if (e.snoozedUntil && e.snoozedUntil > at) at = e.snoozedUntil;

  const target = policy.levels[level]!.target;
  const wh = input.workingHours?.[target];
  return decide(level, target, wh ? nextWorkingMoment(wh, at) : at);
}

/**
 * A crisis pages in tiers (policy.crisis.tiers) every repeatEvery until acknowledged; a tier's
 * start is paged at once even between repeats. Acknowledged, it waits for the safety-plan note:
 * past its deadline with none logged, it pages again from the first tier, measured from the deadline.
 */
function crisisStep(
  e: EscalationState,
  policy: EscalationPolicy,
  now: DateTime,
  decide: (level: number, target: EscalationTarget, at: DateTime) => EscalationStep,
  workingHours?: TargetWorkingHours,
): EscalationStep {
  let base = e.openedAt;
  let last = e.lastNotifiedAt;
  if (e.acknowledgedAt) {
    if (!e.safetyPlanDueAt || e.safetyPlanAt) return { action: 'none', reason: 'acknowledged' };
    base = e.safetyPlanDueAt;
    if (last && last < base) last = null;
  }
  const tiers = policy.crisis.tiers;
  const tierStart = (i: number) => base.plus({ milliseconds: ms(tiers[i]!.after) });
  let at = last ? last.plus({ milliseconds: ms(policy.crisis.repeatEvery) }) : base;
  if (last) {
    const next = tiers.findIndex((_, i) => tierStart(i) > last!);
    if (next >= 0 && tierStart(next) < at) at = tierStart(next);
  }
  // A page that is overdue (workers were down, the sandbox clock jumped) goes to the tier of now:
  // after 40 minutes nobody has seen, the admins hear at once, not one tier per sweep.
  const tierTime = at <= now ? now : at;
  let level = 0;
  tiers.forEach((_, i) => {
    if (tierStart(i) <= tierTime) level = i;
  });
  const target = policy.crisis.target;
  const wh = workingHours?.[target];
  if (!policy.crisis.ignoresWorkingHours && wh) at = nextWorkingMoment(wh, at);
  return decide(level, target, at);
}

/**
 * Auto-resolution. A note logged at or after the escalation opened answers a
 * quiet case, an overdue follow-up or a no-show pattern; a closed/withdrawn case
 * needs no escalation; an unassigned intake is answered by assignment. A crisis
 * never resolves by itself: a note may BE the crisis report, so only an
 * explicit acknowledgement or resolution ends it.
 */
export function shouldResolve(input: {
  reason: EscalationReason;
  lastNoteAt: DateTime | null;
  openedAt: DateTime;
  caseStatus: string;
  assignedAt?: DateTime | null;
}): { resolve: true; why: 'note_logged' | 'case_closed' | 'assigned' } | { resolve: false } {
  if (input.reason === 'crisis') return { resolve: false };
  if (isTerminal(input.caseStatus)) return { resolve: true, why: 'case_closed' };
  if (input.reason === 'unassigned_intake') {
    return input.assignedAt ? { resolve: true, why: 'assigned' } : { resolve: false };
  }
  if (input.lastNoteAt && input.lastNoteAt >= input.openedAt) return { resolve: true, why: 'note_logged' };
  return { resolve: false };
}

/**
 * An intake escalates once `afterWorkingHours` of the intake team's working
 * time pass unassigned (an intake on Friday evening is not "late" on Saturday).
 */
export function unassignedIntakeDue(
  intake: { createdAt: DateTime; assignedAt: DateTime | null },
  workingHours: WorkingHours,
  afterWorkingHours: number,
  now: DateTime,
): { due: boolean; at: DateTime | null } {
  if (intake.assignedAt) return { due: false, at: null };
  const at = addWorkingHours(workingHours, intake.createdAt, afterWorkingHours);
  return { due: now >= at, at };
}

// ---- weekly digest ------------------------------------------------------------

function assertZone(zone: string): void {
  if (!isValidZone(zone)) throw new Error(`"${zone}" is not a valid IANA time zone`);
}

/** The next Monday 09:00 in the supervisor's zone, strictly after `now` (UTC). */
export function weeklyDigestDue(supervisorZone: string, now: DateTime): DateTime {
  assertZone(supervisorZone);
  const local = now.setZone(supervisorZone);
  const thisMonday = local
    .startOf('day')
    .minus({ days: local.weekday - 1 })
    .set({ hour: 9, minute: 0, second: 0, millisecond: 0 });
  const at = thisMonday > now ? thisMonday : thisMonday.plus({ weeks: 1 }).set({ hour: 9, minute: 0 });
  return at.toUTC();
}

/** ISO week of `now` in the supervisor's zone, e.g. '2026-W48': one digest per key. */
export function digestWindowKey(zone: string, now: DateTime): string {
  assertZone(zone);
  const local = now.setZone(zone);
  return `${local.weekYear}-W${String(local.weekNumber).padStart(2, '0')}`;
}
