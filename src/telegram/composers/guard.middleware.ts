import type { Middleware } from 'telegraf';
import { clearBotBlocked } from '../../clients/bot-blocked.service.js';
import { releaseInbound, type InboundSource } from '../../db/inbound-dedupe.js';
import { withLogContext } from '../../lib/logger.js';
import { sendReplies } from '../telegram.reply.js';
import { prefetchUpdate } from '../telegram.prefetch.js';
import { tOf, type BotContext, type BotEnv } from '../telegram.env.js';

/**
 * Ahead of everything else:
 * - private chats only (casework is one person and the agency, never a group);
 * - at-least-once delivery: an update_id already handled is dropped here, so a
 *   redelivered "Submit" creates one case and a redelivered crisis pages once;
 *   the same statement reads what the update needs next (telegram.prefetch.ts),
 *   kept in ctx.state.pre for this update only;
 * - updates of one chat are handled one at a time, in update_id order, across
 *   every app process (telegram.shared-gate.ts; Redis, bounded, with this
 *   process's own order as the fallback);
 * - an unexpected failure gets a calm "your answers are saved" and the update
 *   is released for redelivery; the error is logged without personal data.
 * - a client who had blocked the bot and writes again has unblocked it
 *   (src/clients/bot-blocked.service.ts clears bot_blocked_at).
 */
export const DEDUPE_SOURCE: InboundSource = 'telegram';

export function guardMiddleware(env: BotEnv): Middleware<BotContext> {
  const { deps } = env;
  return async (ctx, next) => {
    const chat = ctx.chat;
    if (chat?.type !== 'private' || !ctx.from) return;
    const updateId = String(ctx.update.update_id);
    await env.gate.run(chat.id, ctx.update.update_id, () =>
      withLogContext({ updateId: ctx.update.update_id }, async () => {
        const data = ctx.callbackQuery && 'data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined;
        const { fresh, blocked, pre } = await prefetchUpdate(deps, DEDUPE_SOURCE, updateId, ctx.from!.id, data, deps.clock.now());
        if (!fresh) {
          deps.logger.debug({ updateId }, 'duplicate update ignored');
          return;
        }
        ctx.state.pre = pre;
        if (ctx.message) {
          const id = ctx.message.message_id;
          env.later('track', () => env.tracker.add(chat.id, id));
        }
        try {
          if (blocked) await clearBotBlocked(deps, ctx.from!.id);
          await next();
        } catch (err) {
          deps.logger.error({ updateId, err: (err as Error)?.message, code: (err as { code?: string })?.code }, 'update failed');
          await releaseInbound(deps.db, DEDUPE_SOURCE, updateId).catch(() => {});
          // Whatever the failed steps wrote or not, read afresh.
          delete ctx.state.pre;
          try {
            const t = await tOf(env, ctx);
            await sendReplies(env, ctx.telegram, chat.id, [{ text: t('error.generic') }]);
          } catch {
            // Telegram or the database is down too; the update is released for redelivery.
          }
        }
      }),
    );
  };
}

/** Flood control (after the crisis middleware, so a crisis reply is never held); counted across app processes. */
export function throttleMiddleware(env: BotEnv): Middleware<BotContext> {
  return async (ctx, next) => {
    const chatId = ctx.chat!.id;
    const admission = await env.gate.admit(chatId);
    if (admission !== 'normal') {
      ctx.state.hold = true;
      if (admission === 'notify') {
        const t = await tOf(env, ctx);
        await sendReplies(env, ctx.telegram, chatId, [{ text: t('throttle.text') }]);
      }
    }
    return next();
  };
}
