import type { Middleware } from 'telegraf';
import type { Update } from 'telegraf/types';
import { crisisPhrases, recordCrisis, type CrisisRecord, type CrisisSubject } from '../../clients/crisis.service.js';
import { urgentDeps } from '../../db/urgent.js';
import { recordReplySentInProcess } from '../../clients/crisis-reply.kind.js';
import { detectCrisis, type CrisisMatch } from '../../intake/crisis.domain.js';
import { detectConcern } from '../../intake/crisis.concern.js';
import { metrics } from '../../lib/metrics.js';
import type { Language } from '../../intake/intake.domain.js';
import { renderCrisis } from '../messages.js';
import type { CrisisReplyOutcome } from '../crisis-reply.js';
import { emergencyContacts, forgetSession, type BotContext, type BotEnv } from '../telegram.env.js';
import { isLanguage } from '../../lib/languages.js';

/**
 * A crisis in any message — a new one, an edited one, a photo's caption, a
 * command's text — is handled in two parts:
 *
 * 1. `crisisFirstMiddleware`, ahead of everything (before the guard's
 *    de-duplication, the per-chat queue and any PostgreSQL or Redis call): the
 *    emergency reply starts at once and is retried until Telegram accepts it
 *    (src/telegram/crisis-reply.ts). Its language is the one the client last
 *    used here, else the language of the words that matched.
 * 2. `crisisRecordMiddleware`, after the guard: the crisis is written to
 *    PostgreSQL (case flagged or opened, the client's words kept as a crisis
 *    message, crisis escalation due now, the reply's ledger row). If that fails
 *    (PostgreSQL down) it is retried in the background while the update goes on.
 *
 * Then the intake pauses (intake.domain.ts) instead of asking the next question.
 */
function textOfUpdate(update: Update): string | undefined {
  const m = 'message' in update ? update.message : 'edited_message' in update ? update.edited_message : undefined;
  if (!m) return undefined;
  if ('text' in m && typeof m.text === 'string') return m.text;
  if ('caption' in m && typeof m.caption === 'string') return m.caption;
  return undefined;
}

function messageKeyOf(update: Update): string | undefined {
  const m = 'message' in update ? update.message : 'edited_message' in update ? update.edited_message : undefined;
  if (!m) return undefined;
  const edit = 'edit_date' in m && m.edit_date ? `:e${m.edit_date}` : '';
  return `tg:${m.chat.id}:${m.message_id}${edit}`;
}

/** Start the emergency reply for this update (idempotent per update_id); PostgreSQL and Redis are not touched. */
export function startCrisisReply(env: BotEnv, updateId: number, chatId: number, lang: Language): Promise<CrisisReplyOutcome> {
  const text = renderCrisis(emergencyContacts(env.deps)[lang], env.i18n.fixed(lang)).text;
  return env.crisisReplies.start(updateId, chatId, text);
}

/** Callback data of the two answers to the concern question: plain, so pressing one needs no database. */
export const CONCERN_SAFE = 'cc:safe';
export const CONCERN_UNSAFE = 'cc:unsafe';
/** Ask a chat at most once in this long (a second worrying message soon after gets no second question). */
const CONCERN_EVERY_MS = 30 * 60_000;

/** The concern question: the emergency contacts and "are you safe right now?", sent like the crisis reply (retried, no database). */
function startConcernQuestion(env: BotEnv, updateId: number, chatId: number, lang: Language): Promise<CrisisReplyOutcome> {
  const t = env.i18n.fixed(lang);
  const text = t('concern.ask', { contacts: emergencyContacts(env.deps)[lang] });
  const markup = {
    inline_keyboard: [[{ text: t('concern.unsafe'), callback_data: CONCERN_UNSAFE }], [{ text: t('concern.safe'), callback_data: CONCERN_SAFE }]],
  };
  return env.crisisReplies.start(updateId, chatId, text, markup);
}

export function crisisFirstMiddleware(env: BotEnv): Middleware<BotContext> {
  const phrases = crisisPhrases(env.deps.config);
  const languageOf = (chatId: number, spoken: string): Language => env.langs.get(chatId) ?? (isLanguage(spoken) ? spoken : env.deps.config.DEFAULT_LANGUAGE);
  return async (ctx, next) => {
    const chat = ctx.chat;
    if (chat?.type !== 'private' || !ctx.from) return next();
    const cb = ctx.callbackQuery && 'data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined;
    if (cb === CONCERN_UNSAFE) {
      // "No, I'm not safe": the emergency reply before anything else; the concern composer records the crisis.
      void startCrisisReply(env, ctx.update.update_id, chat.id, languageOf(chat.id, ''));
      ctx.state.crisisHandled = true;
      return next();
    }
    const text = textOfUpdate(ctx.update);
    const match: CrisisMatch | null = text ? detectCrisis(text, phrases) : null;
    if (match && text) {
      const lang = languageOf(chat.id, match.language);
      void startCrisisReply(env, ctx.update.update_id, chat.id, lang);
      ctx.state.crisis = { text, lang };
      ctx.state.crisisHandled = true;
    } else if (text) {
      const concern = detectConcern(text);
      const now = env.deps.clock.now().toMillis();
      if (concern && now - (env.concernAsked.get(chat.id) ?? 0) >= CONCERN_EVERY_MS) {
        env.concernAsked.set(chat.id, now);
        void startConcernQuestion(env, ctx.update.update_id, chat.id, languageOf(chat.id, concern.language));
        ctx.state.concern = { cue: concern.cue };
        metrics.crisisConcerns.inc({ cue: concern.cue.includes(':') ? 'other language' : concern.cue });
        // The cue only, never the words.
        env.deps.logger.info({ cue: concern.cue }, 'worrying message: asked whether the client is safe');
      }
    }
    return next();
  };
}

export function crisisRecordMiddleware(env: BotEnv): Middleware<BotContext> {
  return async (ctx, next) => {
    const found = ctx.state.crisis;
    if (!found) return next();
    const messageKey = messageKeyOf(ctx.update);
    await recordWithRetry(env, ctx.update.update_id, {
      telegramUserId: ctx.from!.id,
      chatId: ctx.chat!.id,
      language: found.lang,
      source: 'phrase',
      text: found.text,
      ...(messageKey ? { messageKey } : {}),
    });
    // The crisis record may have written the draft (the case it opened) and the client row.
    forgetSession(ctx);
    return next();
  };
}

/**
 * Write the crisis, then tie the in-process reply to its ledger row. The first
 * attempt is awaited (the rest of the update builds on the case it opens); a
 * failure is retried in the background (1 s doubling, for up to ~30 minutes).
 */
export async function recordWithRetry(env: BotEnv, updateId: number, who: CrisisSubject): Promise<CrisisRecord | undefined> {
  const { deps } = env;
  const subject: CrisisSubject = { ...who, replyFor: { updateId, handOverSeconds: deps.config.CRISIS_REPLY_HANDOVER_SECONDS } };
  const attempt = async (): Promise<CrisisRecord> => {
    const rec = await recordCrisis(urgentDeps(deps), env.later, subject);
    linkReply(env, updateId, rec);
    return rec;
  };
  try {
    return await attempt();
  } catch (err) {
    deps.logger.error({ err: (err as Error)?.message }, 'crisis could not be recorded yet; retrying in the background');
    env.crisisReplies.track(
      (async () => {
        for (let wait = 1000, i = 0; i < 11; i++, wait = Math.min(wait * 2, 300_000)) {
          await env.crisisReplies.wait(wait);
          if (env.crisisReplies.isClosed()) return;
          try {
            await attempt();
            deps.logger.warn({ attempts: i + 2 }, 'crisis recorded after retrying');
            return;
          } catch (e) {
            deps.logger.error({ err: (e as Error)?.message, attempt: i + 2 }, 'crisis still could not be recorded');
          }
        }
      })(),
    );
    return undefined;
  }
}

/** The reply's ledger row is the safety net; once the in-process reply got through, mark it sent. */
export function linkReply(env: BotEnv, updateId: number, rec: CrisisRecord): void {
  const row = rec.replyDelivery;
  const outcome = env.crisisReplies.outcome(updateId);
  if (row?.status !== 'pending' || !outcome) return;
  env.crisisReplies.handOver(updateId, row.dueAt.getTime());
  env.crisisReplies.track(
    outcome.then(async (o) => {
      if (!o.ok) return;
      for (let i = 0; i < 5; i++) {
        try {
          await recordReplySentInProcess(env.deps, row.id, o.messageId);
          return;
        } catch (err) {
          env.deps.logger.warn({ err: (err as Error)?.message }, 'could not mark the crisis reply sent yet');
          await env.crisisReplies.wait(1000 * 2 ** i);
        }
      }
    }),
  );
}
