import { sql, type SQL } from 'drizzle-orm';
import type { DateTime } from 'luxon';
import type { Db } from '../db/client.js';
import type { EscalationReason } from './escalations.repo.js';

/**
 * Set-based writes for the escalation sweep: one statement per chunk of rows
 * instead of one (or three) per escalation. Plain PostgreSQL (VALUES lists, no
 * array parameters), so PGlite runs it too.
 *
 * Two sweeps may run at once (the tick and an on-demand sweep, or two worker
 * processes). Every statement here that writes existing escalation rows first
 * locks them in id order, and the open statement inserts in case-id order, so
 * two sweeps touching the same rows queue behind each other instead of
 * deadlocking; the conditions (`notifications = expected`, `resolved_at is
 * null`) are re-checked on the newest row version once the lock is held.
 */

/** Rows of raw `execute` results: both node-postgres and PGlite return `{ rows }`. */
async function rowsOf<T>(db: Db, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

const values = (rows: SQL[]): SQL => sql.join(rows, sql`, `);

/**
 * Open one escalation per case for `reason`, unless that occurrence was already
 * covered: any escalation for (case, reason) opened at or after `since` (for
 * `since` = null, any escalation at all), or one still open (the partial unique
 * index; ON CONFLICT DO NOTHING). Returns exactly the rows this call created.
 */
export async function openEscalationsBulk(
  tx: Db,
  reason: EscalationReason,
  items: ReadonlyArray<{ caseId: string; since: Date | null }>,
  now: DateTime,
): Promise<Array<{ id: string; caseId: string }>> {
  if (items.length === 0) return [];
  const at = now.toJSDate();
  const sorted = [...items].sort((a, b) => (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0));
  const rows = await rowsOf<{ id: string; case_id: string }>(tx, sql`
    insert into escalations (case_id, reason, level, opened_at, next_at, created_at, updated_at)
    select v.case_id, ${reason}, 0, ${at}::timestamptz, ${at}::timestamptz, ${at}::timestamptz, ${at}::timestamptz
    from (values ${values(sorted.map((i) => sql`(${i.caseId}::uuid, ${i.since}::timestamptz)`))}) as v(case_id, since)
    where not exists (
      select 1 from escalations e
      where e.case_id = v.case_id and e.reason = ${reason} and (v.since is null or e.opened_at >= v.since))
    order by v.case_id
    on conflict do nothing
    returning id, case_id`);
  return rows.map((r) => ({ id: r.id, caseId: r.case_id }));
}

/**
 * Take the next notification of each escalation, optimistically: only where
 * `notifications` still equals what the caller read and the escalation is not
 * resolved. Returns the taken rows with their new notification number (= the
 * message version); a row another sweep took first is simply not returned.
 */
export async function takeNotifications(
  tx: Db,
  items: ReadonlyArray<{ id: string; notifications: number; level: number }>,
  now: DateTime,
): Promise<Array<{ id: string; notifications: number }>> {
  if (items.length === 0) return [];
  const at = now.toJSDate();
  return rowsOf<{ id: string; notifications: number }>(tx, sql`
    with v(id, n, level) as (values ${values(items.map((i) => sql`(${i.id}::uuid, ${i.notifications}::int, ${i.level}::int)`))}),
    l as (
      select e.id from escalations e join v on v.id = e.id
      where e.notifications = v.n and e.resolved_at is null
      order by e.id for update of e)
    update escalations e
    set level = v.level, last_notified_at = ${at}::timestamptz, notifications = e.notifications + 1, next_at = null, updated_at = ${at}::timestamptz
    from v, l
    where e.id = v.id and l.id = e.id and e.notifications = v.n and e.resolved_at is null
    returning e.id, e.notifications`);
}

/** Resolve the still-open escalations among `ids` with `resolution`; returns the ids this call resolved. */
export async function resolveEscalationsBulk(tx: Db, ids: readonly string[], resolution: string, now: DateTime): Promise<string[]> {
  if (ids.length === 0) return [];
  const at = now.toJSDate();
  const rows = await rowsOf<{ id: string }>(tx, sql`
    with l as (
      select e.id from escalations e
      where e.id in (${values(ids.map((id) => sql`${id}::uuid`))}) and e.resolved_at is null
      order by e.id for update of e)
    update escalations e
    set resolved_at = ${at}::timestamptz, resolution = ${resolution}, next_at = null, updated_at = ${at}::timestamptz
    from l where e.id = l.id and e.resolved_at is null
    returning e.id`);
  return rows.map((r) => r.id);
}

/** Record when each escalation next needs looking at (null: nothing planned). Bookkeeping only. */
export async function setNextAtBulk(db: Db, items: ReadonlyArray<{ id: string; nextAt: Date | null }>, now: DateTime): Promise<void> {
  if (items.length === 0) return;
  const at = now.toJSDate();
  await db.execute(sql`
    with v(id, next_at) as (values ${values(items.map((i) => sql`(${i.id}::uuid, ${i.nextAt}::timestamptz)`))}),
    l as (select e.id from escalations e join v on v.id = e.id order by e.id for update of e)
    update escalations e set next_at = v.next_at, updated_at = ${at}::timestamptz
    from v, l where e.id = v.id and l.id = e.id`);
}

/** Split a list into consecutive chunks of at most `size` (≥ 1). */
export function chunked<T>(xs: readonly T[], size: number): T[][] {
  const n = Math.max(1, Math.floor(size));
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}
