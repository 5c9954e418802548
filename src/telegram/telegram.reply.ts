import { TelegramError, type Telegram } from 'telegraf';
import type { InlineKeyboardMarkup } from 'telegraf/types';
import { clampText, TELEGRAM_TEXT_LIMIT, type Rendered } from './messages.js';
import { issueCallbackTokens, type CallbackAction } from './callback-tokens.js';
import type { BotContext, BotEnv, Reply } from './telegram.env.js';
import { withTimeout } from '../lib/timeout.js';

/**
 * The one way the bot speaks: text clamped to Telegram's 4,096 characters,
 * buttons swapped for server-side tokens (callback_data stays ≤ 64 bytes),
 * every sent message id remembered for quick exit, and held instead of sent
 * while the chat is flooding. The clients given here take a turn on the
 * bot-wide send budget and retry 429s (reply-pacing.ts).
 */
const BUTTON_TTL_DAYS_MIN = 1;

export async function sendReplies(env: BotEnv, telegram: Telegram, chatId: number, replies: Reply[]): Promise<void> {
  const keyboards = await keyboardsFor(env, chatId, replies);
  const sent: number[] = [];
  try {
    for (const [i, r] of replies.entries()) {
      const id = await sendOne(telegram, chatId, clampText(r.text, TELEGRAM_TEXT_LIMIT), keyboards[i]);
      if (id) sent.push(id);
    }
  } finally {
    // Even if a later message failed, the ones that went out are remembered for quick exit.
    if (sent.length) env.later('track', () => env.tracker.add(chatId, ...sent));
  }
}

/** How long other replies of a crisis update wait for the emergency reply to go first. */
const CRISIS_FIRST_WAIT_MS = 10_000;

/** Reply in the update's chat, unless a flood is on: then keep the latest replies for later. */
export async function reply(env: BotEnv, ctx: BotContext, replies: Reply[]): Promise<void> {
  const chatId = ctx.chat?.id;
  if (chatId === undefined || replies.length === 0) return;
  // The emergency reply of this update arrives first (while it is being retried, up to a bound).
  const crisis = env.crisisReplies.outcome(ctx.update.update_id);
  if (crisis) await withTimeout(crisis, CRISIS_FIRST_WAIT_MS, 'emergency reply').catch(() => undefined);
  if (ctx.state.hold) {
    env.gate.hold(chatId, replies);
    return;
  }
  await sendReplies(env, ctx.telegram, chatId, replies);
}

/** The keyboards of all the replies, their tokens issued in one insert (one row per button). */
async function keyboardsFor(env: BotEnv, chatId: number, replies: Reply[]): Promise<Array<InlineKeyboardMarkup | undefined>> {
  const actions = replies.flatMap((r) => (r.buttons ?? []).flat().map((b) => b.action));
  if (actions.length === 0) return replies.map(() => undefined);
  const now = env.deps.clock.now();
  const expiresAt = now.plus({ days: Math.max(BUTTON_TTL_DAYS_MIN, env.deps.config.INTAKE_DRAFT_TTL_DAYS) });
  const data = await issueCallbackTokens(env.deps.db, { chatId, actions, expiresAt }, now);
  let k = 0;
  return replies.map((r) =>
    r.buttons?.length ? { inline_keyboard: r.buttons.map((row) => row.map((b) => ({ text: b.label, callback_data: data[k++]! }))) } : undefined,
  );
}

/** One message; its 429s are waited out by the client itself (reply-pacing.ts: every client given here is paced). */
async function sendOne(telegram: Telegram, chatId: number, text: string, reply_markup: InlineKeyboardMarkup | undefined): Promise<number | undefined> {
  try {
    const m = await telegram.sendMessage(chatId, text, reply_markup ? { reply_markup } : {});
    return typeof m === 'object' && m ? m.message_id : undefined;
  } catch (err) {
    // Blocked by the client: nothing more to say here.
    if (err instanceof TelegramError && err.code === 403) return undefined;
    throw err;
  }
}

/** Stop the button's spinner (with a short notice): in the webhook response when the update came by webhook (telegram.env.ts WebhookAnswers). */
export async function answerButton(env: BotEnv, ctx: BotContext, text?: string): Promise<void> {
  const id = ctx.callbackQuery?.id;
  if (!id) return;
  const payload = { method: 'answerCallbackQuery', callback_query_id: id, ...(text ? { text: text.slice(0, 200) } : {}) };
  if (env.webhookAnswers.offer(ctx.update.update_id, payload)) return;
  await ctx.answerCbQuery(text).catch(() => {});
}

/** Intake renderers give buttons a logical value; here each becomes a token-backed action bound to the step it was asked at. */
export function fromRendered(list: Rendered[], step: string): Reply[] {
  return list.map((r) => ({
    text: r.text,
    buttons: r.buttons.map((row) => row.map((b) => ({ label: b.label, action: { type: 'intake', step, value: b.value } satisfies CallbackAction }))),
  }));
}
