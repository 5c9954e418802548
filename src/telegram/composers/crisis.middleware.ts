import type { Middleware } from 'telegraf';
import type { Update } from 'telegraf/types';
import { crisisPhrases, recordCrisis } from '../../clients/crisis.service.js';
import { detectCrisis } from '../../intake/crisis.domain.js';
import { renderCrisis } from '../messages.js';
import { sendReplies } from '../telegram.reply.js';
import { emergencyContacts, forgetSession, langOf, type BotContext, type BotEnv } from '../telegram.env.js';

/**
 * A crisis phrase in any message — a new one, an edited one, a caption, a
 * command's text — interrupts whatever is happening. First the emergency
 * contacts go out, then the crisis is written to PostgreSQL (case flagged or
 * opened, crisis escalation due now). Neither waits for Slack or Redis, and a
 * failure of one never stops the other. Then the update carries on (an intake
 * answer that mentioned the crisis is still kept).
 */
export function textOfUpdate(update: Update): string | undefined {
  const m = 'message' in update ? update.message : 'edited_message' in update ? update.edited_message : undefined;
  if (!m) return undefined;
  if ('text' in m && typeof m.text === 'string') return m.text;
  if ('caption' in m && typeof m.caption === 'string') return m.caption;
  return undefined;
}

export function crisisMiddleware(env: BotEnv): Middleware<BotContext> {
  const { deps } = env;
  const phrases = crisisPhrases(deps.config);
  return async (ctx, next) => {
    const text = textOfUpdate(ctx.update);
    if (!text || !ctx.from || !ctx.chat || !detectCrisis(text, phrases)) return next();
    ctx.state.crisisHandled = true;
    const chatId = ctx.chat.id;
    const lang = await langOf(env, ctx).catch(() => deps.config.DEFAULT_LANGUAGE);
    try {
      await sendReplies(env, ctx.telegram, chatId, [{ text: renderCrisis(emergencyContacts(deps)[lang], env.i18n.fixed(lang)).text }]);
    } catch (err) {
      deps.logger.error({ err: (err as Error)?.message }, 'crisis reply could not be sent');
    }
    try {
      await recordCrisis(deps, env.later, { telegramUserId: ctx.from.id, chatId, language: lang, source: 'phrase' });
    } catch (err) {
      deps.logger.error({ err: (err as Error)?.message }, 'crisis could not be recorded');
    }
    // The crisis record may have written the draft (the case it opened) and the client row.
    forgetSession(ctx);
    return next();
  };
}
