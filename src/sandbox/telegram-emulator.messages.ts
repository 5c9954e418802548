/** The Telegram emulator's message methods: sendMessage, editMessageText/ReplyMarkup, deleteMessage(s). */
import { boolParam, jsonParam, numParam, type Params } from './emulator-http.js';
import { parseFormatted } from './telegram-emulator.format.js';
import { validateReplyMarkup } from './telegram-emulator.markup.js';
import { TgApiError, badRequest, type ChatState, type StoredMessage, type TgMessage, type TgUser } from './telegram-emulator.types.js';

const HOUR = 3_600_000;

/** What the message methods need of the emulator's state (TelegramState). */
export interface MessageHost {
  now(): number;
  dateNow(): number;
  botUser(): TgUser;
  requireChat(chatId: unknown): ChatState;
  /** Blocked check for an edit; blocked and rate-limit checks for anything that creates a message. */
  checkBlocked(c: ChatState): void;
  checkSend(c: ChatState): void;
  readonly hooks: { onBotMessage: (s: StoredMessage, kind: 'new' | 'edit' | 'delete') => void };
}

export function sendMessage(h: MessageHost, p: Params): TgMessage {
  const c = h.requireChat(p.chat_id);
  const parsed = parseFormatted(typeof p.text === 'string' ? p.text : p.text === undefined ? '' : String(p.text), p.parse_mode as string | undefined);
  if (parsed.text.trim().length === 0) throw badRequest('message text is empty');
  if (parsed.text.length > 4096) throw badRequest('message is too long');
  const markup = validateReplyMarkup(p.reply_markup);
  const replyTo = replyTarget(c, p);
  h.checkSend(c);
  const message: TgMessage = { message_id: c.nextMessageId++, from: h.botUser(), chat: c.chat, date: h.dateNow(), text: parsed.text };
  if (parsed.entities.length) message.entities = parsed.entities;
  if (replyTo) message.reply_to_message = replyTo;
  if (markup.kind === 'inline') message.reply_markup = markup.markup;
  const stored: StoredMessage = { message, fromBot: true, sentAt: h.now(), edits: [], deleted: false };
  if (markup.kind === 'keyboard') stored.keyboardMarkup = markup.markup;
  if (p.parse_mode) stored.parseMode = String(p.parse_mode);
  c.messages.set(message.message_id, stored);
  h.hooks.onBotMessage(stored, 'new');
  return message;
}

export function editMessage(h: MessageHost, p: Params, withText: boolean): TgMessage {
  if (p.inline_message_id !== undefined) throw badRequest('inline messages are not supported by the emulator');
  const c = h.requireChat(p.chat_id);
  const s = c.messages.get(numParam(p.message_id) ?? -1);
  if (!s || s.deleted) throw badRequest('message to edit not found');
  if (!s.fromBot) throw badRequest("message can't be edited");
  h.checkBlocked(c);
  const markup = validateReplyMarkup(p.reply_markup);
  if (markup.kind === 'keyboard') throw badRequest('inline keyboard expected');
  // Omitting reply_markup in an edit removes the inline keyboard (a real Bot API gotcha).
  const newMarkup = markup.kind === 'inline' ? markup.markup : undefined;
  const m = s.message;
  let text = m.text;
  let entities = m.entities;
  if (withText) {
    const parsed = parseFormatted(p.text === undefined ? '' : String(p.text), p.parse_mode as string | undefined);
    if (parsed.text.trim().length === 0) throw badRequest('message text is empty');
    if (parsed.text.length > 4096) throw badRequest('message is too long');
    text = parsed.text;
    entities = parsed.entities.length ? parsed.entities : undefined;
  }
  if (text === m.text && JSON.stringify(entities ?? []) === JSON.stringify(m.entities ?? []) && JSON.stringify(newMarkup) === JSON.stringify(m.reply_markup)) {
    throw badRequest(
      'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
    );
  }
  const prev: StoredMessage['edits'][number] = { at: h.now() };
  if (m.text !== undefined) prev.text = m.text;
  if (m.entities) prev.entities = m.entities;
  if (m.reply_markup) prev.reply_markup = m.reply_markup;
  s.edits.push(prev);
  const next: TgMessage = { ...m, edit_date: h.dateNow() };
  if (text !== undefined) next.text = text;
  if (entities) next.entities = entities;
  else delete next.entities;
  if (newMarkup) next.reply_markup = newMarkup;
  else delete next.reply_markup;
  s.message = next;
  h.hooks.onBotMessage(s, 'edit');
  return next;
}

export function deleteMessage(h: MessageHost, p: Params): true {
  const c = h.requireChat(p.chat_id);
  const s = c.messages.get(numParam(p.message_id) ?? -1);
  if (!s || s.deleted) throw badRequest('message to delete not found');
  if (h.now() - s.sentAt > 48 * HOUR) throw badRequest("message can't be deleted");
  s.deleted = true;
  s.deletedAt = h.now();
  if (s.fromBot) h.hooks.onBotMessage(s, 'delete');
  return true;
}

export function deleteMessages(h: MessageHost, p: Params): true {
  const ids = jsonParam<unknown[]>(p.message_ids);
  if (!Array.isArray(ids) || ids.length < 1 || ids.length > 100) throw badRequest('message_ids must be non-empty and contain at most 100 identifiers');
  h.requireChat(p.chat_id);
  for (const id of ids) {
    try {
      deleteMessage(h, { chat_id: p.chat_id, message_id: id });
    } catch (err) {
      // Not found / too old messages are skipped, as the Bot API documents.
      if (!(err instanceof TgApiError)) throw err;
    }
  }
  return true;
}

function replyTarget(c: ChatState, p: Params): TgMessage | undefined {
  const rp = jsonParam<{ message_id?: unknown; allow_sending_without_reply?: unknown }>(p.reply_parameters);
  const id = numParam(rp?.message_id ?? p.reply_to_message_id);
  if (id === undefined) return undefined;
  const target = c.messages.get(id);
  if (target && !target.deleted) {
    const { reply_to_message: _nested, ...flat } = target.message;
    return flat as TgMessage;
  }
  if (boolParam(rp?.allow_sending_without_reply ?? p.allow_sending_without_reply)) return undefined;
  throw badRequest('message to be replied not found');
}
