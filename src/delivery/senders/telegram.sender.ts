import { Telegram, TelegramError } from 'telegraf';
import type { Outbound } from '../kinds/kind.js';
import { CLIENT_BLOCKED, InterruptedSendError, PermanentSendError, RateLimitedSendError, TransientSendError } from '../send-errors.js';

export type TelegramOutbound = Extract<Outbound, { channel: 'telegram' }>;

/**
 * Sends to Telegram through telegraf's Bot API client. Buttons arrive already
 * turned into `t:<token>` callback data (the send service issues the tokens,
 * so the action stays server-side). Errors are classified for the send service.
 */
export class TelegramSender {
  private readonly api: Telegram;
  private readonly stopping = new AbortController();

  /**
   * telegraf's client waits 500 s for an answer by default; a send must end well
   * inside the claim lease (DELIVERY_CLAIM_LEASE_SECONDS), so each call carries
   * its own deadline (PLATFORM_HTTP_TIMEOUT_MS) as an AbortSignal.
   */
  constructor(
    token: string,
    apiRoot?: string,
    private readonly timeoutMs = 10_000,
  ) {
    this.api = new Telegram(token, apiRoot ? { apiRoot } : {});
  }

  /** Shutdown: cut every call still waiting for Telegram (the caller puts the row back to pending). */
  abort(): void {
    this.stopping.abort();
  }

  async send(msg: TelegramOutbound, callbackData: string[][] = []): Promise<{ externalRef: string }> {
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
