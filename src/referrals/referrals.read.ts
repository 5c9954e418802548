import { asc, eq } from 'drizzle-orm';
import type { Deps } from '../deps.js';
import type { Db } from '../db/client.js';
import { referralConsents, referrals, resources } from '../db/schema.js';
import { decryptForReader } from '../lib/crypto.js';

/** Reading referrals back: a case's referrals (reasons opened where shown), a client's sharing receipts. */

/** The AADs of the two encrypted columns (sealed in referrals.service.ts). */
export const AAD_REFERRAL_REASON = 'referrals.reason';
export const AAD_VERBAL_REASON = 'referral_consents.verbal_reason';

export interface CaseReferral {
  id: string;
  resource: string;
  createdAt: Date;
  reason: string;
  shareDetails: boolean;
  consentState: string;
  consent: { version: string; language: string; method: string; givenAt: Date | null; declinedAt: Date | null; verbalReason: string | null } | null;
  outcome: string | null;
  outcomeAt: Date | null;
}

/**
 * A case's referrals, oldest first (for someone already allowed to see the case). `text: false` (the
 * case card) leaves the reasons sealed: they are decrypted only where they are shown.
 */
export async function caseReferrals(
  deps: Pick<Deps, 'db' | 'cipher'>,
  caseId: string,
  db: Db = deps.db,
  opts: { text?: boolean } = {},
): Promise<CaseReferral[]> {
  const rows = await db
    .select({ r: referrals, name: resources.name, k: referralConsents })
    .from(referrals)
    .innerJoin(resources, eq(resources.id, referrals.resourceId))
    .leftJoin(referralConsents, eq(referralConsents.referralId, referrals.id))
    .where(eq(referrals.caseId, caseId))
    .orderBy(asc(referrals.createdAt));
  const open = (enc: string | null, aad: string) => (!enc || opts.text === false ? null : decryptForReader(deps.cipher, enc, aad));
  return rows.map(({ r, name, k }) => ({
    id: r.id,
    resource: name,
    createdAt: r.createdAt,
    reason: open(r.reasonEnc, AAD_REFERRAL_REASON) ?? '',
    shareDetails: r.shareDetails,
    consentState: r.consentState,
    consent: k
      ? {
          version: k.consentVersion,
          language: k.language,
          method: k.method,
          givenAt: k.givenAt,
          declinedAt: k.declinedAt,
          verbalReason: open(k.verbalReasonEnc, AAD_VERBAL_REASON),
        }
      : null,
    outcome: r.outcome,
    outcomeAt: r.outcomeAt,
  }));
}

/** The client's own sharing receipts, for /mydata: to whom, which agreement version, given or declined and when. */
export async function sharingReceiptsOf(
  db: Db,
  clientId: string,
): Promise<Array<{ resource: string; version: string; givenAt: Date | null; declinedAt: Date | null }>> {
  return db
    .select({ resource: resources.name, version: referralConsents.consentVersion, givenAt: referralConsents.givenAt, declinedAt: referralConsents.declinedAt })
    .from(referralConsents)
    .innerJoin(referrals, eq(referrals.id, referralConsents.referralId))
    .innerJoin(resources, eq(resources.id, referrals.resourceId))
    .where(eq(referralConsents.clientId, clientId))
    .orderBy(asc(referralConsents.createdAt));
}
