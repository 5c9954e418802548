/**
 * A local Telegram Bot API for tests, the sandbox and benchmarks. Real HTTP on
 * 127.0.0.1, real method names, Update/Message shapes and error bodies, long
 * polling and webhooks (including answers returned in the webhook response, as
 * telegraf does by default), rate limits and "blocked by the user".
 *
 *   const tg = new TelegramEmulator();
 *   const { url } = await tg.start();
 *   const bot = new Telegraf(tg.token, { telegram: { apiRoot: url } });
 */
import { onEvents, waitForEvent, type Params } from './emulator-http.js';
import { detectCommandEntities } from './telegram-emulator.format.js';
import { TelegramEmulatorServer } from './telegram-emulator.server.js';
import type { BotMessageView, TgCallRecord, TgMessage, TgUpdate, TgUser } from './telegram-emulator.types.js';

export * from './telegram-emulator.types.js';
export type { TelegramEmulatorOptions } from './telegram-emulator.server.js';

export type SimUser = Pick<TgUser, 'id' | 'first_name'> & Partial<TgUser>;

/** The client side: simulated users writing and pressing buttons, and what they see. */
export class TelegramEmulator extends TelegramEmulatorServer {
  // ── client simulation ──────────────────────────────────────────────────
  /** Register a user (and their private chat) without sending anything. */
  addUser(user: SimUser): void {
    this.state.ensureChat(user as TgUser);
  }

  async sendText(user: SimUser, text: string): Promise<TgUpdate> {
    const entities = detectCommandEntities(text);
    return this.sendUpdate(user, entities.length ? { text, entities } : { text });
  }

  async sendCommand(user: SimUser, command: string, args?: string): Promise<TgUpdate> {
    const cmd = command.startsWith('/') ? command : `/${command}`;
    const text = args ? `${cmd} ${args}` : cmd;
    return this.sendUpdate(user, { text, entities: [{ type: 'bot_command', offset: 0, length: cmd.length }] });
  }

  /** Any client message: `{ photo: [...] }`, `{ voice }`, `{ sticker }`, `{ location }`, `{ contact }`, … */
  async sendUpdate(user: SimUser, fields: Record<string, unknown>): Promise<TgUpdate> {
    const message = this.state.addUserMessage(user as TgUser, fields);
    const update = this.state.newUpdate({ message });
    await this.transport.deliver(update);
    return update;
  }

  async editText(user: SimUser, messageId: number, newText: string): Promise<TgUpdate> {
    const c = this.state.requireChat(user.id);
    const s = c.messages.get(messageId);
    if (!s || s.fromBot || s.deleted) throw new Error(`editText: no message ${messageId} from user ${user.id}`);
    s.edits.push({ at: this.state.now(), ...(s.message.text !== undefined ? { text: s.message.text } : {}) });
    const entities = detectCommandEntities(newText);
    s.message = { ...s.message, text: newText, edit_date: this.state.dateNow() };
    if (entities.length) s.message.entities = entities;
    else delete s.message.entities;
    const update = this.state.newUpdate({ edited_message: s.message });
    await this.transport.deliver(update);
    return update;
  }

  /**
   * Press an inline button. Resolves with the bot's answerCallbackQuery params
   * (or undefined when the bot did not answer: after the webhook response, or
   * after answerTimeoutMs in polling mode).
   */
  async clickButton(user: SimUser, messageId: number, callbackData: string, opts: { force?: boolean } = {}): Promise<Params | undefined> {
    const c = this.state.requireChat(user.id);
    const s = c.messages.get(messageId);
    if (!s || s.deleted) throw new Error(`clickButton: message ${messageId} not found in chat ${user.id}`);
    if (!opts.force && !this.state.findButton(s.message.reply_markup, callbackData)) {
      throw new Error(`clickButton: message ${messageId} has no button with callback_data ${JSON.stringify(callbackData)}`);
    }
    const query = this.state.newCallbackQuery(user as TgUser, s.message, callbackData);
    const answered = waitForEvent<Params>(
      onEvents(this, ['answer']),
      (a) => a.callback_query_id === query.id,
      this.opts.answerTimeoutMs ?? 5000,
      'answerCallbackQuery',
    ).catch(() => undefined);
    const viaWebhook = !!this.state.webhook;
    await this.transport.deliver(this.state.newUpdate({ callback_query: query }));
    const now = this.state.callbackQueries.get(query.id)?.answer;
    if (now || viaWebhook) return now;
    return answered;
  }

  /** Deliver an already delivered update again (same update_id), as at-least-once delivery does. */
  async redeliver(updateId: number): Promise<TgUpdate> {
    const update = this.state.allUpdates.get(updateId);
    if (!update) throw new Error(`redeliver: unknown update_id ${updateId}`);
    await this.transport.deliver(update, true);
    return update;
  }

  blockBy(chatId: number): void {
    this.state.requireChat(chatId).blocked = true;
  }

  unblockBy(chatId: number): void {
    this.state.requireChat(chatId).blocked = false;
  }

  // ── inspection ─────────────────────────────────────────────────────────
  /** Ids of every private chat the emulator knows (users who wrote or were added). */
  chatIds(): number[] {
    return [...this.state.chats.keys()];
  }

  /** Bot → chat messages, oldest first, with current text/markup and the deleted flag. */
  messages(chatId: number): BotMessageView[] {
    const c = this.state.chats.get(chatId);
    if (!c) return [];
    return [...c.messages.values()].filter((s) => s.fromBot).map((s) => this.view(s));
  }

  lastMessage(chatId: number): BotMessageView | undefined {
    return this.messages(chatId).at(-1);
  }

  /** Every message in the chat (client and bot), as Bot API Messages. */
  history(chatId: number): Array<TgMessage & { deleted: boolean }> {
    const c = this.state.chats.get(chatId);
    return c ? [...c.messages.values()].map((s) => ({ ...s.message, deleted: s.deleted })) : [];
  }

  /** The reply keyboard the client currently sees (last `keyboard` not yet removed), if any. */
  replyKeyboard(chatId: number): Record<string, unknown> | undefined {
    const withKb = this.messages(chatId).filter((m) => m.keyboard && !('force_reply' in m.keyboard));
    const last = withKb.at(-1)?.keyboard;
    return last && !last.remove_keyboard ? last : undefined;
  }

  myCommands(opts: { scope?: Record<string, unknown>; language_code?: string } = {}): unknown[] {
    return this.state.methods.getMyCommands!({ scope: opts.scope, language_code: opts.language_code }) as unknown[];
  }

  webhookInfo(): Record<string, unknown> & { secret_token?: string } {
    return { ...this.state.webhookInfo(), ...(this.state.webhook?.secret_token ? { secret_token: this.state.webhook.secret_token } : {}) };
  }

  pendingUpdates(): TgUpdate[] {
    return this.state.queue.map((q) => q.update);
  }

  /** Next bot message in the chat matching `predicate` (or an existing one with message_id > `after`). */
  waitForMessage(
    chatId: number,
    predicate: (m: BotMessageView) => boolean = () => true,
    opts: { timeoutMs?: number; after?: number; includeEdits?: boolean } = {},
  ): Promise<BotMessageView> {
    if (opts.after !== undefined) {
      const hit = this.messages(chatId).find((m) => m.message_id > opts.after! && predicate(m));
      if (hit) return Promise.resolve(hit);
    }
    const match = (m: BotMessageView) => m.chat_id === chatId && predicate(m);
    return waitForEvent<BotMessageView>(
      onEvents(this, ['message', ...(opts.includeEdits ? ['edit'] : [])]),
      match,
      opts.timeoutMs ?? 5000,
      `a bot message in chat ${chatId}`,
    );
  }

  waitForCall(method: string, predicate: (c: TgCallRecord) => boolean = () => true, opts: { timeoutMs?: number } = {}): Promise<TgCallRecord> {
    return waitForEvent<TgCallRecord>(onEvents(this, ['call']), (c) => c.method === method && predicate(c), opts.timeoutMs ?? 5000, `a ${method} call`);
  }
}
