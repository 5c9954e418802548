import { Composer } from 'telegraf';
import { z } from 'zod';
import { crisisCaseAwaitingIntake, requestErasure, setClientLanguage, withdrawCase } from '../../clients/client-commands.service.js';
import { LANGUAGES } from '../../intake/intake.domain.js';
import { deleteChatTokens, resolveCallbackToken } from '../callback-tokens.js';
import { answerButton, reply } from '../telegram.reply.js';
import { prefetchedToken, sessionOf, tOf, type BotContext, type BotEnv } from '../telegram.env.js';
import { runIntake, startIntakeReply } from './intake.composer.js';

/**
 * Button presses. callback_data is only a token; the action is looked up
 * server-side, bound to this chat, with an expiry. Anything else — a forged
 * token, one from another chat, an expired or already used one, a button from
 * an earlier question — is refused politely and the client is shown where they are.
 */
const actionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('intake'), step: z.string(), value: z.string() }),
  z.object({ type: z.literal('withdraw'), yes: z.boolean() }),
  z.object({ type: z.literal('forget'), yes: z.boolean() }),
  z.object({ type: z.literal('lang'), lang: z.enum(LANGUAGES) }),
  /** "Start my request" after a crisis that came before any intake. */
  z.object({ type: z.literal('begin') }),
]);

/** A value no step accepts: the machine answers "that button is from an earlier message" and asks again. */
const STALE = '\u0000stale';

async function clearButtons(ctx: BotContext): Promise<void> {
  await ctx.editMessageReplyMarkup(undefined).catch(() => {});
}

export function callbacksComposer(env: BotEnv): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const { deps } = env;

  c.on('callback_query', async (ctx) => {
    const chatId = ctx.chat!.id;
    const data = 'data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined;
    const now = deps.clock.now();
    const resolved = await resolveCallbackToken(deps.db, data, chatId, now, prefetchedToken(ctx, data));
    const parsed = resolved.ok ? actionSchema.safeParse(resolved.action) : undefined;
    const t = await tOf(env, ctx);
    if (!parsed?.success) {
      deps.logger.info({ reason: resolved.ok ? 'unknown_action' : resolved.reason }, 'callback refused');
      await answerButton(env, ctx, t('tg.buttons.expired'));
      // Show where the client is now, if there is a draft; otherwise the toast says enough.
      await runIntake(env, ctx, { kind: 'choice', value: STALE });
      return;
    }
    const action = parsed.data;
    switch (action.type) {
      case 'intake': {
        const session = await sessionOf(env, ctx);
        if (!session) {
          await answerButton(env, ctx, t('tg.buttons.expired'));
          await clearButtons(ctx);
          return;
        }
        const fresh = action.step === session.state.step;
        await answerButton(env, ctx, fresh ? undefined : t('tg.buttons.expired'));
        if (fresh) await clearButtons(ctx);
        await runIntake(env, ctx, { kind: 'choice', value: fresh ? action.value : STALE });
        return;
      }
      case 'withdraw':
      case 'forget': {
        // One-shot: a second press of the same confirmation is refused.
        const once = await resolveCallbackToken(deps.db, data, chatId, now, { consume: true });
        if (!once.ok) {
          await answerButton(env, ctx, t('tg.buttons.expired'));
          return;
        }
        // Answered: neither button of this confirmation is kept (keyed by the chat, they would outlive the question).
        await deleteChatTokens(deps.db, chatId, [action.type]);
        await answerButton(env, ctx);
        await clearButtons(ctx);
        if (!action.yes) {
          await reply(env, ctx, [{ text: t('withdraw.kept') }]);
          return;
        }
        if (action.type === 'withdraw') {
          const done = await withdrawCase(deps, env.later, ctx.from!.id);
          await reply(env, ctx, [{ text: t(done ? 'withdraw.done' : 'tg.withdraw.none') }]);
        } else {
          await requestErasure(deps, ctx.from!.id);
          await reply(env, ctx, [{ text: t('erasure.ack') }]);
        }
        return;
      }
      case 'begin': {
        await answerButton(env, ctx);
        await clearButtons(ctx);
        if (await sessionOf(env, ctx)) {
          await runIntake(env, ctx, { kind: 'command', name: 'repeat' });
          return;
        }
        const caseId = await crisisCaseAwaitingIntake(deps, ctx.from!.id);
        await startIntakeReply(env, ctx, caseId ?? undefined);
        return;
      }
      case 'lang': {
        await answerButton(env, ctx);
        await clearButtons(ctx);
        await setClientLanguage(deps, ctx.from!.id, action.lang);
        ctx.state.lang = action.lang;
        await reply(env, ctx, [{ text: env.i18n.t(action.lang, 'language.changed') }]);
        return;
      }
    }
  });

  return c;
}
