import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { DateTime } from 'luxon';
import type { Deps } from '../deps.js';
import type { Db } from '../db/client.js';
import { appointments, deliveries } from '../db/schema.js';
import { executePrepared, fromDriverRow } from '../db/prepared.js';
import { scheduleAfterCommit, planDeliveries, planDeliveriesSql, type DeliveryRow, type PlannedDelivery } from '../delivery/ledger.js';
import { FieldRefusal, mutateCase, type CaseLoader, type LockedCase, type Mutation } from '../cases/case-mutation.js';
import type { FieldError } from '../cases/case.domain.js';
import type { StaffRow } from '../staff/staff.repo.js';
import { afterAppointmentChange } from './appointment-hooks.js';
import { clearAnswerFollowUp } from './client-answer.js';
import { AAD } from '../cases/case-aad.js';
import { reminderLedgerItems, remindersPlannedEntry, type ClientForPlanning } from './reminders.service.js';
import type { AppointmentRow } from './appointment.format.js';
import { validateAppointment, type AppointmentFields, type AppointmentMode } from './appointment.validation.js';

/**
 * Schedule, reschedule and cancel appointments from Slack. Times are typed in
 * the acting staff member's own zone (from Slack) and stored in UTC; the
 * client is told in theirs. Every change bumps the version, so reminders
 * planned for an older version never go out. After each change, in the same
 * transaction: an 'appointment_notice' to the client and the reminder plan.
 */
export const APPOINTMENT_NOTICE_KIND = 'appointment_notice';
export { validateAppointment, type AppointmentFields } from './appointment.validation.js';

function noticeItem(appt: Pick<AppointmentRow, 'id' | 'version' | 'caseId'>, clientId: string, now: DateTime): PlannedDelivery {
  return {
    kind: APPOINTMENT_NOTICE_KIND,
    subjectId: appt.id,
    version: appt.version,
    recipient: `client:${clientId}`,
    channel: 'telegram',
    caseId: appt.caseId,
    dueAt: now,
  };
}

/** Reschedule and cancel: the notice, then the reminders side retires the older version's rows and plans this one's. */
async function afterChange(deps: Deps, tx: Db, appt: AppointmentRow, clientId: string): Promise<DeliveryRow[]> {
  const now = deps.clock.now();
  const notice = await planDeliveries(tx, [noticeItem(appt, clientId, now)], now);
  return [...notice, ...(await afterAppointmentChange(deps, appt.id, tx))];
}

/**
 * Booking reads the client and the assigned worker in the statement that locks
 * the case, because planning the reminders needs them (zone, quiet hours,
 * reachability) and a second read would be a second round trip.
 */
const lockCaseWithPeople: CaseLoader<{ client: ClientForPlanning; worker: { id: string; timeZone: string } | null }, LockedCase> = async (tx, caseId) => {
  // Raw SQL: drizzle's builder spent more CPU on this select than PostgreSQL did (see planDeliveries).
  const [row] = await executePrepared(
    tx,
    'booking_lock_case',
    sql`
    select c.id, c.client_id, c.status, c.assigned_worker_id,
      cl.time_zone, cl.quiet_hours_start, cl.quiet_hours_end, cl.reminders_off, cl.telegram_chat_id, cl.bot_blocked_at, cl.erased_at,
      w.time_zone w_time_zone
    from cases c join clients cl on cl.id = c.client_id left join staff w on w.id = c.assigned_worker_id
    where c.id = ${caseId} for update of c`,
  );
  if (!row) return undefined;
  const locked = {
    id: row.id as string,
    clientId: row.client_id as string,
    status: row.status as LockedCase['status'],
    assignedWorkerId: row.assigned_worker_id as string | null,
  };
  const at = (v: unknown) => (v === null ? null : new Date(v as string));
  const client: ClientForPlanning = {
    id: locked.clientId,
    timeZone: row.time_zone as string,
    quietHoursStart: row.quiet_hours_start as string,
    quietHoursEnd: row.quiet_hours_end as string,
    remindersOff: row.reminders_off as boolean,
    telegramChatId: row.telegram_chat_id === null ? null : Number(row.telegram_chat_id),
    botBlockedAt: at(row.bot_blocked_at),
    erasedAt: at(row.erased_at),
  };
  return {
    case: locked,
    loaded: { client, worker: locked.assignedWorkerId && row.w_time_zone ? { id: locked.assignedWorkerId, timeZone: row.w_time_zone as string } : null },
  };
};

type NewAppointment = Pick<AppointmentRow, 'id' | 'caseId' | 'workerId' | 'startsAt' | 'durationMin' | 'mode' | 'version' | 'idempotencyKey'> & {
  locationEnc?: string | null;
};

/**
 * The appointment and its ledger rows in one statement (data-modifying CTEs):
 * the id is chosen here so the rows can be planned before the insert, and they
 * are written only if the appointment was (a second submission with the same
 * idempotency key inserts nothing at all). Undefined for that second submission.
 */
async function insertAppointmentWithPlan(
  tx: Db,
  a: NewAppointment,
  items: PlannedDelivery[],
  now: DateTime,
): Promise<{ appt: AppointmentRow; rows: DeliveryRow[] } | undefined> {
  const at = now.toUTC().toISO();
  const result = await executePrepared(
    tx,
    'booking_insert',
    sql`
    with appt as (
      insert into appointments (id, case_id, worker_id, starts_at, duration_min, mode, version, idempotency_key, location_enc, created_at, updated_at)
      values (${a.id}, ${a.caseId}, ${a.workerId}, ${a.startsAt.toISOString()}, ${a.durationMin}, ${a.mode}, ${a.version}, ${a.idempotencyKey}, ${a.locationEnc ?? null}, ${at}, ${at})
      on conflict (idempotency_key) do nothing
      returning *
    ), planned as (${planDeliveriesSql(items, now, sql`exists (select 1 from appt)`)})
    select 'appointment' as what, to_jsonb(appt) as row from appt
    union all select 'delivery', to_jsonb(planned) from planned`,
  );
  const appt = result.find((r) => r.what === 'appointment');
  if (!appt) return undefined;
  return {
    appt: fromDriverRow(appointments, appt.row as Record<string, unknown>),
    rows: result.filter((r) => r.what === 'delivery').map((r) => fromDriverRow(deliveries, r.row as Record<string, unknown>)),
  };
}

/** The place, encrypted; only kept for an in-person appointment. */
function sealLocation(deps: Deps, f: AppointmentFields): string | null {
  const where = f.mode === 'in_person' ? f.location?.trim() : '';
  return where ? deps.cipher.encrypt(where, AAD.appointmentLocation) : null;
}

const refuse = (errors: FieldError[]) => ({ ok: false as const, message: errors[0]!.message, field: errors[0]!.field });

export async function scheduleAppointment(
  deps: Deps,
  actor: StaffRow,
  input: AppointmentFields & { caseId: string; idempotencyKey: string },
): Promise<Mutation<{ appointment: AppointmentRow }>> {
  const now = deps.clock.now();
  const v = validateAppointment(input, actor.timeZone, now);
  if (!v.ok) return refuse(v.errors);
  let rows: DeliveryRow[] = [];
  const res = await mutateCase(deps, actor, input.caseId, { load: lockCaseWithPeople }, async (tx, c, { client, worker }) => {
    if (!c.assignedWorkerId || !worker) throw new FieldRefusal({ field: 'date', message: 'Assign the case to a worker before booking an appointment.' });
    const draft: NewAppointment = {
      id: randomUUID(),
      caseId: c.id,
      workerId: c.assignedWorkerId,
      startsAt: v.startsAt.toJSDate(),
      durationMin: input.durationMin,
      mode: input.mode as AppointmentMode,
      version: 1,
      idempotencyKey: input.idempotencyKey,
      locationEnc: sealLocation(deps, input),
    };
    // A new appointment has no older rows to retire: it, the notice and the whole reminder plan are one statement,
    // and both audit entries (the same two a reschedule writes) one more.
    const reminders = reminderLedgerItems(deps, draft, client, worker, now);
    const booked = await insertAppointmentWithPlan(tx, draft, [noticeItem(draft, c.clientId, now), ...reminders], now);
    if (!booked) return null;
    const { appt } = booked;
    rows = booked.rows;
    const planned = reminders.filter((r) => !r.skipReason).length;
    await deps.audit.recordMany(
      [
        {
          actor: { type: 'staff', id: actor.id },
          action: 'appointment.scheduled',
          caseId: c.id,
          subjectType: 'appointment',
          subjectId: appt.id,
          details: { mode: appt.mode, durationMin: appt.durationMin },
        },
        remindersPlannedEntry(appt, planned, 0),
      ],
      tx,
    );
    return { appointment: appt };
  });
  if (res.ok && !res.duplicate && res.value === null) return { ok: true, duplicate: true };
  await scheduleAfterCommit(deps, rows);
  return res as Mutation<{ appointment: AppointmentRow }>;
}

async function changeAppointment(
  deps: Deps,
  actor: StaffRow,
  appointmentId: string,
  expectedVersion: number,
  dedupeKey: string,
  change: (appt: AppointmentRow) => Partial<typeof appointments.$inferInsert>,
  action: string,
): Promise<Mutation<{ appointment: AppointmentRow }>> {
  const [current] = await deps.db.select().from(appointments).where(eq(appointments.id, appointmentId)).limit(1);
  if (!current) return { ok: false, field: 'date', message: 'This appointment no longer exists.' };
  let rows: DeliveryRow[] = [];
  const now = deps.clock.now();
  const res = await mutateCase(deps, actor, current.caseId, { dedupeKey }, async (tx, c) => {
    const [appt] = await tx.select().from(appointments).where(eq(appointments.id, appointmentId)).for('update').limit(1);
    if (appt?.status !== 'scheduled')
      throw new FieldRefusal({ field: 'date', message: `This appointment is ${appt?.status ?? 'gone'} and can no longer be changed.` });
    if (appt.version !== expectedVersion)
      throw new FieldRefusal({ field: 'date', message: 'This appointment was changed by someone else since you opened this. Close and open it again.' });
    // Acting on a client's "can't come" / "another time" answers it: the follow-up it set is no longer needed.
    await clearAnswerFollowUp(tx, appt, now);
    const [updated] = await tx
      .update(appointments)
      .set({ ...change(appt), version: sql`${appointments.version} + 1`, clientResponse: null, clientRespondedAt: null, updatedAt: now.toJSDate() })
      .where(eq(appointments.id, appt.id))
      .returning();
    await deps.audit.record(
      { actor: { type: 'staff', id: actor.id }, action, caseId: c.id, subjectType: 'appointment', subjectId: appt.id, details: { version: updated!.version } },
      tx,
    );
    rows = await afterChange(deps, tx, updated!, c.clientId);
    return { appointment: updated! };
  });
  await scheduleAfterCommit(deps, rows);
  return res;
}

export async function rescheduleAppointment(
  deps: Deps,
  actor: StaffRow,
  input: AppointmentFields & { appointmentId: string; expectedVersion: number; dedupeKey: string },
): Promise<Mutation<{ appointment: AppointmentRow }>> {
  const v = validateAppointment(input, actor.timeZone, deps.clock.now());
  if (!v.ok) return refuse(v.errors);
  return changeAppointment(
    deps,
    actor,
    input.appointmentId,
    input.expectedVersion,
    input.dedupeKey,
    () => ({
      startsAt: v.startsAt.toJSDate(),
      durationMin: input.durationMin,
      mode: input.mode as AppointmentMode,
      ...(input.location !== undefined ? { locationEnc: sealLocation(deps, input) } : {}),
    }),
    'appointment.rescheduled',
  );
}

export async function cancelAppointment(
  deps: Deps,
  actor: StaffRow,
  input: { appointmentId: string; expectedVersion: number; dedupeKey: string },
): Promise<Mutation<{ appointment: AppointmentRow }>> {
  return changeAppointment(deps, actor, input.appointmentId, input.expectedVersion, input.dedupeKey, () => ({ status: 'cancelled' }), 'appointment.cancelled');
}
