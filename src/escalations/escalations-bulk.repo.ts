import { sql, type SQL } from 'drizzle-orm';
import type { DateTime } from 'luxon';
import type { Db } from '../db/client.js';
import { rowsOf as rawRows } from '../db/prepared.js';
import type { EscalationReason } from './escalations.repo.js';

/**
 * Set-based writes for the escalation sweep: one statement per chunk of rows
 * instead of one (or three) per escalation. Each column goes as one array
 * parameter (`unnest($1::uuid[], …)`): a handful of parameters whatever the
 * chunk size, and none of the per-value cost of building a long VALUES list.
 * Timestamps go as ISO strings. Plain PostgreSQL, so PGlite runs it too.
 *
 * Two sweeps may run at once (the tick and an on-demand sweep, or two worker
 * processes). Every statement here that writes existing escalation rows first
 * locks them in id order, and the open statement inserts in case-id order, so
 * two sweeps touching the same rows queue behind each other instead of
 * deadlocking; the conditions (`notifications = expected`, `resolved_at is
 * null`) are re-checked on the newest row version once the lock is held.
 */

async function rowsOf<T>(db: Db, query: SQL): Promise<T[]> {
  return rawRows(await db.execute(query)) as T[];
}

/** One array parameter (not drizzle's expansion of an array into a list). */
const arr = (xs: ReadonlyArray<string | number | null>): SQL => sql`${sql.param(xs)}`;
const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

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
  const at = now.toUTC().toISO();
  const sorted = [...items].sort((a, b) => (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0));
  const rows = await rowsOf<{ id: string; case_id: string }>(
    tx,
    sql`
    insert into escalations (case_id, reason, level, opened_at, next_at, created_at, updated_at)
    select v.case_id, ${reason}, 0, ${at}::timestamptz, ${at}::timestamptz, ${at}::timestamptz, ${at}::timestamptz
    from unnest(${arr(sorted.map((i) => i.caseId))}::uuid[], ${arr(sorted.map((i) => iso(i.since)))}::timestamptz[]) as v(case_id, since)
    where not exists (
      select 1 from escalations e
      where e.case_id = v.case_id and e.reason = ${reason} and (v.since is null or e.opened_at >= v.since))
    order by v.case_id
    on conflict do nothing
    returning id, case_id`,
  );
  return rows.map((r) => ({ id: r.id, caseId: r.case_id }));
}

/**
 * Take the next notification of each escalation, optimistically: only where
 * `notifications` still equals what the caller read and the escalation is not
 * resolved. Returns the taken rows with their new notification number (= the
 * message version); a row another sweep took first is simply not returned.
 * `nextAt` is when the step after this one is due (bookkeeping, as in setNextAtBulk).
 */
export async function takeNotifications(
  tx: Db,
  items: ReadonlyArray<{ id: string; notifications: number; level: number; nextAt: Date | null }>,
  now: DateTime,
): Promise<Array<{ id: string; notifications: number }>> {
  if (items.length === 0) return [];
  const at = now.toUTC().toISO();
  return rowsOf<{ id: string; notifications: number }>(
    tx,
    sql`
    with v(id, n, level, next_at) as (select * from unnest(${arr(items.map((i) => i.id))}::uuid[], ${arr(items.map((i) => i.notifications))}::int[],
      ${arr(items.map((i) => i.level))}::int[], ${arr(items.map((i) => iso(i.nextAt)))}::timestamptz[])),
    l as (
      select e.id from escalations e join v on v.id = e.id
      where e.notifications = v.n and e.resolved_at is null
      order by e.id for update of e)
    update escalations e
    set level = v.level, last_notified_at = ${at}::timestamptz, notifications = e.notifications + 1, next_at = v.next_at, updated_at = ${at}::timestamptz
    from v, l
    where e.id = v.id and l.id = e.id and e.notifications = v.n and e.resolved_at is null
    returning e.id, e.notifications`,
  );
}

/** Resolve the still-open escalations among `ids` with `resolution`; returns the ids this call resolved. */
export async function resolveEscalationsBulk(tx: Db, ids: readonly string[], resolution: string, now: DateTime): Promise<string[]> {
  if (ids.length === 0) return [];
  const at = now.toUTC().toISO();
  const rows = await rowsOf<{ id: string }>(
    tx,
    sql`
    with l as (
      select e.id from escalations e
      where e.id = any(${arr(ids)}::uuid[]) and e.resolved_at is null
      order by e.id for update of e)
    update escalations e
    set resolved_at = ${at}::timestamptz, resolution = ${resolution}, next_at = null, updated_at = ${at}::timestamptz
    from l where e.id = l.id and e.resolved_at is null
    returning e.id`,
  );
  return rows.map((r) => r.id);
}

/** Record when each escalation next needs looking at (null: nothing planned). Bookkeeping only. */
export async function setNextAtBulk(db: Db, items: ReadonlyArray<{ id: string; nextAt: Date | null }>, now: DateTime): Promise<void> {
  if (items.length === 0) return;
  const at = now.toUTC().toISO();
  await db.execute(sql`
    with v(id, next_at) as (select * from unnest(${arr(items.map((i) => i.id))}::uuid[], ${arr(items.map((i) => iso(i.nextAt)))}::timestamptz[])),
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

/**
 * Run `fn` over the chunks with at most `limit` in flight: while one chunk's
 * statements run in PostgreSQL, the next is prepared in Node (and its jobs go
 * to Redis), so database, Node and Redis work overlap. Chunks of one sweep
 * touch disjoint rows, so they never wait for each other. Results are in chunk
 * order; the first failure is thrown once every started chunk has settled.
 */
export async function eachChunk<T, R>(chunks: readonly T[], limit: number, fn: (chunk: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(chunks.length);
  let next = 0;
  let failed: { err: unknown } | undefined;
  const lane = async () => {
    while (!failed && next < chunks.length) {
      const i = next++;
      try {
        out[i] = await fn(chunks[i]!);
      } catch (err) {
        failed ??= { err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, chunks.length)) }, lane));
  if (failed) throw failed.err;
  return out;
}
