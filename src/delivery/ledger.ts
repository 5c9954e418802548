import { sql, type SQL } from 'drizzle-orm';
import type { DateTime } from 'luxon';
import { executePrepared, fromDriverRow } from '../db/prepared.js';
import type { Db } from '../db/client.js';
import { deliveries, type DELIVERY_CHANNELS } from '../db/schema.js';
import type { JobQueues } from '../jobs/queues.js';
import { deliverySendJob } from '../jobs/delivery-send.job.js';
import type { LedgerKind } from './kinds/names.js';
import { createLater, type Later } from '../db/after-commit.js';
import type { Logger } from '../lib/logger.js';
import type { Clock } from '../lib/clock.js';
import { jobHorizonMs, type HorizonConfig } from './horizon.js';

/**
 * Every outbound message is a ledger row first, unique per (kind, subject,
 * version, recipient). Planning the same message twice returns the existing row.
 * Rows are written inside the caller's transaction; jobs are added after commit
 * (`scheduleAfterCommit`, by the policy in src/db/after-commit.ts), and the
 * reconciler re-adds any job that went missing in between.
 */
export type DeliveryRow = typeof deliveries.$inferSelect;

export type Recipient = `client:${string}` | `staff:${string}` | `channel:${string}`;

export interface PlannedDelivery {
  /** A delivery kind's name, or its name and a slot ('appointment_reminder.PT24H'): a name with no renderer does not compile. */
  kind: LedgerKind;
  subjectId: string;
  version?: number;
  recipient: Recipient;
  channel: (typeof DELIVERY_CHANNELS)[number];
  caseId?: string | null;
  dueAt: DateTime;
  notBefore?: DateTime | null;
  /** Planned already decided not to send (e.g. due time passed): recorded with its reason, never enqueued. */
  skipReason?: string;
}

/**
 * One statement for any number of rows. The columns go as one array parameter
 * each (INSERT … SELECT FROM unnest … WITH ORDINALITY, in the given order):
 * twelve parameters whatever the count, and none of the query builder's
 * per-value work, which cost more CPU than the statement itself (a booking's
 * seven rows took about 0.5 ms to build). The no-op update makes RETURNING
 * yield rows that already existed too, so planning twice returns the same rows.
 */
export async function planDeliveries(tx: Db, items: PlannedDelivery[], now: DateTime): Promise<DeliveryRow[]> {
  if (items.length === 0) return [];
  return (await executePrepared(tx, 'plan_deliveries', planDeliveriesSql(items, now))).map((r) => fromDriverRow(deliveries, r));
}

/**
 * The statement planDeliveries runs (RETURNING every column), for callers that
 * put it in a larger one as a data-modifying CTE; `when` inserts the rows only
 * if it holds (e.g. `exists (select 1 from appt)`: only if the appointment
 * they belong to was inserted by the same statement).
 */
export function planDeliveriesSql(items: PlannedDelivery[], now: DateTime, when?: SQL): SQL {
  const at = now.toUTC().toISO();
  const col = <T>(f: (i: PlannedDelivery) => T) => sql.param(items.map(f));
  return sql`
    insert into deliveries (kind, subject_id, version, recipient, channel, case_id, due_at, not_before, status, reason, created_at, updated_at)
    select v.kind, v.subject_id, v.version, v.recipient, v.channel, v.case_id, v.due_at, v.not_before, v.status, v.reason, ${at}::timestamptz, ${at}::timestamptz
    from unnest(${col((i) => i.kind)}::text[], ${col((i) => i.subjectId)}::text[], ${col((i) => i.version ?? 1)}::int[],
      ${col((i) => i.recipient)}::text[], ${col((i) => i.channel)}::text[], ${col((i) => i.caseId ?? null)}::uuid[],
      ${col((i) => i.dueAt.toUTC().toISO())}::timestamptz[], ${col((i) => i.notBefore?.toUTC().toISO() ?? null)}::timestamptz[],
      ${col((i) => (i.skipReason ? 'skipped' : 'pending'))}::text[], ${col((i) => i.skipReason ?? null)}::text[])
      with ordinality as v(kind, subject_id, version, recipient, channel, case_id, due_at, not_before, status, reason, n)
    ${when ? sql`where ${when}` : sql``}
    order by v.n
    on conflict (kind, subject_id, version, recipient) do update set updated_at = deliveries.updated_at
    returning *`;
}

/**
 * Add send jobs for pending rows, delayed until each may go out. Safe to call twice. A row due now (a
 * crisis page, a notice, an answer) goes to the head of the waiting list (lifo), so it is not sent after
 * a burst of reminders already waiting there; per-recipient order is kept by the sender's own check.
 * Only rows due within `horizonMs` get a job now; the reconciler adds the others as they come within
 * its horizon (horizon.ts). Returns how many jobs were added.
 */
export async function scheduleDeliveries(queues: JobQueues, rows: DeliveryRow[], now: DateTime, horizonMs = Number.POSITIVE_INFINITY): Promise<number> {
  const jobs: Array<{ payload: { deliveryId: string }; opts: { delay: number; lifo?: boolean } }> = [];
  for (const r of rows) {
    if (r.status !== 'pending') continue;
    const delay = Math.max(0, (r.notBefore ?? r.dueAt).getTime() - now.toMillis());
    if (delay > horizonMs) continue;
    jobs.push({ payload: { deliveryId: r.id }, opts: delay === 0 ? { delay, lifo: true } : { delay } });
  }
  if (jobs.length) await queues.addBulk(deliverySendJob, jobs);
  return jobs.length;
}

/**
 * The send jobs of rows a committed transaction planned, by the after-commit
 * policy (src/db/after-commit.ts): waits at most AFTER_COMMIT_WAIT_MS, never
 * throws; a failure is logged and the due-row tick sends the pending rows.
 * `later`: the caller's tracked Later (Telegram: not awaited, drained at stop).
 */
export function scheduleAfterCommit(
  deps: { queues: JobQueues; logger: Pick<Logger, 'warn'>; clock: Clock; config: HorizonConfig },
  rows: DeliveryRow[],
  later: Later = createLater(deps.logger),
): Promise<void> {
  if (rows.length === 0) return Promise.resolve();
  const horizonMs = jobHorizonMs(deps.config);
  return later('deliveries.schedule', () => scheduleDeliveries(deps.queues, rows, deps.clock.now(), horizonMs), { deliveries: rows.map((r) => r.id) });
}
