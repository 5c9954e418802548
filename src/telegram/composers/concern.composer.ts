import { Composer } from 'telegraf';
import { crisisCaseAwaitingIntake } from '../../clients/client-commands.service.js';
import { recordConcernAnsweredSafe } from '../../clients/concern-answer.service.js';
import { metrics } from '../../lib/metrics.js';
import { answerButton, reply } from '../telegram.reply.js';
import { sessionOf, tOf, type BotContext, type BotEnv } from '../telegram.env.js';
import { CONCERN_SAFE, CONCERN_UNSAFE, recordWithRetry } from './crisis.middleware.js';
import { runIntake } from './intake.composer.js';

/**
 * The two answers to the concern question (crisis.middleware.ts
 * startConcernQuestion). They are plain callback data, not tokens: the only
 * person who can press them is the client in their own chat, and either answer
 * is safe to act on however often it comes.
 *
 * - "No, I'm not safe": a crisis. The emergency reply already started ahead of
 *   everything (crisisFirstMiddleware); here it is recorded like the intake's
 *   own safety question answered "no" — the case flagged or opened, the on-call
 *   supervisor paged — and an intake in progress pauses.
 * - "Yes, I'm safe": thanked; the intake carries on where it was.
 */
export function concernComposer(env: BotEnv): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.on('callback_query', async (ctx, next) => {
    const data = 'data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined;
    if (data !== CONCERN_SAFE && data !== CONCERN_UNSAFE) return next();
    await answerButton(env, ctx);
    await ctx.editMessageReplyMarkup(undefined).catch(() => {});
    metrics.crisisConcernAnswers.inc({ answer: data === CONCERN_SAFE ? 'safe' : 'unsafe' });
    const t = await tOf(env, ctx);
    if (data === CONCERN_SAFE) {
      await reply(env, ctx, [{ text: t('concern.safe_ack') }]);
      await recordConcernAnsweredSafe(env.deps, ctx.from.id);
      return;
    }
    env.deps.logger.warn({ answer: 'unsafe' }, 'client answered the concern question: not safe');
    if (await sessionOf(env, ctx)) {
      // The intake records the crisis (source safety_check), ties the reply to its ledger row, and pauses.
      if (await runIntake(env, ctx, { kind: 'unsafe' })) return;
    }
    const lang = ctx.state.lang ?? env.langs.get(ctx.chat!.id) ?? env.deps.config.DEFAULT_LANGUAGE;
    await recordWithRetry(env, ctx.update.update_id, { telegramUserId: ctx.from.id, chatId: ctx.chat!.id, language: lang, source: 'safety_check' });
    if (await crisisCaseAwaitingIntake(env.deps, ctx.from.id)) {
      await reply(env, ctx, [{ text: t('crisis.begin_offer'), buttons: [[{ label: t('crisis.start_request'), action: { type: 'begin' } }]] }]);
    }
  });
  return c;
}
