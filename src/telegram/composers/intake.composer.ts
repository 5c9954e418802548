import { Composer } from 'telegraf';
import { message } from 'telegraf/filters';
import type { Message } from 'telegraf/types';
import { saveClientMessage } from '../../clients/client-messages.service.js';
import { findClientByTelegramUser, findOpenCase } from '../../clients/clients.repo.js';
import { crisisCaseAwaitingIntake } from '../../clients/client-commands.service.js';
import type { IntakeInput, UnsupportedKind } from '../../intake/intake.domain.js';
import { applyIntakeInput, findSession, startOrResume, type IntakeStepResult, type Who } from '../../intake/intake.service.js';
import { renderHelp, renderSubmitted, renderUnknownCommand } from '../messages.js';
import { renderEffects } from '../messages.effects.js';
import { fromRendered, reply } from '../telegram.reply.js';
import { linkReply, startCrisisReply } from './crisis.middleware.js';
import { contactsOf, emergencyContacts, forgetSession, langOf, sessionOf, tOf, type BotContext, type BotEnv, type Reply } from '../telegram.env.js';

/**
 * Everything the client writes that is not a known command: intake answers
 * while a draft exists, messages for the worker once a case is open, and the
 * start of an intake for someone new. Handlers are thin: parse → service → render.
 */
function whoOf(ctx: BotContext): Who {
  return { telegramUserId: ctx.from!.id, chatId: ctx.chat!.id, languageCode: ctx.from!.language_code };
}

function renderIntake(env: BotEnv, res: IntakeStepResult, crisisHandled: boolean): Reply[] {
  // The emergency reply goes out on its own (crisis-reply.ts): the crisis middleware has sent it for a
  // phrase, runIntake for "No, I'm not safe". Do not say it twice.
  const effects = res.effects.filter((e) => !(e.type === 'crisis' && (e.source === 'safety_check' || crisisHandled)));
  const rendered = renderEffects(res.state, effects, env.i18n, {
    defaultTimeZone: env.deps.config.DEFAULT_TIMEZONE,
    contacts: emergencyContacts(env.deps),
  });
  if (res.submitted) rendered.push(renderSubmitted(env.i18n.fixed(res.state.language), res.submitted));
  return fromRendered(rendered, res.state.step);
}

/** Apply an input to the draft and reply; false when there is no draft. */
export async function runIntake(env: BotEnv, ctx: BotContext, input: IntakeInput): Promise<boolean> {
  // The draft as the guard read it (unless something in this update wrote it since): saves a read and a lock.
  const snapshot = ctx.state.pre?.session;
  const messageKey = ctx.message ? `tg:${ctx.chat!.id}:${ctx.message.message_id}` : undefined;
  const res = await applyIntakeInput(env.deps, env.later, whoOf(ctx), input, {
    crisisHandled: !!ctx.state.crisisHandled,
    updateId: ctx.update.update_id,
    ...(snapshot !== undefined ? { snapshot } : {}),
    ...(messageKey ? { messageKey } : {}),
  });
  if (!res) return false;
  forgetSession(ctx);
  ctx.state.lang = res.state.language;
  env.langs.set(ctx.chat!.id, res.state.language);
  if (res.effects.some((e) => e.type === 'crisis' && e.source === 'safety_check')) {
    // "No, I'm not safe": the emergency reply, retried until it arrives, tied to the ledger row the crisis record planned.
    void startCrisisReply(env, ctx.update.update_id, ctx.chat!.id, res.state.language);
    if (res.crisis) linkReply(env, ctx.update.update_id, res.crisis);
  }
  await reply(env, ctx, renderIntake(env, res, !!ctx.state.crisisHandled));
  return true;
}

export async function startIntakeReply(env: BotEnv, ctx: BotContext, linkCaseId?: string): Promise<void> {
  const snapshot = ctx.state.pre?.session;
  const res = await startOrResume(env.deps, whoOf(ctx), linkCaseId ? { linkCaseId } : snapshot !== undefined ? { snapshot } : {});
  forgetSession(ctx);
  ctx.state.lang = res.state.language;
  await reply(env, ctx, renderIntake(env, res, false));
}

const UNSUPPORTED: Array<[string, UnsupportedKind]> = [
  ['photo', 'photo'],
  ['voice', 'voice'],
  ['sticker', 'sticker'],
  ['location', 'location'],
  ['venue', 'location'],
  ['contact', 'contact'],
  ['document', 'document'],
];

function unsupportedKind(m: Message): UnsupportedKind {
  return UNSUPPORTED.find(([key]) => key in m)?.[1] ?? 'other';
}

/** Free text after intake: kept on the open case for the worker; never answered with an error. */
async function toOpenCase(env: BotEnv, ctx: BotContext, text: string, idempotencyKey: string, edited = false): Promise<boolean> {
  const client = await findClientByTelegramUser(env.deps.db, ctx.from!.id);
  const open = client ? await findOpenCase(env.deps.db, client.id) : undefined;
  if (!client || !open) return false;
  const { assigned, timesFor } = await saveClientMessage(env.deps, env.later, { client, openCase: open, text, idempotencyKey });
  const t = env.i18n.fixed(client.language);
  const ack = env.deps.config.DISCREET_MODE
    ? 'tg.client_message.ack_discreet'
    : edited
      ? 'tg.client_message.edited'
      : timesFor
        ? 'appt.times_received'
        : assigned
          ? 'tg.client_message.ack'
          : 'tg.client_message.ack_unassigned';
  if (!ctx.state.crisisHandled) await reply(env, ctx, [{ text: t(ack) }]);
  else if (await crisisCaseAwaitingIntake(env.deps, ctx.from!.id)) {
    // A crisis before any intake: the client can still tell us the rest and agree to the service, when ready.
    await reply(env, ctx, [{ text: t('crisis.begin_offer'), buttons: [[{ label: t('crisis.start_request'), action: { type: 'begin' } }]] }]);
  }
  return true;
}

export function intakeComposer(env: BotEnv): Composer<BotContext> {
  const c = new Composer<BotContext>();

  c.on(message('text'), async (ctx) => {
    const text = ctx.message.text;
    const isCommand = ctx.message.entities?.some((e) => e.type === 'bot_command' && e.offset === 0);
    if (isCommand) {
      // Known commands were handled before this composer.
      const t = await tOf(env, ctx);
      await reply(env, ctx, [{ text: renderUnknownCommand(t, await contactsOf(env, ctx)).text }]);
      return;
    }
    if (await runIntake(env, ctx, { kind: 'text', text, messageId: ctx.message.message_id, sentAt: ctx.message.date })) return;
    if (await toOpenCase(env, ctx, text, `tg:${ctx.chat.id}:${ctx.message.message_id}`)) return;
    const client = await findClientByTelegramUser(env.deps.db, ctx.from.id);
    if (!client) return startIntakeReply(env, ctx);
    if (!ctx.state.crisisHandled) await reply(env, ctx, [{ text: renderHelp(await tOf(env, ctx), await contactsOf(env, ctx)).text }]);
  });

  c.on('edited_message', async (ctx) => {
    const m = ctx.editedMessage;
    const text = 'text' in m ? m.text : 'caption' in m ? m.caption : undefined;
    const t = await tOf(env, ctx);
    const session = await findSession(env.deps, ctx.from!.id);
    if (session) {
      // Answers already given stay as they were; the client can change them on the review.
      const res = await applyIntakeInput(env.deps, env.later, whoOf(ctx), { kind: 'command', name: 'repeat' });
      const again = res ? renderIntake(env, res, true) : [];
      await reply(env, ctx, [{ text: t('tg.edited.intake') }, ...again]);
      return;
    }
    if (text && (await toOpenCase(env, ctx, text, `tg:${ctx.chat!.id}:${m.message_id}:e${m.edit_date}`, true))) return;
  });

  c.on('message', async (ctx) => {
    const what = unsupportedKind(ctx.message);
    const caption = 'caption' in ctx.message ? ctx.message.caption?.trim() : undefined;
    const t = await tOf(env, ctx);
    if (await sessionOf(env, ctx)) {
      // A person reads only typed text: say so, and (if the agency wants) repeat the emergency contacts.
      // A caption is text the client wrote: it counts as their answer (and a crisis in it pauses the intake).
      const contacts = env.deps.config.CRISIS_ALWAYS_SHOW_CONTACTS ? [emergencyContacts(env.deps)[await langOf(env, ctx)]] : [];
      if (caption || contacts.length) await reply(env, ctx, [{ text: [...(caption ? [t('crisis.non_text')] : []), ...contacts].join('\n\n') }]);
      await runIntake(env, ctx, caption ? { kind: 'text', text: caption } : { kind: 'unsupported', what });
      return;
    }
    const client = await findClientByTelegramUser(env.deps.db, ctx.from.id);
    const open = client ? await findOpenCase(env.deps.db, client.id) : undefined;
    if (open) {
      // A caption is text the client wrote: keep it for the worker.
      const caption = 'caption' in ctx.message ? ctx.message.caption : undefined;
      if (caption)
        await saveClientMessage(env.deps, env.later, {
          client: client!,
          openCase: open,
          text: caption,
          idempotencyKey: `tg:${ctx.chat.id}:${ctx.message.message_id}`,
        });
      await reply(env, ctx, [{ text: t('tg.client_message.unsupported') }]);
      return;
    }
    await reply(env, ctx, [{ text: `${t('invalid.unsupported_type')}\n\n${renderHelp(t, await contactsOf(env, ctx)).text}` }]);
  });

  return c;
}
