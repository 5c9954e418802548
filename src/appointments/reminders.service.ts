import { and, eq, isNull, like, lt, or, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Deps } from '../deps.js';
import { inTransaction, type Db } from '../db/client.js';
import { appointments, cases, clients, deliveries, staff } from '../db/schema.js';
import { scheduleAfterCommit, planDeliveries, type DeliveryRow, type PlannedDelivery as LedgerItem } from '../delivery/ledger.js';
import type { AuditEntry } from '../audit/audit.service.js';
import { ledgerKind, planOutcomeQuestion, planReminders, type PlannedDelivery } from './reminders.domain.js';
import type { AppointmentRow } from './appointment.format.js';

/**
 * Turn one appointment (its current version) into ledger rows: the client's
 * and the worker's reminders and the outcome question. Called after every
 * schedule, reschedule and cancel (src/appointments/appointment-hooks.ts).
 * - Pending rows of older versions are marked skipped 'superseded' (or
 *   'cancelled'); the sender checks the version again at send time.
 * - Rows of the current version are planned once (the ledger is unique per
 *   kind/subject/version/recipient), so calling this twice changes nothing.
 * With `tx`, everything happens in the caller's transaction and the returned
 * rows still need `scheduleAfterCommit` after commit (the due-row tick would
 * send them anyway, at most DELIVERY_TICK_SECONDS late).
 */
export interface ReminderPlan {
  rows: DeliveryRow[];
  /** Pending rows of earlier versions (or of a cancelled appointment) that will now never go out. */
  retired: number;
}

export async function planAppointmentReminders(deps: Deps, appointmentId: string, tx?: Db): Promise<ReminderPlan> {
  const now = deps.clock.now();
  if (tx) return plan(deps, tx, appointmentId, now);
  const result = await inTransaction(deps.db, (tx) => plan(deps, tx, appointmentId, now));
  await scheduleAfterCommit(deps, result.rows);
  return result;
}

const APPOINTMENT_KINDS = ['appointment_reminder', 'outcome_question'];

async function plan(deps: Deps, db: Db, appointmentId: string, now: DateTime): Promise<ReminderPlan> {
  const [row] = await db
    .select({ appt: appointments, client: clients, worker: staff, caseStatus: cases.status })
    .from(appointments)
    .innerJoin(cases, eq(cases.id, appointments.caseId))
    .innerJoin(clients, eq(clients.id, cases.clientId))
    .innerJoin(staff, eq(staff.id, appointments.workerId))
    .where(eq(appointments.id, appointmentId))
    .limit(1);
  if (!row) throw new Error(`planAppointmentReminders: appointment ${appointmentId} not found`);
  const { appt, client, worker } = row;

  const retiredReason = appt.status === 'cancelled' ? 'cancelled' : appt.status === 'scheduled' ? 'superseded' : `appointment_${appt.status}`;
  // Not-yet-claimed rows only: one being sent right now finishes (the sender re-checks the version first).
  const leaseCutoff = now.minus({ seconds: deps.config.DELIVERY_CLAIM_LEASE_SECONDS }).toJSDate();
  const retired = await db
    .update(deliveries)
    .set({ status: 'skipped', reason: retiredReason, updatedAt: now.toJSDate() })
    .where(
      and(
        eq(deliveries.subjectId, appt.id),
        eq(deliveries.status, 'pending'),
        or(...APPOINTMENT_KINDS.map((k) => or(eq(deliveries.kind, k), like(deliveries.kind, `${k}.%`)))),
        // A scheduled appointment keeps its current version's rows; a cancelled or finished one keeps none.
        appt.status === 'scheduled' ? lt(deliveries.version, appt.version) : sql`true`,
        or(isNull(deliveries.claimedAt), lt(deliveries.claimedAt, leaseCutoff)),
      ),
    )
    .returning({ id: deliveries.id });

  const rows = appt.status === 'scheduled' ? await planDeliveries(db, reminderLedgerItems(deps, appt, client, worker, now), now) : [];
  await deps.audit.record(remindersPlannedEntry(appt, rows.filter((r) => r.status === 'pending').length, retired.length), db);
  return { rows, retired: retired.length };
}

/** What planning needs to know about the client (a subset of the clients row). */
export type ClientForPlanning = Pick<
  typeof clients.$inferSelect,
  'id' | 'timeZone' | 'quietHoursStart' | 'quietHoursEnd' | 'remindersOff' | 'telegramChatId' | 'botBlockedAt' | 'erasedAt'
>;

/**
 * The ledger items of one scheduled appointment version: the client's and the
 * worker's reminders (planned and skipped) and the outcome question. No I/O:
 * the booking path has the client and worker rows already (read with the case
 * lock) and writes these together with the notice in one insert.
 */
export function reminderLedgerItems(
  deps: Pick<Deps, 'config'>,
  appt: Pick<AppointmentRow, 'id' | 'caseId' | 'version' | 'startsAt' | 'durationMin'>,
  client: ClientForPlanning,
  worker: { id: string; timeZone: string },
  now: DateTime,
): LedgerItem[] {
  const forPlanning = { id: appt.id, version: appt.version, startsAt: DateTime.fromJSDate(appt.startsAt, { zone: 'utc' }), durationMin: appt.durationMin };
  const planned: PlannedDelivery[] = [
    ...planReminders({
      appointment: forPlanning,
      client: {
        zone: client.timeZone,
        quietHours: { start: client.quietHoursStart, end: client.quietHoursEnd, zone: client.timeZone },
        remindersOff: client.remindersOff,
        hasTelegram: !!client.telegramChatId && !client.botBlockedAt && !client.erasedAt,
      },
      worker: { zone: worker.timeZone },
      offsets: { client: deps.config.REMINDER_OFFSETS_CLIENT, worker: deps.config.REMINDER_OFFSETS_WORKER },
      ...(deps.config.SEND_AHEAD_WINDOW ? { sendAheadWindow: deps.config.SEND_AHEAD_WINDOW } : {}),
      now,
    }),
    planOutcomeQuestion(forPlanning, { afterEnd: deps.config.OUTCOME_QUESTION_AFTER }),
  ];
  return planned.map((p) => toLedger(p, appt.caseId, client.id, worker.id));
}

/** The audit entry every planning writes (`planned` counts pending rows, `retired` superseded ones). */
export function remindersPlannedEntry(appt: Pick<AppointmentRow, 'id' | 'caseId' | 'version' | 'status'>, planned: number, retired: number): AuditEntry {
  return {
    actor: { type: 'system' },
    action: 'appointment.reminders_planned',
    caseId: appt.caseId,
    subjectType: 'appointment',
    subjectId: appt.id,
    details: { version: appt.version, status: appt.status, planned, retired },
  };
}

function toLedger(p: PlannedDelivery, caseId: string, clientId: string, workerId: string): LedgerItem {
  const toClient = p.recipient === 'client';
  return {
    kind: ledgerKind(p),
    subjectId: p.subjectId,
    version: p.version,
    recipient: toClient ? `client:${clientId}` : `staff:${workerId}`,
    channel: toClient ? 'telegram' : 'slack',
    caseId,
    dueAt: p.dueAt,
    notBefore: p.notBefore ?? null,
    ...(p.status === 'skipped' ? { skipReason: p.skipReason ?? 'skipped' } : {}),
  };
}
