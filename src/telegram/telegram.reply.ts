import { TelegramError, type Telegram } from 'telegraf';
import type { InlineKeyboardMarkup } from 'telegraf/types';
import { clampText, TELEGRAM_TEXT_LIMIT, type Rendered } from './messages.js';
import { issueCallbackToken, type CallbackAction } from './callback-tokens.js';
import type { BotContext, BotEnv, Reply } from './telegram.env.js';

/**
 * The one way the bot speaks: text clamped to Telegram's 4,096 characters,
 * buttons swapped for server-side tokens (callback_data stays ≤ 64 bytes),
 * every sent message id remembered for quick exit, and held instead of sent
 * while the chat is flooding.
 */
const BUTTON_TTL_DAYS_MIN = 1;

export async function sendReplies(env: BotEnv, telegram: Telegram, chatId: number, replies: Reply[]): Promise<void> {
  for (const r of replies) {
    const reply_markup = r.buttons?.length ? await keyboard(env, chatId, r.buttons) : undefined;
    const sent = await sendWithRetry(telegram, chatId, clampText(r.text, TELEGRAM_TEXT_LIMIT), reply_markup);
    if (sent) env.later('track', () => env.tracker.add(chatId, sent));
  }
}

/** Reply in the update's chat, unless a flood is on: then keep the latest replies for later. */
export async function reply(env: BotEnv, ctx: BotContext, replies: Reply[]): Promise<void> {
  const chatId = ctx.chat?.id;
  if (chatId === undefined || replies.length === 0) return;
  if (ctx.state.hold) {
    env.gate.hold(chatId, replies);
    return;
  }
  await sendReplies(env, ctx.telegram, chatId, replies);
}

async function keyboard(env: BotEnv, chatId: number, rows: NonNullable<Reply['buttons']>): Promise<InlineKeyboardMarkup> {
  const now = env.deps.clock.now();
  const expiresAt = now.plus({ days: Math.max(BUTTON_TTL_DAYS_MIN, env.deps.config.INTAKE_DRAFT_TTL_DAYS) });
  const inline_keyboard = [];
  for (const row of rows) {
    const out = [];
    for (const b of row) {
      const data = await issueCallbackToken(env.deps.db, { chatId, action: b.action, expiresAt }, now);
      out.push({ text: b.label, callback_data: data });
    }
    inline_keyboard.push(out);
  }
  return { inline_keyboard };
}

async function sendWithRetry(telegram: Telegram, chatId: number, text: string, reply_markup: InlineKeyboardMarkup | undefined): Promise<number | undefined> {
  for (let attempt = 0; ; attempt++) {
    try {
      const m = await telegram.sendMessage(chatId, text, reply_markup ? { reply_markup } : {});
      return typeof m === 'object' && m ? m.message_id : undefined;
    } catch (err) {
      if (!(err instanceof TelegramError)) throw err;
      // Blocked by the client: nothing more to say here.
      if (err.code === 403) return undefined;
      const retryAfter = Number(err.parameters?.retry_after ?? 0);
      // A short per-chat limit: wait as told, once. Longer waits are not worth holding the chat for.
      if (err.code === 429 && attempt === 0 && retryAfter > 0 && retryAfter <= 5) {
        await new Promise((r) => setTimeout(r, retryAfter * 1000));
        continue;
      }
      throw err;
    }
  }
}

/** Intake renderers give buttons a logical value; here each becomes a token-backed action bound to the step it was asked at. */
export function fromRendered(list: Rendered[], step: string): Reply[] {
  return list.map((r) => ({
    text: r.text,
    buttons: r.buttons.map((row) => row.map((b) => ({ label: b.label, action: { type: 'intake', step, value: b.value } satisfies CallbackAction }))),
  }));
}

export function textReply(text: string): Reply {
  return { text };
}
