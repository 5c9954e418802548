/** reply_markup validation as the Bot API does it (subset): malformed markup is rejected with its wording. */
import { badRequest, type TgInlineKeyboard } from './telegram-emulator.types.js';

export type ValidMarkup = { kind: 'inline'; markup: TgInlineKeyboard } | { kind: 'keyboard'; markup: Record<string, unknown> } | { kind: 'none' };

/** Validate a reply_markup object the way the Bot API does (subset). */
export function validateReplyMarkup(raw: unknown): ValidMarkup {
  if (raw === undefined || raw === null || raw === '') return { kind: 'none' };
  let m: unknown = raw;
  if (typeof raw === 'string') {
    try {
      m = JSON.parse(raw);
    } catch {
      throw badRequest("can't parse reply keyboard markup JSON object");
    }
  }
  if (!m || typeof m !== 'object' || Array.isArray(m)) throw badRequest("can't parse reply keyboard markup JSON object");
  const obj = m as Record<string, unknown>;
  if ('inline_keyboard' in obj) {
    const rows = obj.inline_keyboard;
    if (!Array.isArray(rows)) throw badRequest('can\'t parse inline keyboard button: Field "inline_keyboard" must be of type Array');
    for (const row of rows) {
      if (!Array.isArray(row)) throw badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
      for (const b of row as unknown[]) {
        if (!b || typeof b !== 'object') throw badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
        const btn = b as Record<string, unknown>;
        if (typeof btn.text !== 'string') throw badRequest('can\'t parse inline keyboard button: Field "text" must be of type String');
        if (btn.text.length === 0) throw badRequest('BUTTON_TEXT_INVALID');
        const actions = [
          'callback_data',
          'url',
          'web_app',
          'login_url',
          'switch_inline_query',
          'switch_inline_query_current_chat',
          'switch_inline_query_chosen_chat',
          'copy_text',
          'callback_game',
          'pay',
        ];
        if (!actions.some((a) => a in btn)) throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
        if ('callback_data' in btn) {
          const len = typeof btn.callback_data === 'string' ? Buffer.byteLength(btn.callback_data, 'utf8') : 0;
          if (len < 1 || len > 64) throw badRequest('BUTTON_DATA_INVALID');
        }
        if ('url' in btn && !/^(https?|tg):\/\/\S+$/i.test(String(btn.url))) throw badRequest('BUTTON_URL_INVALID');
      }
    }
    return { kind: 'inline', markup: { inline_keyboard: rows as TgInlineKeyboard['inline_keyboard'] } };
  }
  if ('keyboard' in obj) {
    if (!Array.isArray(obj.keyboard)) throw badRequest("can't parse reply keyboard markup JSON object");
    for (const row of obj.keyboard as unknown[]) {
      if (!Array.isArray(row)) throw badRequest("can't parse reply keyboard markup JSON object");
      for (const b of row as unknown[]) {
        const text = typeof b === 'string' ? b : (b as Record<string, unknown> | null)?.text;
        if (typeof text !== 'string' || text.length === 0) throw badRequest('BUTTON_TEXT_INVALID');
      }
    }
    return { kind: 'keyboard', markup: obj };
  }
  if (obj.remove_keyboard === true || obj.force_reply === true) return { kind: 'keyboard', markup: obj };
  throw badRequest("can't parse reply keyboard markup JSON object");
}
