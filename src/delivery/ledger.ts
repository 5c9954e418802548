import { inArray, sql } from 'drizzle-orm';
import type { DateTime } from 'luxon';
import type { Db } from '../db/client.js';
import { deliveries, DELIVERY_CHANNELS } from '../db/schema.js';
import type { JobQueues } from '../jobs/queues.js';
import { deliverySendJob } from '../jobs/delivery-send.job.js';

/**
 * Every outbound message is a ledger row first, unique per (kind, subject,
 * version, recipient). Planning the same message twice returns the existing row.
 * Rows are written inside the caller's transaction; jobs are added after commit
 * (`schedule`), and the reconciler re-adds any job that went missing in between.
 */
export type DeliveryRow = typeof deliveries.$inferSelect;

export type Recipient = `client:${string}` | `staff:${string}` | `channel:${string}`;

export interface PlannedDelivery {
  kind: string;
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

export async function planDeliveries(tx: Db, items: PlannedDelivery[], now: DateTime): Promise<DeliveryRow[]> {
  if (items.length === 0) return [];
  const at = now.toJSDate();
  const values = items.map((i) => ({
    kind: i.kind,
    subjectId: i.subjectId,
    version: i.version ?? 1,
    recipient: i.recipient,
    channel: i.channel,
    caseId: i.caseId ?? null,
    dueAt: i.dueAt.toJSDate(),
    notBefore: i.notBefore?.toJSDate() ?? null,
    status: i.skipReason ? ('skipped' as const) : ('pending' as const),
    reason: i.skipReason ?? null,
    createdAt: at,
    updatedAt: at,
  }));
  // Upsert with a no-op update so RETURNING yields existing rows too.
  return tx
    .insert(deliveries)
    .values(values)
    .onConflictDoUpdate({
      target: [deliveries.kind, deliveries.subjectId, deliveries.version, deliveries.recipient],
      set: { updatedAt: sql`${deliveries.updatedAt}` },
    })
    .returning();
}

/** Add send jobs for pending rows, delayed until each may go out. Safe to call twice. */
export async function scheduleDeliveries(queues: JobQueues, rows: DeliveryRow[], now: DateTime): Promise<number> {
  const pending = rows.filter((r) => r.status === 'pending');
  await queues.addBulk(
    deliverySendJob,
    pending.map((r) => ({
      payload: { deliveryId: r.id },
      opts: { delay: Math.max(0, (r.notBefore ?? r.dueAt).getTime() - now.toMillis()) },
    })),
  );
  return pending.length;
}

export async function findDeliveries(db: Db, ids: string[]): Promise<DeliveryRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(deliveries).where(inArray(deliveries.id, ids));
}
