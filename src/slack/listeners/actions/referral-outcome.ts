import type { BlockButtonAction } from '@slack/bolt';
import type { RegisterListener } from '../index.js';
import { REFERRAL_OUTCOMES } from '../../../db/schema.js';
import { OUTCOME_LABELS } from '../../../referrals/referrals.domain.js';
import { REFERRAL_OUTCOME_ACTION } from '../../../referrals/referral-followup.kind.js';
import { recordReferralOutcome } from '../../../referrals/referrals.service.js';
import { askerOf, markActed, messageOf } from '../../escalation-buttons.flow.js';
import { guarded, staffOrRefuse, tell } from '../../slack.kit.js';
import { isUuid } from '../../../lib/uuid.js';

/** [Reached them] [Still waiting] [Client declined] [Not suitable] on a referral follow-up: recorded (case access checked), shown on the card. */
export const registerReferralOutcome: RegisterListener = (app, deps) => {
  app.action<BlockButtonAction>(new RegExp(`^${REFERRAL_OUTCOME_ACTION}_`), async ({ ack, body, action, client, respond }) => {
    await ack();
    const a = askerOf(body, client, respond);
    await guarded(deps, a, `action:${REFERRAL_OUTCOME_ACTION}`, async () => {
      const me = await staffOrRefuse(deps, a);
      if (!me) return;
      const [id, outcome] = String(action.value ?? '').split(':');
      if (!id || !isUuid(id) || !(REFERRAL_OUTCOMES as readonly string[]).includes(outcome ?? '')) return tell(a, 'This button is out of date.');
      const o = outcome as (typeof REFERRAL_OUTCOMES)[number];
      const r = await recordReferralOutcome(deps, me, id, o);
      if (!r.ok) return tell(a, r.message);
      if (r.duplicate) return;
      const line = `🔗 Referral outcome on ${r.value.caseReference}: *${OUTCOME_LABELS[o]}* (<@${me.slackUserId}>)${o === 'waiting' ? ` — I'll ask again in ${deps.config.REFERRAL_FOLLOWUP_DAYS} days.` : '.'}`;
      await markActed(deps, client, messageOf(body), line, [], { subjectId: id, title: 'Referral follow-up' });
    });
  });
};
