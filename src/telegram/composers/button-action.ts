import { Composer, type NarrowedContext } from 'telegraf';
import type { CallbackQuery, Update } from 'telegraf/types';
import type { z } from 'zod';
import { resolveCallbackToken } from '../callback-tokens.js';
import { prefetchedToken, type BotContext, type BotEnv } from '../telegram.env.js';

export type ButtonContext = NarrowedContext<BotContext, Update.CallbackQueryUpdate<CallbackQuery>>;

/**
 * A composer for the buttons whose server-side action has this `type`; every
 * other button (and a token that does not resolve in this chat) is passed on to
 * the next composer. `handle` gets the action as `schema` reads it, or
 * undefined when the stored action does not fit the schema.
 */
export function buttonActionComposer<S extends z.ZodType<{ type: string }>>(
  env: BotEnv,
  type: string,
  schema: S,
  handle: (ctx: ButtonContext, action: z.infer<S> | undefined, chatId: number) => Promise<void>,
): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const { deps } = env;
  c.on('callback_query', async (ctx, next) => {
    const chatId = ctx.chat?.id;
    const data = 'data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined;
    if (chatId === undefined || !data) return next();
    const resolved = await resolveCallbackToken(deps.db, data, chatId, deps.clock.now(), prefetchedToken(ctx, data));
    if (!resolved.ok || resolved.action.type !== type) return next();
    const parsed = schema.safeParse(resolved.action);
    await handle(ctx, parsed.success ? parsed.data : undefined, chatId);
  });
  return c;
}
