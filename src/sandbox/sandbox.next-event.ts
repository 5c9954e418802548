import { and, eq, gt, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { DateTime } from 'luxon';
import type { Deps } from '../deps.js';
import { cases, deliveries, erasureRequests, escalations, intakeSessions } from '../db/schema.js';

/**
 * The console's "Next event" clock step: the earliest moment after now at
 * which something the service schedules becomes due — a ledger row (reminders,
 * outcome questions, nudges, notices, pages), the next step of an open
 * escalation, a snooze or a safety-plan deadline running out, a follow-up date
 * passing (it opens an escalation), an idle intake draft due its nudge or its
 * expiry, an erasure deadline or hold review. Moving the clock exactly there
 * (and not by a fixed hour or day) never jumps over the 30-minute reminder.
 */
export interface NextEvent {
  at: DateTime;
  /** What falls due, in words for the console (no personal data). */
  what: string;
}

type Candidate = { at: Date | null; what: string };

const DELIVERY_WORDS: Record<string, string> = {
  appointment_reminder: 'an appointment reminder',
  outcome_question: 'an outcome question to the worker',
  follow_up_nudge: 'a follow-up nudge to the worker',
  escalation: 'an escalation message',
  crisis_page: 'a crisis page',
  crisis_checkin: 'a crisis check-in with the client',
};

/** 'appointment_reminder.PT30M' → 'an appointment reminder (30 min before)'. */
function deliveryWords(kind: string): string {
  const [base = kind, offset] = kind.split('.');
  const words = DELIVERY_WORDS[base] ?? `a “${base.replace(/_/g, ' ')}” message`;
  const o = offset ? /^PT(?:(\d+)H)?(?:(\d+)M)?$/.exec(offset) : null;
  if (!o) return words;
  return `${words} (${[o[1] ? `${o[1]} h` : '', o[2] ? `${o[2]} min` : ''].filter(Boolean).join(' ')} before)`;
}

export async function nextDueEvent(deps: Pick<Deps, 'db' | 'clock' | 'config'>): Promise<NextEvent | null> {
  const now = deps.clock.now().toJSDate();
  const db = deps.db;
  const first = async <T extends { at: Date | null }>(q: Promise<T[]>) => (await q)[0];
  const min = (col: unknown) => sql<Date | null>`min(${col})`.mapWith((v: unknown) => (v ? new Date(v as string) : null));

  const dueExpr = sql`coalesce(${deliveries.notBefore}, ${deliveries.dueAt})`;
  const delivery = await first(
    db
      .select({ at: sql<Date>`${dueExpr}`.mapWith((v: unknown) => new Date(v as string)), kind: deliveries.kind })
      .from(deliveries)
      .where(and(eq(deliveries.status, 'pending'), sql`${dueExpr} > ${now}`))
      .orderBy(dueExpr)
      .limit(1),
  );
  const nudgeAfterMs = deps.config.INTAKE_IDLE_NUDGE_HOURS * 3_600_000;
  const nudgeExpr = sql`${intakeSessions.lastActivityAt} + ${`${nudgeAfterMs} milliseconds`}::interval`;
  const open = isNull(escalations.resolvedAt);
  /** The earliest value of `col` in the rows of `table` that match `where`. */
  const earliest = async (what: string, col: unknown, table: PgTable, where: SQL | undefined): Promise<Candidate> => {
    const [row] = await db
      .select({ at: min(col) })
      .from(table)
      .where(where);
    return { at: row?.at ?? null, what };
  };

  const candidates: Candidate[] = [
    delivery ? { at: delivery.at, what: deliveryWords(delivery.kind) } : { at: null, what: '' },
    await earliest('the next step of an open escalation', escalations.nextAt, escalations, and(open, gt(escalations.nextAt, now))),
    await earliest('the end of an escalation snooze', escalations.snoozedUntil, escalations, and(open, gt(escalations.snoozedUntil, now))),
    await earliest(
      'a safety-plan note deadline',
      escalations.safetyPlanDueAt,
      escalations,
      and(open, isNull(escalations.safetyPlanNoteId), gt(escalations.safetyPlanDueAt, now)),
    ),
    await earliest(
      'a follow-up date (an overdue follow-up escalates)',
      cases.nextFollowUpAt,
      cases,
      and(eq(cases.status, 'open'), isNotNull(cases.nextFollowUpAt), gt(cases.nextFollowUpAt, now)),
    ),
    await earliest('the nudge for an unfinished intake', nudgeExpr, intakeSessions, and(isNull(intakeSessions.nudgedAt), sql`${nudgeExpr} > ${now}`)),
    await earliest('the expiry of an unfinished intake', intakeSessions.expiresAt, intakeSessions, gt(intakeSessions.expiresAt, now)),
    await earliest(
      'an erasure request deadline',
      erasureRequests.dueAt,
      erasureRequests,
      and(eq(erasureRequests.status, 'pending'), gt(erasureRequests.dueAt, now)),
    ),
    await earliest(
      'the review of an erasure hold',
      erasureRequests.holdReviewAt,
      erasureRequests,
      and(eq(erasureRequests.status, 'held'), gt(erasureRequests.holdReviewAt, now)),
    ),
  ];
  const due = candidates.filter((c): c is { at: Date; what: string } => c.at !== null).sort((a, b) => a.at.getTime() - b.at.getTime());
  if (!due.length) return null;
  const at = due[0]!.at.getTime();
  // Several things due at the same moment: name them all.
  const what = [...new Set(due.filter((c) => c.at.getTime() === at).map((c) => c.what))].join(', ');
  return { at: DateTime.fromMillis(at, { zone: 'utc' }), what };
}
