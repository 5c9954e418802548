import { eq } from 'drizzle-orm';
import type { Deps } from '../deps.js';
import { cases, erasureRequests } from '../db/schema.js';
import type { DeliveryRow } from '../delivery/ledger.js';
import { loadStaff, recipientId, staffUnreachable } from '../delivery/recipients.js';

type ErasureRequestRow = typeof erasureRequests.$inferSelect;

/** One round of an erasure decision request: to whom (a channel or a person, with their zone) and about which cases. */
export interface ErasureRequestNotice {
  request: ErasureRequestRow;
  /** A channel id, or the Slack user id of the person asked. */
  to: string;
  zone: string;
  /** The client's case references, oldest first. */
  references: string[];
  round: 'first' | 'hold_review' | 'escalated';
}

/**
 * What the decision request of this row says, or why it is not sent: a later
 * round (escalation, hold review) supersedes it; a decided request renders nothing.
 */
export async function erasureRequestNotice(deps: Deps, row: DeliveryRow): Promise<ErasureRequestNotice | { skip: string }> {
  const [r] = await deps.db.select().from(erasureRequests).where(eq(erasureRequests.id, row.subjectId)).limit(1);
  if (!r) return { skip: 'erasure_request_not_found' };
  if (r.status !== 'pending') return { skip: 'decided' };
  if (r.noticeVersion !== row.version) return { skip: 'superseded' };
  let to: string;
  let zone = deps.config.DEFAULT_TIMEZONE;
  const channel = recipientId(row.recipient, 'channel');
  if (channel) to = channel;
  else {
    const s = await loadStaff(deps.db, recipientId(row.recipient, 'staff') ?? '');
    const why = staffUnreachable(s);
    if (why) return { skip: why };
    to = s!.slackUserId;
    zone = s!.timeZone;
  }
  const references = (await deps.db.select({ reference: cases.reference }).from(cases).where(eq(cases.clientId, r.clientId)).orderBy(cases.openedAt)).map(
    (c) => c.reference,
  );
  const round = r.level === 0 && r.noticeVersion > 1 && r.decidedAt ? 'hold_review' : r.level > 0 ? 'escalated' : 'first';
  return { request: r, to, zone, references, round };
}
