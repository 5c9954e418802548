import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { cases, referrals, resources, REFERRAL_OUTCOMES } from '../db/schema.js';
import { deliveryKind } from '../delivery/kinds/kind.js';
import { loadStaff, recipientId, staffUnreachable } from '../delivery/recipients.js';
import { buttons, escapeMrkdwn, section } from '../delivery/slack-blocks.js';
import { isFinalOutcome, OUTCOME_LABELS } from './referrals.domain.js';
import { REFERRAL_FOLLOWUP_KIND } from './referrals.service.js';

/**
 * REFERRAL_FOLLOWUP_DAYS after a referral (or after "still waiting"), its
 * case's worker is asked what came of it: [Reached them] [Still waiting]
 * [Client declined] [Not suitable]. Only the case reference and the
 * organisation's name: the reason stays on the case. Skipped once answered,
 * when a newer question replaced it, or when the case has closed.
 */
export const REFERRAL_OUTCOME_ACTION = 'referral_outcome';

export const referralFollowupKind = deliveryKind({
  kind: REFERRAL_FOLLOWUP_KIND,
  async render(deps, row) {
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
    const made = DateTime.fromJSDate(hit.r.createdAt).setZone(worker!.timeZone).toFormat('d LLL yyyy');
    const text = `Referral follow-up for ${hit.reference}: you referred the client to ${escapeMrkdwn(hit.name)} on ${made}. What came of it?`;
    return {
      channel: 'slack',
      to: worker!.slackUserId,
      text,
      blocks: [
        section(text),
        buttons(
          `referral:${hit.r.id}`,
          REFERRAL_OUTCOMES.map((o) => ({
            text: OUTCOME_LABELS[o],
            actionId: `${REFERRAL_OUTCOME_ACTION}_${o}`,
            value: `${hit.r.id}:${o}`,
            ...(o === 'reached' ? { style: 'primary' as const } : {}),
          })),
        ),
      ],
    };
  },
});
