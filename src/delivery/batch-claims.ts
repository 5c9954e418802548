import { sql, type SQL } from 'drizzle-orm';
import type { DateTime } from 'luxon';
import type { Db } from '../db/client.js';
import { deliveries } from '../db/schema.js';
import { executePrepared, fromDriverRow } from '../db/prepared.js';
import { currentLogContext } from '../lib/logger.js';
import { claimVerdictSql } from './claims.js';
import type { DeliveryRow } from './ledger.js';
import { ORDER_HORIZON_MINUTES } from './send-row.js';

/**
 * The statements of the batch sender (send-batch.ts): the single-row claim,
 * confirm and record of claims.ts, each for many rows at once. One claim
 * token per batch; every write is still guarded by it, row by row.
 */

/**
 * Claim up to `limit` rows in one statement, with one token: pending, due by `now`, nobody's live claim, and
 * picked by `where` (over `d`). Oldest due first; rows another transaction has locked are skipped, not waited
 * for. Returned in (due_at, id) order. The batch sender's claim and combine.ts's pages taken along.
 */
export async function claimDueRows(
  db: Db,
  statement: string,
  where: SQL,
  p: { token: string; now: DateTime; leaseSeconds: number; limit: number },
): Promise<DeliveryRow[]> {
  if (p.limit <= 0) return [];
  const at = p.now.toJSDate();
  const expired = p.now.minus({ seconds: p.leaseSeconds }).toJSDate();
  const raw = await executePrepared(
    db,
    statement,
    sql`with cand as (
      select d.id from deliveries d
      where d.status = 'pending' and coalesce(d.not_before, d.due_at) <= ${at}
        and (d.claimed_at is null or d.claimed_at < ${expired}) and ${where}
      order by d.due_at, d.id
      limit ${p.limit}
      for update of d skip locked)
    update deliveries u set claimed_at = ${at}, claim_token = ${p.token}, attempts = u.attempts + 1, updated_at = ${at}
    from cand where u.id = cand.id and u.status = 'pending'
    returning u.*`,
  );
  return raw.map((r) => fromDriverRow(deliveries, r)).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * The batch sender's claim: due rows never attempted (a row that failed once goes the single-row way, with its
 * retries and its journal check), not of an urgent kind, on a channel this process sends to, and with no
 * earlier message to the same recipient still waiting (the single-row path's earlier_waiting, so the
 * per-recipient order holds).
 */
export async function claimBatch(
  db: Db,
  p: { token: string; now: DateTime; leaseSeconds: number; limit: number; channels: string[]; urgentKinds: string[] },
): Promise<DeliveryRow[]> {
  const at = p.now.toJSDate();
  const horizon = p.now.minus({ minutes: ORDER_HORIZON_MINUTES }).toJSDate();
  return claimDueRows(
    db,
    'delivery_claim_batch',
    sql`d.attempts = 0 and d.channel = any(${sql.param(p.channels)}::text[]) and split_part(d.kind, '.', 1) <> all(${sql.param(p.urgentKinds)}::text[])
        and not exists (select 1 from deliveries e
          where e.recipient = d.recipient and e.status = 'pending' and (e.due_at, e.id) < (d.due_at, d.id)
            and coalesce(e.not_before, e.due_at) <= ${at} and coalesce(e.not_before, e.due_at) > ${horizon})`,
    p,
  );
}

/** confirmClaim for many rows: renew the claims and read each row's verdict (id → 'ok' or a skip reason); rows whose claim was lost are absent. */
export async function confirmBatch(db: Db, ids: string[], token: string, now: DateTime): Promise<Map<string, string>> {
  const at = now.toJSDate();
  const rows = await executePrepared(
    db,
    'delivery_confirm_batch',
    sql`update deliveries d set claimed_at = ${at}, updated_at = ${at}
    where d.id = any(${sql.param(ids)}::uuid[]) and d.claim_token = ${token} and d.status = 'pending'
    returning d.id, ${claimVerdictSql()} as verdict`,
  );
  return new Map(rows.map((r) => [String(r.id), String(r.verdict)]));
}

/** Give claims back. `unattempted`: these rows were never tried (no slot for them): their attempt is not counted. */
export async function releaseBatch(db: Db, ids: string[], token: string, now: DateTime, unattempted = false): Promise<void> {
  if (ids.length === 0) return;
  await db.execute(sql`update deliveries set claimed_at = null, claim_token = null, updated_at = ${now.toJSDate()},
      attempts = case when ${unattempted} then greatest(attempts - 1, 0) else attempts end
    where id = any(${sql.param(ids)}::uuid[]) and claim_token = ${token} and status = 'pending'`);
}

/** Heartbeat for a batch's claims. */
export async function renewBatch(db: Db, ids: string[], token: string, now: DateTime): Promise<void> {
  if (ids.length === 0) return;
  await db.execute(sql`update deliveries set claimed_at = ${now.toJSDate()}
    where id = any(${sql.param(ids)}::uuid[]) and claim_token = ${token} and status = 'pending'`);
}

/**
 * markSent for many rows in ONE statement: each row the claim holder still
 * holds becomes `sent` with its platform reference, and gets its
 * `delivery.sent` audit entry (the shape markSent writes). Returns the ids written.
 */
export async function markSentBatch(db: Db, sent: Array<{ id: string; externalRef: string }>, token: string, now: DateTime): Promise<Set<string>> {
  const at = now.toJSDate();
  const ctx = currentLogContext();
  const rows = await executePrepared(
    db,
    'delivery_mark_sent_batch',
    sql`with v as (select * from unnest(${sql.param(sent.map((s) => s.id))}::uuid[], ${sql.param(sent.map((s) => s.externalRef))}::text[]) as v(id, ref)),
    sent as (
      update deliveries d set status = 'sent', sent_at = ${at}, external_ref = v.ref, reason = null, updated_at = ${at}
      from v where d.id = v.id and d.status = 'pending' and d.claim_token = ${token}
      returning d.id, d.case_id, d.kind)
    insert into audit_log (at, actor_type, actor_id, action, case_id, subject_type, subject_id, details, request_id)
    select ${at}, 'system', null, 'delivery.sent', sent.case_id, 'delivery', sent.id::text, jsonb_build_object('kind', sent.kind), ${ctx?.requestId ?? ctx?.jobId ?? null}
    from sent returning subject_id`,
  );
  return new Set(rows.map((r) => String(r.subject_id)));
}
