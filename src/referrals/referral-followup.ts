import { eq } from 'drizzle-orm';
import type { Deps } from '../deps.js';
import { cases, referrals, resources } from '../db/schema.js';
import type { DeliveryRow } from '../delivery/ledger.js';
import { loadStaff, recipientId, type StaffRow, staffUnreachable } from '../delivery/recipients.js';
import { isFinalOutcome } from './referrals.domain.js';

export interface ReferralFollowup {
  referral: typeof referrals.$inferSelect;
  /** The organisation's name (not the client's: the reason stays on the case). */
  resourceName: string;
  reference: string;
  worker: StaffRow;
}

/**
 * The question "what came of this referral?" for its case's worker, or why
 * it is not asked: answered already, replaced by a newer question, or the case closed.
 */
export async function referralFollowup(deps: Deps, row: DeliveryRow): Promise<ReferralFollowup | { skip: string }> {
  const [hit] = await deps.db
    .select({ r: referrals, name: resources.name, reference: cases.reference, status: cases.status })
    .from(referrals)
    .innerJoin(resources, eq(resources.id, referrals.resourceId))
    .innerJoin(cases, eq(cases.id, referrals.caseId))
    .where(eq(referrals.id, row.subjectId))
    .limit(1);
  if (!hit) return { skip: 'referral_not_found' };
  if (hit.status !== 'open') return { skip: 'case_not_open' };
  if (isFinalOutcome(hit.r.outcome)) return { skip: 'answered' };
  if (hit.r.followUpVersion !== row.version) return { skip: 'superseded' };
  const worker = await loadStaff(deps.db, recipientId(row.recipient, 'staff') ?? '');
  const why = staffUnreachable(worker);
  if (why) return { skip: why };
  return { referral: hit.r, resourceName: hit.name, reference: hit.reference, worker: worker! };
}
