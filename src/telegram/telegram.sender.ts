import { Telegram, TelegramError } from 'telegraf';
import type { Db } from '../db/client.js';
import type { TelegramOutbound } from '../delivery/outbound.js';
import type { PlatformSender, SentRecord } from '../delivery/sender.js';
import { CLIENT_BLOCKED, InterruptedSendError, PermanentSendError, RateLimitedSendError, TransientSendError } from '../delivery/send-errors.js';
import type { Clock } from '../lib/clock.js';
import { issueCallbackTokens } from './callback-tokens.js';
import type { MessageTracker } from './telegram.tracker.js';

const TOKEN_TTL_DAYS = 30;

/**
 * The delivery worker's Telegram side (built at the composition root,
 * src/senders.ts). Before the send turn, every button's action is stored
 * server-side and the button carries only a `t:<token>` (callback-tokens.ts);
 * then the message goes through telegraf's Bot API client, its errors
 * classified for the send service; once recorded, the message is remembered
 * for the quick exit (/exit deletes them all).
 */
export class TelegramSender implements PlatformSender<TelegramOutbound> {
  private readonly api: Telegram;
  private readonly stopping = new AbortController();

  /**
   * telegraf's client waits 500 s for an answer by default; a send must end well
   * inside the claim lease (DELIVERY_CLAIM_LEASE_SECONDS), so each call carries
   * its own deadline (PLATFORM_HTTP_TIMEOUT_MS) as an AbortSignal.
   */
  private readonly timeoutMs: number;

  constructor(
    private readonly store: { db: Db; clock: Clock },
    private readonly tracker: MessageTracker,
    api: { token: string; apiRoot?: string | undefined; timeoutMs?: number },
  ) {
    this.api = new Telegram(api.token, api.apiRoot ? { apiRoot: api.apiRoot } : {});
    this.timeoutMs = api.timeoutMs ?? 10_000;
  }

  async prepare(msg: TelegramOutbound): Promise<() => Promise<SentRecord>> {
    const callbackData = await this.issueTokens(msg);
    return async () => ({ ...(await this.send(msg, callbackData)), chatId: msg.chatId });
  }

  async track(sent: SentRecord): Promise<void> {
    if (sent.chatId !== undefined) await this.tracker.add(sent.chatId, Number(sent.externalRef));
  }

  /** Server-side tokens for every button of the message, in one insert; callback_data comes back in layout order. */
  private async issueTokens(msg: TelegramOutbound): Promise<string[][]> {
    const now = this.store.clock.now();
    const layout = msg.buttons ?? [];
    const data = await issueCallbackTokens(
      this.store.db,
      { chatId: msg.chatId, actions: layout.flat().map((b) => b.action), expiresAt: now.plus({ days: TOKEN_TTL_DAYS }) },
      now,
    );
    let i = 0;
    return layout.map((line) => line.map(() => data[i++]!));
  }

  /** Shutdown: cut every call still waiting for Telegram (the caller puts the row back to pending). */
  abort(): void {
    this.stopping.abort();
  }

  private async send(msg: TelegramOutbound, callbackData: string[][]): Promise<{ externalRef: string }> {
    const keyboard = (msg.buttons ?? []).map((row, i) => row.map((b, j) => ({ text: b.label, callback_data: callbackData[i]?.[j] ?? '' })));
    if (this.stopping.signal.aborted) throw new InterruptedSendError();
    const signal = AbortSignal.any([this.stopping.signal, AbortSignal.timeout(this.timeoutMs)]);
    try {
      const sent = await this.api.callApi(
        'sendMessage',
        {
          chat_id: msg.chatId,
          text: msg.text,
          ...(keyboard.length ? { reply_markup: { inline_keyboard: keyboard } } : {}),
          link_preview_options: { is_disabled: true },
        },
        { signal: signal as never },
      );
      return { externalRef: String(sent.message_id) };
    } catch (err) {
      if (this.stopping.signal.aborted) throw new InterruptedSendError();
      if (signal.aborted) throw new TransientSendError('telegram_timeout');
      throw classifyTelegramError(err, msg.chatId);
    }
  }
}

export function classifyTelegramError(err: unknown, chatId: number): Error {
  if (err instanceof TelegramError) {
    const code = err.code;
    const description = err.response?.description ?? err.message;
    if (code === 429) {
      const seconds = Number(err.parameters?.retry_after ?? 1);
      return new RateLimitedSendError(Math.max(1, seconds) * 1000, `telegram chat ${chatId}`);
    }
    if (code === 403) {
      if (/blocked by the user/i.test(description)) return new PermanentSendError(CLIENT_BLOCKED);
      if (/deactivated/i.test(description)) return new PermanentSendError('telegram_user_deactivated');
      return new PermanentSendError('telegram_forbidden');
    }
    if (code === 400) {
      if (/chat not found/i.test(description)) return new PermanentSendError('telegram_chat_not_found');
      return new PermanentSendError('telegram_bad_request');
    }
    if (code === 401 || code === 404) return new PermanentSendError('telegram_not_authorised');
    return new TransientSendError(`telegram_http_${code}`);
  }
  return new TransientSendError('telegram_network_error');
}
