import { and, eq, inArray, like, sql } from 'drizzle-orm';
import { cases, deliveries, erasureRequests, staff } from '../db/schema.js';
import type { Deps } from '../deps.js';

/**
 * Copies of the client's words that live in Slack, not in our database: the
 * client's messages relayed to the worker (`client_reply`, full text in the
 * worker's DM or the case thread) and the case card posted to the worker. The
 * erasure rewrites them (maintenance.erasure-slack-cleanup); this module only
 * finds where they are, from the ledger and the case rows.
 */
export interface SlackCopy {
  kind: 'client_reply' | 'case_card';
  ts: string;
  /** Where it most likely is (the case thread's channel), and the staff member whose DM it may be in instead. */
  channel: string | null;
  staffSlackId: string | null;
  reference: string;
}

export const ERASED_SLACK_TEXT = '(This client\'s personal data was erased at their request; the message text is gone.)';

export async function slackCopiesOf(deps: Deps, requestId: string): Promise<SlackCopy[]> {
  const [r] = await deps.db.select({ clientId: erasureRequests.clientId }).from(erasureRequests).where(eq(erasureRequests.id, requestId)).limit(1);
  if (!r) return [];
  const list = await deps.db.select().from(cases).where(eq(cases.clientId, r.clientId));
  if (list.length === 0) return [];
  const byId = new Map(list.map((c) => [c.id, c]));
  const rows = await deps.db.select({ d: deliveries, slack: staff.slackUserId }).from(deliveries)
    // recipient is 'staff:<uuid>' (the LIKE below guarantees the prefix).
    .leftJoin(staff, sql`${staff.id} = substring(${deliveries.recipient} from 7)::uuid`)
    .where(and(inArray(deliveries.caseId, [...byId.keys()]), eq(deliveries.kind, 'client_reply'), eq(deliveries.status, 'sent'), like(deliveries.recipient, 'staff:%')));
  const out: SlackCopy[] = [];
  for (const { d, slack } of rows) {
    const c = byId.get(d.caseId!);
    if (!c || !d.externalRef) continue;
    out.push({ kind: 'client_reply', ts: d.externalRef, channel: c.slackChannel, staffSlackId: slack, reference: c.reference });
  }
  for (const c of list) {
    if (c.slackChannel && c.slackThreadTs) out.push({ kind: 'case_card', ts: c.slackThreadTs, channel: c.slackChannel, staffSlackId: null, reference: c.reference });
  }
  return out;
}

