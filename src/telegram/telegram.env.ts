import type { Context } from 'telegraf';
import type { Deps } from '../deps.js';
import type { Later } from '../db/after-commit.js';
import { findClientByTelegramUser } from '../clients/clients.repo.js';
import { languageFromCode, type Language } from '../intake/intake.domain.js';
import { EMERGENCY_CONTACTS_SETTING, LANGUAGES } from '../lib/languages.js';
import { loadSession, type Session } from '../intake/intake.repo.js';
import type { I18n, T } from '../i18n/i18n.js';
import type { CallbackAction, CallbackTokenRow } from './callback-tokens.js';
import type { SharedChatGate } from './telegram.shared-gate.js';
import type { CrisisReplies } from './crisis-reply.js';
import type { MessageTracker } from './telegram.tracker.js';
import type { ReplyPacer } from './reply-pacing.js';

/** What every composer needs; built once per bot in telegram.bot.ts. */
export interface BotEnv {
  deps: Deps;
  i18n: I18n;
  later: Later;
  /** Per-chat order and flood hold, shared by every app process (Redis), this process's own as the fallback. */
  gate: SharedChatGate<Reply>;
  tracker: MessageTracker;
  /** Emergency replies in flight, retried until Telegram accepts them. */
  crisisReplies: CrisisReplies;
  /** The language each chat last used (in memory, bounded): the emergency reply needs no database. */
  langs: LanguageMemory;
  /** When each chat was last asked "are you safe right now?" after a worrying message (ms; in memory, bounded). */
  concernAsked: ChatMemory<number>;
  /** Button answers to give in the webhook's HTTP response instead of an API call. */
  webhookAnswers: WebhookAnswers;
  /** Puts a Telegram client's replies on the bot-wide send budget and retries their 429s (reply-pacing.ts); never the emergency reply's client. */
  pacer: ReplyPacer;
}

/**
 * A button press that came by webhook is answered (answerCallbackQuery) in the
 * webhook's own response — one Bot API request fewer per press. Only that
 * method goes there, and only once the update is fully handled: the response
 * is also what tells Telegram the update was taken (a process that dies before
 * gets it redelivered), and a message sent through it would have no message id
 * for the quick exit. Polling, or an update with no press, answers by API as before.
 */
export class WebhookAnswers {
  private readonly slots = new Map<number, Record<string, unknown> | null>();
  /** The webhook route is handling this update and will give its answer. */
  expect(updateId: number): void {
    this.slots.set(updateId, null);
  }
  /** True when the answer will go in the webhook response (the caller then does not call the API). */
  offer(updateId: number, answer: Record<string, unknown>): boolean {
    if (this.slots.get(updateId) !== null) return false;
    this.slots.set(updateId, answer);
    return true;
  }
  take(updateId: number): Record<string, unknown> | undefined {
    const a = this.slots.get(updateId) ?? undefined;
    this.slots.delete(updateId);
    return a;
  }
}

/** A small bounded map chat → value, the most recently set kept. */
export class ChatMemory<V> {
  private readonly map = new Map<number, V>();
  constructor(private readonly max = 10_000) {}
  get(chatId: number): V | undefined {
    return this.map.get(chatId);
  }
  set(chatId: number, value: V): void {
    this.map.delete(chatId);
    this.map.set(chatId, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
  }
}

/** The language each chat last used, kept as updates are answered. */
export class LanguageMemory extends ChatMemory<Language> {}

interface ReplyButton {
  label: string;
  action: CallbackAction;
}

/** A message to the client: plain text (no parse_mode) and optional inline buttons backed by server-side tokens. */
export interface Reply {
  text: string;
  buttons?: ReplyButton[][];
}

/** Per-update flags set by the middleware chain. */
interface UpdateState {
  /** The crisis middleware already replied with emergency contacts and recorded the crisis. */
  crisisHandled?: boolean;
  /** A worrying message (not a crisis by the patterns): the safety question went out with the contacts. */
  concern?: { cue: string };
  /** Flood: replies are held, not sent. */
  hold?: boolean;
  lang?: Language;
  /** What the guard read with the de-duplication insert (telegram.prefetch.ts). */
  pre?: Prefetched;
}

/**
 * Rows read once at the start of an update, so the steps of one update do not
 * read them again. `session` and `clientLanguage` are dropped (forgetSession) as
 * soon as something in this update may have written them; undefined = not known,
 * read it from the database.
 */
export interface Prefetched {
  session?: Session | null;
  clientLanguage?: Language | null;
  /** The pressed button's token row (null: no such token). */
  token?: { data: string; row: CallbackTokenRow | null };
}

export type BotContext = Context & { state: UpdateState };

/** The client's draft as of the start of this update (read at most once per update until something writes it). */
export async function sessionOf(env: BotEnv, ctx: BotContext): Promise<Session | null> {
  const pre = (ctx.state.pre ??= {});
  if (pre.session === undefined) pre.session = await loadSession(env.deps.db, env.deps.cipher, ctx.from!.id);
  return pre.session;
}

/** Something in this update wrote (or may have written) the draft or the client row: read them afresh next time. */
export function forgetSession(ctx: BotContext): void {
  if (!ctx.state.pre) return;
  delete ctx.state.pre.session;
  delete ctx.state.pre.clientLanguage;
}

/** The pressed button's token row if the guard read it (for resolveCallbackToken's `row`), else {}. */
export function prefetchedToken(ctx: BotContext, data: string | undefined): { row?: CallbackTokenRow | null } {
  const t = ctx.state.pre?.token;
  return t && data !== undefined && t.data === data ? { row: t.row } : {};
}

/** The language to answer in: the draft's, else the client's, else Telegram's suggestion. */
export async function langOf(env: BotEnv, ctx: BotContext): Promise<Language> {
  if (ctx.state.lang) return ctx.state.lang;
  const userId = ctx.from?.id;
  let lang: Language = languageFromCode(ctx.from?.language_code);
  if (userId) {
    const session = await sessionOf(env, ctx);
    if (session) lang = session.state.language;
    else {
      const known = ctx.state.pre?.clientLanguage;
      const clientLang = known !== undefined ? known : (await findClientByTelegramUser(env.deps.db, userId))?.language;
      if (clientLang) lang = clientLang;
    }
  }
  ctx.state.lang = lang;
  if (ctx.chat) env.langs.set(ctx.chat.id, lang);
  return lang;
}

export async function tOf(env: BotEnv, ctx: BotContext): Promise<T> {
  return env.i18n.fixed(await langOf(env, ctx));
}

/** The emergency contacts for this chat's language (for /help and anywhere the client is told where to get help). */
export async function contactsOf(env: BotEnv, ctx: BotContext): Promise<string> {
  return emergencyContacts(env.deps)[await langOf(env, ctx)];
}

export function emergencyContacts(deps: Deps): Record<Language, string> {
  return Object.fromEntries(LANGUAGES.map((l) => [l, deps.config[EMERGENCY_CONTACTS_SETTING[l]]])) as Record<Language, string>;
}
