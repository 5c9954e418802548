import { and, eq, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { currentLogContext } from '../lib/logger.js';
import type { DateTime } from 'luxon';
import type { Db } from '../db/client.js';
import { deliveries } from '../db/schema.js';
import { executePrepared, fromDriverRow } from '../db/prepared.js';
import type { DeliveryRow } from './ledger.js';

/**
 * The database half of "never twice". A send attempt first claims the row:
 * only a pending row that nobody holds (or whose holder's lease ran out —
 * that worker died mid-send) can be claimed, atomically, so two workers or a
 * re-run after a crash cannot both go on to send. The outcome is written only
 * by the holder of the claim token.
 *
 * The lease (DELIVERY_CLAIM_LEASE_SECONDS, default 30 s) is short so a dead
 * worker's rows move on within seconds; a live attempt keeps it with a
 * heartbeat (renewClaim) while it waits for a slot, the platform or the
 * database, and every platform call times out (PLATFORM_HTTP_TIMEOUT_MS) well
 * inside it.
 */
export async function claimDelivery(db: Db, id: string, token: string, now: DateTime, leaseSeconds: number): Promise<DeliveryRow | null> {
  const at = now.toJSDate();
  const expired = now.minus({ seconds: leaseSeconds }).toJSDate();
  // A named prepared statement: on every send, so parsed and planned once per connection.
  const [row] = await executePrepared(
    db,
    'delivery_claim',
    sql`update deliveries
    set claimed_at = ${at}, claim_token = ${token}, attempts = attempts + 1, updated_at = ${at}
    where id = ${id} and status = 'pending' and (claimed_at is null or claimed_at < ${expired})
    returning *`,
  );
  return row ? fromDriverRow(deliveries, row) : null;
}

/** Give the claim back (rate limited, transient failure): the next attempt may claim at once. */
export async function releaseClaim(db: Db, id: string, token: string, now: DateTime): Promise<void> {
  await db
    .update(deliveries)
    .set({ claimedAt: null, claimToken: null, updatedAt: now.toJSDate() })
    .where(and(eq(deliveries.id, id), eq(deliveries.claimToken, token), eq(deliveries.status, 'pending')));
}

/**
 * Record the outcome. With a token, only the claim holder may write it; without
 * one (nothing was claimed, e.g. render said skip) only a pending, unclaimed or
 * lease-expired row changes. Returns whether this call wrote the outcome.
 */
export async function finishDelivery(
  db: Db,
  id: string,
  outcome: { status: 'skipped' | 'failed'; reason: string },
  now: DateTime,
  guard: { token: string } | { leaseSeconds: number },
): Promise<DeliveryRow | null> {
  const at = now.toJSDate();
  const set = { status: outcome.status, reason: outcome.reason.slice(0, 200), updatedAt: at };
  const owner =
    'token' in guard
      ? eq(deliveries.claimToken, guard.token)
      : or(isNull(deliveries.claimedAt), lt(deliveries.claimedAt, now.minus({ seconds: guard.leaseSeconds }).toJSDate()));
  const [row] = await db
    .update(deliveries)
    .set(set)
    .where(and(eq(deliveries.id, id), eq(deliveries.status, 'pending'), owner))
    .returning();
  return row ?? null;
}

/**
 * The hot path's outcome: mark the row sent (only by the claim holder) and
 * write its `delivery.sent` audit entry in ONE statement — a data-modifying
 * CTE is atomic on its own, so this needs no BEGIN/COMMIT round trips. The
 * entry has exactly the shape AuditService.record writes. True when this call
 * wrote the outcome.
 */
export async function markSent(db: Db, id: string, token: string, externalRef: string, now: DateTime): Promise<boolean> {
  const at = now.toJSDate();
  const ctx = currentLogContext();
  const rows = await executePrepared(
    db,
    'delivery_mark_sent',
    sql`with sent as (
      update deliveries set status = 'sent', sent_at = ${at}, external_ref = ${externalRef}, reason = null, updated_at = ${at}
      where id = ${id} and status = 'pending' and claim_token = ${token}
      returning id, case_id, kind)
    insert into audit_log (at, actor_type, actor_id, action, case_id, subject_type, subject_id, details, request_id)
    select ${at}, 'system', null, 'delivery.sent', sent.case_id, 'delivery', sent.id::text, jsonb_build_object('kind', sent.kind), ${ctx?.requestId ?? ctx?.jobId ?? null}
    from sent returning id`,
  );
  return rows.length > 0;
}

/** Kinds that name an appointment version, and whether the appointment must still be scheduled. */
const APPOINTMENT_VERSIONED = { appointment_reminder: true, appointment_notice: false, appointment_response: false } as const;

/**
 * Just before the platform call, after any wait for a send slot: renew the
 * claim and, in the SAME statement, read whether the appointment the row
 * belongs to still has the row's version (and, for reminders, is still
 * scheduled). A reschedule that committed while this attempt rendered or
 * waited is seen here. Returns 'ok', a skip reason, or null (claim lost).
 */
export async function confirmClaim(db: Db, id: string, token: string, now: DateTime): Promise<string | null> {
  const at = now.toJSDate();
  const [row] = await executePrepared(
    db,
    'delivery_confirm_claim',
    sql`update deliveries d
    set claimed_at = ${at}, updated_at = ${at}
    where d.id = ${id} and d.claim_token = ${token} and d.status = 'pending'
    returning ${claimVerdictSql()} as verdict`,
  );
  return row ? String(row.verdict) : null;
}

/** The verdict confirmClaim returns, for a row `d` of deliveries: 'ok', 'superseded', 'appointment_<status>' or 'appointment_not_found'. */
export function claimVerdictSql(): SQL {
  const kinds = Object.keys(APPOINTMENT_VERSIONED);
  const mustBeScheduled = Object.entries(APPOINTMENT_VERSIONED)
    .filter(([, v]) => v)
    .map(([k]) => k);
  return sql`case when split_part(d.kind, '.', 1) = any(${sql.param(kinds)}::text[]) then coalesce((
        select case when a.version <> d.version then 'superseded'
          when a.status <> 'scheduled' and split_part(d.kind, '.', 1) = any(${sql.param(mustBeScheduled)}::text[]) then 'appointment_' || a.status
          else 'ok' end
        from appointments a where a.id::text = d.subject_id), 'appointment_not_found')
      else 'ok' end`;
}

/** Heartbeat: keep a claim alive while its send is in flight (a lease kept short so a dead worker's rows move on fast). */
export async function renewClaim(db: Db, id: string, token: string, now: DateTime): Promise<boolean> {
  const rows = await db
    .update(deliveries)
    .set({ claimedAt: now.toJSDate() })
    .where(and(eq(deliveries.id, id), eq(deliveries.claimToken, token), eq(deliveries.status, 'pending')))
    .returning({ id: deliveries.id });
  return rows.length > 0;
}
