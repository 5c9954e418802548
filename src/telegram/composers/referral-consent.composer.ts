import { Composer } from 'telegraf';
import { z } from 'zod';
import { answerReferralConsent, REFERRAL_CONSENT_ACTION } from '../../referrals/referrals.service.js';
import { resolveCallbackToken } from '../callback-tokens.js';
import { answerButton, reply } from '../telegram.reply.js';
import { prefetchedToken, tOf, type BotContext, type BotEnv } from '../telegram.env.js';
import { zUuid } from '../../lib/uuid.js';

/**
 * The client's answer to "may we share your details with …?" (a referral's
 * consent, src/referrals/referral-consent.kind.ts). Mount before
 * callbacksComposer: it handles only buttons whose server-side action is
 * 'referral.consent'. One receipt per referral; a second press is told it was answered.
 */
const actionSchema = z.object({ type: z.literal(REFERRAL_CONSENT_ACTION), referralId: zUuid(), yes: z.boolean() });

export function referralConsentComposer(env: BotEnv): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const { deps } = env;
  c.on('callback_query', async (ctx, next) => {
    const chatId = ctx.chat?.id;
    const data = 'data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined;
    if (chatId === undefined || !data) return next();
    const resolved = await resolveCallbackToken(deps.db, data, chatId, deps.clock.now(), prefetchedToken(ctx, data));
    if (!resolved.ok || resolved.action.type !== REFERRAL_CONSENT_ACTION) return next();
    const parsed = actionSchema.safeParse(resolved.action);
    const t = await tOf(env, ctx);
    const result = parsed.success
      ? await answerReferralConsent(deps, { referralId: parsed.data.referralId, yes: parsed.data.yes, telegramChatId: chatId })
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
  return c;
}
