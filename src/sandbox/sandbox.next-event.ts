import { and, eq, gt, isNotNull, isNull, sql } from 'drizzle-orm';
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

  const candidates: Candidate[] = [
    delivery ? { at: delivery.at, what: deliveryWords(delivery.kind) } : { at: null, what: '' },
    {
      at:
        (
          await first(
            db
              .select({ at: min(escalations.nextAt) })
              .from(escalations)
              .where(and(open, gt(escalations.nextAt, now))),
          )
        )?.at ?? null,
      what: 'the next step of an open escalation',
    },
    {
      at:
        (
          await first(
            db
              .select({ at: min(escalations.snoozedUntil) })
              .from(escalations)
              .where(and(open, gt(escalations.snoozedUntil, now))),
          )
        )?.at ?? null,
      what: 'the end of an escalation snooze',
    },
    {
      at:
        (
          await first(
            db
              .select({ at: min(escalations.safetyPlanDueAt) })
              .from(escalations)
              .where(and(open, isNull(escalations.safetyPlanNoteId), gt(escalations.safetyPlanDueAt, now))),
          )
        )?.at ?? null,
      what: 'a safety-plan note deadline',
    },
    {
      at:
        (
          await first(
            db
              .select({ at: min(cases.nextFollowUpAt) })
              .from(cases)
              .where(and(eq(cases.status, 'open'), isNotNull(cases.nextFollowUpAt), gt(cases.nextFollowUpAt, now))),
          )
        )?.at ?? null,
      what: 'a follow-up date (an overdue follow-up escalates)',
    },
    {
      at:
        (
          await first(
            db
              .select({ at: min(nudgeExpr) })
              .from(intakeSessions)
              .where(and(isNull(intakeSessions.nudgedAt), sql`${nudgeExpr} > ${now}`)),
          )
        )?.at ?? null,
      what: 'the nudge for an unfinished intake',
    },
    {
      at:
        (
          await first(
            db
              .select({ at: min(intakeSessions.expiresAt) })
              .from(intakeSessions)
              .where(gt(intakeSessions.expiresAt, now)),
          )
        )?.at ?? null,
      what: 'the expiry of an unfinished intake',
    },
    {
      at:
        (
          await first(
            db
              .select({ at: min(erasureRequests.dueAt) })
              .from(erasureRequests)
              .where(and(eq(erasureRequests.status, 'pending'), gt(erasureRequests.dueAt, now))),
          )
        )?.at ?? null,
      what: 'an erasure request deadline',
    },
    {
      at:
        (
          await first(
            db
              .select({ at: min(erasureRequests.holdReviewAt) })
              .from(erasureRequests)
              .where(and(eq(erasureRequests.status, 'held'), gt(erasureRequests.holdReviewAt, now))),
          )
        )?.at ?? null,
      what: 'the review of an erasure hold',
    },
  ];
  const due = candidates.filter((c): c is { at: Date; what: string } => c.at !== null).sort((a, b) => a.at.getTime() - b.at.getTime());
  if (!due.length) return null;
  const at = due[0]!.at.getTime();
  // Several things due at the same moment: name them all.
  const what = [...new Set(due.filter((c) => c.at.getTime() === at).map((c) => c.what))].join(', ');
  return { at: DateTime.fromMillis(at, { zone: 'utc' }), what };
}
