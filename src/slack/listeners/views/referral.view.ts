import type { RegisterListener } from '../index.js';
import { recordReferral } from '../../../referrals/referrals.service.js';
import { REFERRAL_VIEW } from '../../ui/ids.js';
import { esc } from '../../ui/blocks.js';
import { registerCaseView } from '../../view-submit.flow.js';

/** The referral modal submitted: one referral per modal (whatever the clicks); consent asked or recorded; the follow-up planned. */
export const registerReferralView: RegisterListener = (app, deps) =>
  registerCaseView(app, deps, REFERRAL_VIEW, {
    fallbackField: 'reason',
    async handle({ me, meta, f }) {
      if (!meta.caseId) return { ok: false, field: 'reason', message: 'This form is out of date. Close it and run the command again.' };
      return recordReferral(
        deps,
        me,
        meta.caseId,
        {
          resourceId: f.select('resource'),
          reason: f.text('reason'),
          share: f.select('share'),
          verbalReason: f.text('verbalReason'),
        },
        `slack:referral:${meta.nonce}`,
      );
    },
    confirm: ({ reference, value }) =>
      `🔗 Referral recorded on ${reference}: ${esc(value.resourceName)}. ${value.referral.consentState === 'asked' ? 'The client is asked in Telegram whether their details may be shared. ' : ''}You will be asked what came of it in ${deps.config.REFERRAL_FOLLOWUP_DAYS} days.`,
  });
