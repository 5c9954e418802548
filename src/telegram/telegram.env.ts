import type { Context } from 'telegraf';
import type { Deps } from '../deps.js';
import type { Later } from '../clients/after-commit.js';
import { findClientByTelegramUser } from '../clients/clients.repo.js';
import { languageFromCode, type Language } from '../intake/intake.domain.js';
import { loadSession } from '../intake/intake.repo.js';
import type { I18n, T } from '../lib/i18n.js';
import type { CallbackAction } from './callback-tokens.js';
import type { ChatGate } from './telegram.gate.js';
import type { MessageTracker } from './telegram.tracker.js';

/** What every composer needs; built once per bot in telegram.bot.ts. */
export interface BotEnv {
  deps: Deps;
  i18n: I18n;
  later: Later;
  gate: ChatGate<Reply>;
  tracker: MessageTracker;
}

export interface ReplyButton {
  label: string;
  action: CallbackAction;
}

/** A message to the client: plain text (no parse_mode) and optional inline buttons backed by server-side tokens. */
export interface Reply {
  text: string;
  buttons?: ReplyButton[][];
}

/** Per-update flags set by the middleware chain. */
export interface UpdateState {
  /** The crisis middleware already replied with emergency contacts and recorded the crisis. */
  crisisHandled?: boolean;
  /** Flood: replies are held, not sent. */
  hold?: boolean;
  lang?: Language;
}

export type BotContext = Context & { state: UpdateState };

/** The language to answer in: the draft's, else the client's, else Telegram's suggestion. */
export async function langOf(env: BotEnv, ctx: BotContext): Promise<Language> {
  if (ctx.state.lang) return ctx.state.lang;
  const userId = ctx.from?.id;
  let lang: Language = languageFromCode(ctx.from?.language_code);
  if (userId) {
    const session = await loadSession(env.deps.db, env.deps.cipher, userId);
    if (session) lang = session.state.language;
    else {
      const client = await findClientByTelegramUser(env.deps.db, userId);
      if (client) lang = client.language;
    }
  }
  ctx.state.lang = lang;
  return lang;
}

export async function tOf(env: BotEnv, ctx: BotContext): Promise<T> {
  return env.i18n.fixed(await langOf(env, ctx));
}

export function emergencyContacts(deps: Deps): Record<Language, string> {
  return { en: deps.config.EMERGENCY_CONTACTS_EN, zh: deps.config.EMERGENCY_CONTACTS_ZH };
}
