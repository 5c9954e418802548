import { Composer } from 'telegraf';
import { clientData, clientStatus, crisisCaseAwaitingIntake, hasOpenCase, recordQuickExit, setReminders } from '../../clients/client-commands.service.js';
import { findClientByTelegramUser } from '../../clients/clients.repo.js';
import { cancelIntake } from '../../intake/intake.service.js';
import { renderHelp } from '../messages.js';
import { renderMyData, renderStatusReply } from '../telegram.render.js';
import { reply } from '../telegram.reply.js';
import { withTimeout } from '../../lib/timeout.js';
import type { T } from '../../i18n/i18n.js';
import { contactsOf, langOf, sessionOf, tOf, type BotContext, type BotEnv, type Reply } from '../telegram.env.js';
import { runIntake, startIntakeReply } from './intake.composer.js';

/** "Are you sure?" with [yes] [no]: the one-shot buttons callbacks.composer.ts answers (action `type`, texts under `texts`). */
function confirmation(t: T, type: 'withdraw' | 'forget', texts: 'withdraw' | 'erasure'): Reply {
  return {
    text: t(`${texts}.confirm`),
    buttons: [
      [
        { label: t(`${texts}.yes`), action: { type, yes: true } },
        { label: t(`${texts}.no`), action: { type, yes: false } },
      ],
    ],
  };
}

/**
 * The always-available commands. Each works at any point of the intake and
 * after it; none loses a draft except /cancel (and /forget, on confirmation).
 */
export function commandsComposer(env: BotEnv): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const { deps } = env;
  const uid = (ctx: BotContext) => ctx.from!.id;

  c.command('start', async (ctx) => {
    // A draft: ask its current question again (after a crisis pause, /start is "continue").
    if ((await sessionOf(env, ctx)) && (await runIntake(env, ctx, { kind: 'command', name: 'repeat' }))) return;
    // No client row when the update arrived (the guard's read): no open case either.
    const noClient = ctx.state.pre?.clientLanguage === null;
    const awaiting = noClient ? null : await crisisCaseAwaitingIntake(deps, uid(ctx));
    if (awaiting) return startIntakeReply(env, ctx, awaiting);
    if (!noClient && (await hasOpenCase(deps, uid(ctx)))) {
      // A client with a case: /start is "reminders back on" (the pair of /stop), then where things are.
      const { changed } = await setReminders(deps, uid(ctx), false);
      const t = await tOf(env, ctx);
      const status = renderStatusReply(t, await clientStatus(deps, uid(ctx)), await langOf(env, ctx));
      await reply(env, ctx, changed ? [{ text: t('reminders.on') }, status] : [status]);
      return;
    }
    await startIntakeReply(env, ctx);
  });

  c.command('help', async (ctx) => {
    await reply(env, ctx, [{ text: renderHelp(await tOf(env, ctx), await contactsOf(env, ctx)).text }]);
  });

  c.command('language', async (ctx) => {
    if (await runIntake(env, ctx, { kind: 'command', name: 'language' })) return;
    if (!(await findClientByTelegramUser(deps.db, uid(ctx)))) return startIntakeReply(env, ctx);
    const t = await tOf(env, ctx);
    await reply(env, ctx, [
      {
        text: t('language.prompt'),
        buttons: [
          [
            { label: t('language.en'), action: { type: 'lang', lang: 'en' } },
            { label: t('language.zh'), action: { type: 'lang', lang: 'zh' } },
          ],
        ],
      },
    ]);
  });

  c.command('cancel', async (ctx) => {
    const t = await tOf(env, ctx);
    const deleted = await cancelIntake(deps, uid(ctx));
    await reply(env, ctx, [{ text: t(deleted ? 'cancel.done' : 'cancel.nothing') }]);
  });

  c.command('stop', async (ctx) => {
    const t = await tOf(env, ctx);
    const { found } = await setReminders(deps, uid(ctx), true);
    await reply(env, ctx, [{ text: t(found ? 'reminders.off' : 'tg.reminders.none') }]);
  });

  c.command('status', async (ctx) => {
    const t = await tOf(env, ctx);
    await reply(env, ctx, [renderStatusReply(t, await clientStatus(deps, uid(ctx)), await langOf(env, ctx))]);
  });

  c.command('withdraw', async (ctx) => {
    const t = await tOf(env, ctx);
    if (!(await hasOpenCase(deps, uid(ctx)))) {
      await reply(env, ctx, [{ text: t('tg.withdraw.none') }]);
      return;
    }
    await reply(env, ctx, [confirmation(t, 'withdraw', 'withdraw')]);
  });

  c.command('forget', async (ctx) => {
    await reply(env, ctx, [confirmation(await tOf(env, ctx), 'forget', 'erasure')]);
  });

  c.command('mydata', async (ctx) => {
    const t = await tOf(env, ctx);
    const lang = await langOf(env, ctx);
    await reply(env, ctx, renderMyData(t, env.i18n, await clientData(deps, uid(ctx)), lang, deps.config.DEFAULT_TIMEZONE));
  });

  c.command('exit', async (ctx) => {
    // Quick exit: remove what Telegram still lets the bot remove (its own and the client's
    // messages in this private chat, up to 48 h old) and say nothing at all.
    // Every wait here is bounded: with Redis (or PostgreSQL) down, what can be deleted is, and nothing else waits.
    const chatId = ctx.chat.id;
    const bound = deps.config.TELEGRAM_REDIS_TIMEOUT_MS;
    env.gate.drop(chatId);
    await withTimeout(env.later.drain(), bound, 'background work before quick exit').catch(() => undefined);
    const tracked = await env.tracker.takeAll(chatId);
    if (!tracked.complete) deps.logger.warn({}, 'quick exit: Redis could not be read; deleting the messages this process saw');
    const ids = [...new Set([...tracked.ids, ctx.message.message_id])].sort((a, b) => a - b);
    for (let i = 0; i < ids.length; i += 100) {
      await ctx.telegram
        .deleteMessages(chatId, ids.slice(i, i + 100))
        .catch((err: unknown) => deps.logger.warn({ err: (err as Error)?.message }, 'quick exit: some messages could not be deleted'));
    }
    // Quick exit says nothing to the client, even when the audit entry cannot be written.
    await recordQuickExit(deps, { deleted: ids.length, complete: tracked.complete }).catch((err: unknown) =>
      deps.logger.error({ err: (err as Error)?.message }, 'quick exit: audit entry not written'),
    );
  });

  return c;
}
