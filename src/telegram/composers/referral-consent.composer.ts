import type { Composer } from 'telegraf';
import { z } from 'zod';
import { answerReferralConsent, REFERRAL_CONSENT_ACTION } from '../../referrals/referrals.service.js';
import { answerButton, reply } from '../telegram.reply.js';
import { tOf, type BotContext, type BotEnv } from '../telegram.env.js';
import { buttonActionComposer } from './button-action.js';
import { zUuid } from '../../lib/uuid.js';

/**
 * The client's answer to "may we share your details with …?" (a referral's
 * consent, src/referrals/referral-consent.kind.ts). Mount before
 * callbacksComposer: it handles only buttons whose server-side action is
 * 'referral.consent'. One receipt per referral; a second press is told it was answered.
 */
const actionSchema = z.object({ type: z.literal(REFERRAL_CONSENT_ACTION), referralId: zUuid(), yes: z.boolean() });

export function referralConsentComposer(env: BotEnv): Composer<BotContext> {
  const { deps } = env;
  return buttonActionComposer(env, REFERRAL_CONSENT_ACTION, actionSchema, async (ctx, action, chatId) => {
    const t = await tOf(env, ctx);
    const result = action
      ? await answerReferralConsent(deps, { referralId: action.referralId, yes: action.yes, telegramChatId: chatId })
      : { status: 'not_found' as const };
    const said =
      result.status === 'recorded'
        ? t(result.given ? 'referral_consent.given' : 'referral_consent.declined')
        : result.status === 'already'
          ? t('referral_consent.already')
          : t('referral_consent.not_found');
    await answerButton(env, ctx, said);
    await ctx.editMessageReplyMarkup(undefined).catch(() => {});
    await reply(env, ctx, [{ text: said }]);
  });
}
