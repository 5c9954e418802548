import { eq } from 'drizzle-orm';
import { referrals, resources } from '../db/schema.js';
import { deliveryKind } from '../delivery/kinds/kind.js';
import { loadStaff, openCaseClient } from '../delivery/recipients.js';
import { createI18n } from '../i18n/i18n.js';
import { firstName } from '../cases/message-to-client.kind.js';
import { REFERRAL_CONSENT_VERSION } from './referrals.domain.js';
import { REFERRAL_CONSENT_ACTION, REFERRAL_CONSENT_KIND } from './referrals.service.js';

const i18n = createI18n();

/**
 * Asks the client on Telegram, in their language, whether their details may
 * be shared with the organisation a worker referred them to, showing the
 * sharing agreement's version; [Yes, share them] [No, do not share]. Discreet
 * mode names neither the worker nor the organisation. Skipped when the
 * question is no longer open (answered, or the case closed).
 */
export const referralConsentKind = deliveryKind({
  kind: REFERRAL_CONSENT_KIND,
  async render(deps, row) {
    const [hit] = await deps.db
      .select({ r: referrals, name: resources.name })
      .from(referrals)
      .innerJoin(resources, eq(resources.id, referrals.resourceId))
      .where(eq(referrals.id, row.subjectId))
      .limit(1);
    if (!hit) return { skip: 'referral_not_found' };
    if (hit.r.consentState !== 'asked') return { skip: 'answered' };
    const target = await openCaseClient(deps.db, hit.r.caseId, row.recipient);
    if ('skip' in target) return target;
    const t = i18n.fixed(target.lang);
    const worker = hit.r.referredBy ? await loadStaff(deps.db, hit.r.referredBy) : undefined;
    const text = deps.config.DISCREET_MODE
      ? t('referral_consent.text_discreet', { version: REFERRAL_CONSENT_VERSION })
      : t('referral_consent.text', {
          name: firstName(worker?.displayName) || t('appt_notice.your_worker'),
          resource: hit.name,
          version: REFERRAL_CONSENT_VERSION,
        });
    const action = (yes: boolean) => ({ type: REFERRAL_CONSENT_ACTION, referralId: hit.r.id, yes });
    return {
      channel: 'telegram',
      chatId: target.chatId,
      text,
      buttons: [[{ label: t('referral_consent.yes'), action: action(true) }], [{ label: t('referral_consent.no'), action: action(false) }]],
    };
  },
});
