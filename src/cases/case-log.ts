import { desc, eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Deps } from '../deps.js';
import { deliveries } from '../db/schema.js';

/**
 * `/case C-… log`: the delivery ledger rows for one case, newest first, so
 * staff can see why something did or did not go out (kind, who it was for,
 * when it was due, status, reason). No message text: the ledger holds none.
 */
export interface LedgerLine {
  kind: string;
  recipientType: string;
  channel: string;
  dueAt: DateTime;
  status: string;
  reason: string | null;
  attempts: number;
  sentAt: DateTime | null;
}

export async function caseDeliveryLog(deps: Pick<Deps, 'db'>, caseId: string, limit = 30): Promise<LedgerLine[]> {
  const rows = await deps.db
    .select()
    .from(deliveries)
    .where(eq(deliveries.caseId, caseId))
    .orderBy(desc(deliveries.dueAt), desc(deliveries.createdAt))
    .limit(limit);
  return rows.map((r) => ({
    kind: r.kind,
    recipientType: r.recipient.split(':')[0]!,
    channel: r.channel,
    dueAt: DateTime.fromJSDate(r.dueAt, { zone: 'utc' }),
    status: r.status,
    reason: r.reason,
    attempts: r.attempts,
    sentAt: r.sentAt ? DateTime.fromJSDate(r.sentAt, { zone: 'utc' }) : null,
  }));
}
