import type { DateTime } from 'luxon';
import { followUpOverdue, isQuiet, type Priority, type QuietThresholds } from '../escalations/policy.domain.js';

/**
 * Pure case-work rules: the phase flow (forward, and back with a reason), the
 * four elements every case needs (goal, plan, how it is assessed, self-help
 * focus), closure requirements, and what makes a case urgent on a caseload.
 * Time is always a parameter.
 */

/** The working phases in order; 'closed' is reached only by closing the case. */
export const PHASE_FLOW = ['intake', 'assessment', 'planning', 'implementation', 'evaluation'] as const;
type WorkingPhase = (typeof PHASE_FLOW)[number];

export const PHASE_LABELS: Record<string, string> = {
  intake: 'Intake',
  assessment: 'Assessment',
  planning: 'Goal setting & planning',
  implementation: 'Implementation',
  evaluation: 'Evaluation',
  closed: 'Closed',
};

/** Slack's own input limit is 3,000 characters; we keep the same so nothing typed is cut. */
export const TEXT_LIMITS = {
  note: 3000,
  message: 3000,
  plan: 3000,
  selfHelp: 1000,
  goal: 500,
  assessment: 500,
  evaluation: 3000,
  reason: 500,
  outcome: 500,
} as const;
export const MAX_GOALS = 3;

export type FieldError = { field: string; message: string };

export function phaseMove(
  current: string,
  target: string,
  reason: string | undefined,
): { ok: true; direction: 'forward' | 'back' } | { ok: false; error: FieldError } {
  const from = PHASE_FLOW.indexOf(current as WorkingPhase);
  const to = PHASE_FLOW.indexOf(target as WorkingPhase);
  if (from < 0) return { ok: false, error: { field: 'phase', message: 'This case is closed; its phase can no longer change.' } };
  if (to < 0) return { ok: false, error: { field: 'phase', message: 'Choose one of the listed phases.' } };
  if (to === from) return { ok: false, error: { field: 'phase', message: `The case is already in ${PHASE_LABELS[current]}.` } };
  const r = (reason ?? '').trim();
  // Bounded whichever way the case moves: an optional reason is still stored on the record.
  const n = [...r].length;
  if (n > TEXT_LIMITS.reason)
    return { ok: false, error: { field: 'reason', message: `Please keep the reason under ${TEXT_LIMITS.reason} characters (it has ${n}).` } };
  if (to < from) {
    if (n < 3) return { ok: false, error: { field: 'reason', message: 'Moving back needs a reason (at least 3 characters), so the record shows why.' } };
    return { ok: true, direction: 'back' };
  }
  return { ok: true, direction: 'forward' };
}

export interface FourElements {
  goal: boolean;
  plan: boolean;
  assessment: boolean;
  selfHelp: boolean;
}

export function fourElements(x: { goals: Array<{ hasAssessment: boolean; status: string }>; hasPlan: boolean; hasSelfHelp: boolean }): FourElements {
  const live = x.goals.filter((g) => g.status !== 'dropped');
  return {
    goal: live.length > 0,
    plan: x.hasPlan,
    // Every live goal must say how it will be assessed.
    assessment: live.length > 0 && live.every((g) => g.hasAssessment),
    selfHelp: x.hasSelfHelp,
  };
}

export const ELEMENT_LABELS: Record<keyof FourElements, string> = {
  goal: 'Goal',
  plan: 'Plan',
  assessment: 'How it will be assessed',
  selfHelp: 'Self-help focus',
};

export function missingElements(f: FourElements): Array<keyof FourElements> {
  return (Object.keys(ELEMENT_LABELS) as Array<keyof FourElements>).filter((k) => !f[k]);
}

export const CLOSURE_REASONS = ['goals_achieved', 'client_withdrew', 'referred_elsewhere', 'no_contact', 'moved_away', 'other'] as const;
export const CLOSURE_REASON_LABELS: Record<(typeof CLOSURE_REASONS)[number], string> = {
  goals_achieved: 'Goals achieved',
  client_withdrew: 'Client withdrew',
  referred_elsewhere: 'Referred elsewhere',
  no_contact: 'No contact possible',
  moved_away: 'Client moved away',
  other: 'Other',
};
export const GOAL_OUTCOMES = ['achieved', 'partly_achieved', 'not_achieved', 'dropped'] as const;

// ---- caseload urgency -----------------------------------------------------------

export interface CaseloadItem {
  id: string;
  priority: Priority;
  status: string;
  lastNoteAt: DateTime | null;
  openedAt: DateTime;
  nextFollowUpAt: DateTime | null;
  followUpSetAt: DateTime | null;
  nextAppointmentAt: DateTime | null;
}

export type UrgencyKind = 'overdue' | 'quiet' | 'appointment_soon' | 'ok';
const URGENCY_ORDER: UrgencyKind[] = ['overdue', 'quiet', 'appointment_soon', 'ok'];
const PRIORITY_ORDER: Priority[] = ['crisis', 'high', 'normal', 'low'];

function urgencyOf(c: CaseloadItem, now: DateTime, thresholds: QuietThresholds, soonDays = 7): UrgencyKind {
  if (followUpOverdue(c, now)) return 'overdue';
  if (isQuiet(c, now, thresholds)) return 'quiet';
  if (c.nextAppointmentAt && c.nextAppointmentAt > now && c.nextAppointmentAt <= now.plus({ days: soonDays })) return 'appointment_soon';
  return 'ok';
}

/** Most urgent first: overdue follow-ups (longest overdue first), quiet cases (quietest first), upcoming appointments (soonest first), then the rest; crisis before high before normal within each group. */
export function sortCaseload<T extends CaseloadItem>(items: T[], now: DateTime, thresholds: QuietThresholds): Array<T & { urgency: UrgencyKind }> {
  const key = (c: T & { urgency: UrgencyKind }): number => {
    switch (c.urgency) {
      case 'overdue':
        return c.nextFollowUpAt!.toMillis();
      case 'quiet':
        return (c.lastNoteAt ?? c.openedAt).toMillis();
      case 'appointment_soon':
        return c.nextAppointmentAt!.toMillis();
      default:
        return c.nextFollowUpAt?.toMillis() ?? Number.MAX_SAFE_INTEGER;
    }
  };
  return items
    .map((c) => ({ ...c, urgency: urgencyOf(c, now, thresholds) }))
    .sort(
      (a, b) =>
        URGENCY_ORDER.indexOf(a.urgency) - URGENCY_ORDER.indexOf(b.urgency) ||
        PRIORITY_ORDER.indexOf(a.priority) - PRIORITY_ORDER.indexOf(b.priority) ||
        key(a) - key(b),
    );
}

/** "today", "yesterday", "5 days ago", "3 weeks ago": how old the last record is, at a glance. */
export function ageText(from: DateTime, now: DateTime): string {
  const days = Math.floor(now.diff(from, 'days').days);
  if (days <= 0) return 'today';
  if (days === 1) return 'yesterday';
  if (days < 21) return `${days} days ago`;
  if (days < 90) return `${Math.floor(days / 7)} weeks ago`;
  return `${Math.floor(days / 30)} months ago`;
}
