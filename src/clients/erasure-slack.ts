import { and, eq, inArray, like, sql, type SQL } from 'drizzle-orm';
import { cases, deliveries, erasureRequests, staff } from '../db/schema.js';
import type { Deps } from '../deps.js';

/**
 * Copies of the client's words that live in Slack, not in our database: the
 * client's messages relayed to the worker (`client_reply`, full text in the
 * worker's DM or the case thread), the case card posted to the worker and the
 * intake card. An erasure rewrites all of them, a redaction the relayed copy
 * of that one message (maintenance.*-slack-cleanup jobs); this module only
 * finds where they are, from the ledger and the case rows.
 */
export interface SlackCopy {
  kind: 'client_reply' | 'case_card' | 'intake_card';
  ts: string;
  /** Where it most likely is (the case thread's channel), and the staff member whose DM it may be in instead. */
  channel: string | null;
  staffSlackId: string | null;
  reference: string;
}

export const ERASED_SLACK_TEXT = "(This client's personal data was erased at their request; the message text is gone.)";
export const REDACTED_SLACK_TEXT = '(This message was redacted by a supervisor; the text is gone.)';

async function relayedCopies(deps: Deps, where: SQL | undefined): Promise<SlackCopy[]> {
  const rows = await deps.db
    .select({ ts: deliveries.externalRef, slack: staff.slackUserId, channel: cases.slackChannel, reference: cases.reference })
    .from(deliveries)
    .innerJoin(cases, eq(cases.id, deliveries.caseId))
    // recipient is 'staff:<uuid>' (the LIKE below guarantees the prefix).
    .leftJoin(staff, sql`${staff.id} = substring(${deliveries.recipient} from 7)::uuid`)
    .where(and(where, eq(deliveries.kind, 'client_reply'), eq(deliveries.status, 'sent'), like(deliveries.recipient, 'staff:%')));
  return rows.filter((r) => r.ts).map((r) => ({ kind: 'client_reply' as const, ts: r.ts!, channel: r.channel, staffSlackId: r.slack, reference: r.reference }));
}

export async function slackCopiesOf(deps: Deps, requestId: string): Promise<SlackCopy[]> {
  const [r] = await deps.db.select({ clientId: erasureRequests.clientId }).from(erasureRequests).where(eq(erasureRequests.id, requestId)).limit(1);
  if (!r) return [];
  const list = await deps.db.select().from(cases).where(eq(cases.clientId, r.clientId));
  if (list.length === 0) return [];
  const out = await relayedCopies(
    deps,
    inArray(
      deliveries.caseId,
      list.map((c) => c.id),
    ),
  );
  for (const c of list) {
    if (c.slackChannel && c.slackThreadTs)
      out.push({ kind: 'case_card', ts: c.slackThreadTs, channel: c.slackChannel, staffSlackId: null, reference: c.reference });
    if (c.intakeCardChannel && c.intakeCardTs)
      out.push({ kind: 'intake_card', ts: c.intakeCardTs, channel: c.intakeCardChannel, staffSlackId: null, reference: c.reference });
  }
  return out;
}

/** The relayed copy (or copies: one per worker it went to) of one client message. */
export function slackCopiesOfNote(deps: Deps, noteId: string): Promise<SlackCopy[]> {
  return relayedCopies(deps, eq(deliveries.subjectId, noteId));
}
