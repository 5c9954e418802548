import { DateTime } from 'luxon';
import { REFERRAL_OUTCOMES } from '../../db/schema.js';
import { deliveryKind } from '../../delivery/kinds/kind.js';
import { referralFollowup } from '../../referrals/referral-followup.js';
import { OUTCOME_LABELS } from '../../referrals/referrals.domain.js';
import { REFERRAL_FOLLOWUP_KIND } from '../../referrals/referrals.service.js';
import { buttons, esc, section } from '../ui/blocks.js';
import { BLOCKS, referralOutcomeAction } from '../ui/ids.js';

/**
 * REFERRAL_FOLLOWUP_DAYS after a referral (or after "still waiting"), its
 * case's worker is asked what came of it: [Reached them] [Still waiting]
 * [Client declined] [Not suitable]. Only the case reference and the
 * organisation's name: the reason stays on the case. Skipped once answered,
 * when a newer question replaced it, or when the case has closed.
 */
export const referralFollowupKind = deliveryKind({
  kind: REFERRAL_FOLLOWUP_KIND,
  async render(deps, row) {
    const q = await referralFollowup(deps, row);
    if ('skip' in q) return q;
    const made = DateTime.fromJSDate(q.referral.createdAt).setZone(q.worker.timeZone).toFormat('d LLL yyyy');
    const text = `Referral follow-up for ${q.reference}: you referred the client to ${esc(q.resourceName)} on ${made}. What came of it?`;
    return {
      channel: 'slack',
      to: q.worker.slackUserId,
      text,
      blocks: [
        section(text),
        buttons(
          BLOCKS.referral(q.referral.id),
          REFERRAL_OUTCOMES.map((o) => ({
            text: OUTCOME_LABELS[o],
            actionId: referralOutcomeAction(o),
            value: `${q.referral.id}:${o}`,
            ...(o === 'reached' ? { style: 'primary' as const } : {}),
          })),
        ),
      ],
    };
  },
});
