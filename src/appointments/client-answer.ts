import { and, eq, like } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Db } from '../db/client.js';
import { appointments, cases, deliveries, staff } from '../db/schema.js';
import { staffHours } from '../escalations/escalation-config.js';
import type { I18nKey, I18nVars, Lang } from '../i18n/i18n.js';
import { nextWorkingDayAt } from '../lib/working-time.js';
import type { AppointmentRow } from './appointment.format.js';
import { DATE_LOCALE } from '../lib/languages.js';

/**
 * What a client's answer to a reminder does (issue 12), beyond recording it:
 * - "I can't come" / "I need another time": the remaining client reminders
 *   for that appointment are skipped with a reason the case log shows, and
 *   the case gets a follow-up at the start of the worker's next working day,
 *   so the normal nudge ladder takes over if nobody acts. Rescheduling,
 *   cancelling or keeping the appointment clears that follow-up again (it is
 *   recognised as ours because it was set at the moment of the answer).
 * - a button on an older message is answered with what is true now.
 */
export const ANSWER_SKIP_REASON = { cant_come: 'client_cannot_come', needs_other_time: 'client_needs_other_time' } as const;
export type ActingAnswer = keyof typeof ANSWER_SKIP_REASON;
export const isActingAnswer = (a: string | null | undefined): a is ActingAnswer => a === 'cant_come' || a === 'needs_other_time';

/** Skip the client's still-pending reminders for this appointment version; the worker's own reminders stay. */
export async function skipClientReminders(tx: Db, appt: Pick<AppointmentRow, 'id' | 'version'>, reason: string, now: DateTime): Promise<number> {
  const rows = await tx
    .update(deliveries)
    .set({ status: 'skipped', reason, updatedAt: now.toJSDate() })
    .where(
      and(
        eq(deliveries.subjectId, appt.id),
        eq(deliveries.version, appt.version),
        eq(deliveries.status, 'pending'),
        like(deliveries.kind, 'appointment_reminder%'),
        like(deliveries.recipient, 'client:%'),
      ),
    )
    .returning({ id: deliveries.id });
  return rows.length;
}

/**
 * Whether a Telegram message is a reminder we sent for this appointment (a
 * sent ledger row with that message id). A client app can send a button's data
 * "from" any message of the chat; only our reminder loses its buttons.
 */
export async function isOurReminder(db: Db, appointmentId: string, messageId: number): Promise<boolean> {
  const [hit] = await db
    .select({ id: deliveries.id })
    .from(deliveries)
    .where(
      and(
        eq(deliveries.subjectId, appointmentId),
        eq(deliveries.channel, 'telegram'),
        eq(deliveries.status, 'sent'),
        eq(deliveries.externalRef, String(messageId)),
        like(deliveries.kind, 'appointment_reminder%'),
      ),
    )
    .limit(1);
  return !!hit;
}

/** The follow-up that hands an unanswered "can't come" to the nudge ladder: the start of the worker's next working day. */
export async function setAnswerFollowUp(tx: Db, appt: Pick<AppointmentRow, 'caseId' | 'workerId'>, now: DateTime): Promise<DateTime | null> {
  const [row] = await tx
    .select({ c: { nextFollowUpAt: cases.nextFollowUpAt }, w: staff })
    .from(cases)
    .innerJoin(staff, eq(staff.id, appt.workerId))
    .where(eq(cases.id, appt.caseId))
    .limit(1);
  if (!row) return null;
  const due = nextWorkingDayAt(staffHours(row.w), now, row.w.workingHours.start);
  // An earlier follow-up the worker set stands: it already brings the case back in time.
  if (row.c.nextFollowUpAt && row.c.nextFollowUpAt.getTime() <= due.toMillis()) return null;
  await tx.update(cases).set({ nextFollowUpAt: due.toJSDate(), followUpSetAt: now.toJSDate(), updatedAt: now.toJSDate() }).where(eq(cases.id, appt.caseId));
  return due;
}

/** The worker acted on the answer (rescheduled, cancelled, kept): the follow-up the answer set is no longer needed. */
export async function clearAnswerFollowUp(
  tx: Db,
  appt: Pick<AppointmentRow, 'caseId' | 'clientResponse' | 'clientRespondedAt'>,
  now: DateTime,
): Promise<boolean> {
  if (!isActingAnswer(appt.clientResponse) || !appt.clientRespondedAt) return false;
  const rows = await tx
    .update(cases)
    .set({ nextFollowUpAt: null, followUpSetAt: null, updatedAt: now.toJSDate() })
    .where(and(eq(cases.id, appt.caseId), eq(cases.followUpSetAt, appt.clientRespondedAt)))
    .returning({ id: cases.id });
  return rows.length > 0;
}

/** What a press on an older reminder is answered with: passed, moved (to when, in the client's zone) or cancelled. */
export function staleAnswer(
  appt: AppointmentRow,
  now: DateTime,
  client: { timeZone: string; lang: Lang },
  dateFormat: string,
): { key: I18nKey; vars?: I18nVars } {
  if (appt.status === 'cancelled') return { key: 'appt.stale.cancelled' };
  if (appt.status !== 'scheduled' || appt.startsAt.getTime() <= now.toMillis()) return { key: 'appt.stale.passed' };
  const when = DateTime.fromJSDate(appt.startsAt).setZone(client.timeZone).setLocale(DATE_LOCALE[client.lang]).toFormat(dateFormat);
  return { key: 'appt.stale.moved', vars: { when } };
}

/** The scheduled appointment of a case whose client asked for another time and has not yet said which times suit. */
export async function awaitingTimes(tx: Db, caseId: string, lastClientMessageAt: Date | null): Promise<AppointmentRow | undefined> {
  const [appt] = await tx
    .select()
    .from(appointments)
    .where(and(eq(appointments.caseId, caseId), eq(appointments.status, 'scheduled'), eq(appointments.clientResponse, 'needs_other_time')))
    .orderBy(appointments.startsAt)
    .limit(1);
  if (!appt?.clientRespondedAt) return undefined;
  return !lastClientMessageAt || lastClientMessageAt < appt.clientRespondedAt ? appt : undefined;
}
