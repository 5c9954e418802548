/**
 * How updates reach the bot: long polling (getUpdates with offset confirmation,
 * timeout, early wake-up, 409 conflicts) or a webhook (secret header, failed
 * deliveries kept pending, a method in the response body executed as Telegram
 * does for telegraf's webhookReply).
 */
import type http from 'node:http';
import { parseMultipart, sendJson, type Params } from './emulator-http.js';
import type { TelegramState } from './telegram-emulator.state.js';
import type { TgCallRecord, TgDeliveryRecord, TgUpdate } from './telegram-emulator.types.js';

interface Poller {
  res: http.ServerResponse;
  params: Params;
  record: TgCallRecord;
  timer: NodeJS.Timeout;
}

export interface TransportHooks {
  record(rec: TgCallRecord): void;
  invoke(method: string, params: Params, via: TgCallRecord['via']): unknown;
  onUpdate(update: TgUpdate): void;
}

export class TelegramTransport {
  readonly deliveries: TgDeliveryRecord[] = [];
  private poller: Poller | undefined;

  constructor(
    private readonly state: TelegramState,
    private readonly maxPollTimeoutSec: number,
    private readonly hooks: TransportHooks,
  ) {}

  /** Answer a pending long poll with [] (used on stop). */
  closePoll(): void {
    this.finishPoll([]);
  }

  getUpdates(params: Params, res: http.ServerResponse): void {
    const record: TgCallRecord = { method: 'getUpdates', params, time: this.state.now(), via: 'http', ok: false };
    this.state.stats.calls++;
    if (this.state.webhook) {
      const error = {
        error_code: 409,
        description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      };
      record.error = error;
      this.hooks.record(record);
      return sendJson(res, 409, { ok: false, ...error });
    }
    if (this.poller) {
      const old = this.poller;
      this.poller = undefined;
      clearTimeout(old.timer);
      const error = { error_code: 409, description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running' };
      old.record.error = error;
      this.hooks.record(old.record);
      sendJson(old.res, 409, { ok: false, ...error });
    }
    const updates = this.state.pendingUpdates(params);
    const requested = Math.max(0, Number(params.timeout ?? 0) || 0);
    const timeoutSec = Math.min(requested, this.maxPollTimeoutSec ?? 50);
    if (updates.length > 0 || timeoutSec === 0) {
      this.state.markReturned(updates);
      record.ok = true;
      record.result = updates;
      this.hooks.record(record);
      return sendJson(res, 200, { ok: true, result: updates });
    }
    const poller: Poller = { res, params: { ...params, offset: undefined }, record, timer: setTimeout(() => this.finishPoll([]), timeoutSec * 1000) };
    this.poller = poller;
    res.on('close', () => {
      // The bot aborted (telegraf's stop()); its updates stay queued until confirmed.
      if (this.poller === poller && !res.writableEnded) {
        clearTimeout(poller.timer);
        this.poller = undefined;
      }
    });
  }

  finishPoll(updates: TgUpdate[]): void {
    const p = this.poller;
    if (!p) return;
    this.poller = undefined;
    clearTimeout(p.timer);
    this.state.markReturned(updates);
    p.record.ok = true;
    p.record.result = updates;
    this.hooks.record(p.record);
    sendJson(p.res, 200, { ok: true, result: updates });
  }

  // ── delivery ───────────────────────────────────────────────────────────
  async deliver(update: TgUpdate, redelivery = false): Promise<void> {
    const hook = this.state.webhook;
    if (!hook) {
      const inQueue = this.state.queue.find((q) => q.update.update_id === update.update_id);
      if (inQueue) inQueue.redelivery = inQueue.redelivery || redelivery;
      else this.state.queue.push({ update, at: this.state.now(), redelivery });
      this.deliveries.push({ update_id: update.update_id, via: 'getUpdates', at: this.state.now() });
      this.hooks.onUpdate(update);
      if (this.poller) {
        const ready = this.state.pendingUpdates(this.poller.params);
        if (ready.length) this.finishPoll(ready);
      }
      return;
    }
    if (!this.state.isAllowed(update, hook.allowed_updates)) return;
    await this.postToWebhook(update, hook.url, hook.secret_token);
  }

  /** Webhook requests in flight, and those waiting for one to finish (Telegram's max_connections, default 40). */
  private webhookInFlight = 0;
  private readonly webhookWaiting: Array<() => void> = [];

  private async postToWebhook(update: TgUpdate, url: string, secret: string | undefined): Promise<void> {
    // Like Telegram, never more than max_connections simultaneous requests to the webhook.
    const max = this.state.webhook?.max_connections ?? 40;
    while (this.webhookInFlight >= max) await new Promise<void>((resolve) => this.webhookWaiting.push(resolve));
    this.webhookInFlight++;
    try {
      await this.postOne(update, url, secret);
    } finally {
      this.webhookInFlight--;
      this.webhookWaiting.shift()?.();
    }
  }

  private async postOne(update: TgUpdate, url: string, secret: string | undefined): Promise<void> {
    const rec: TgDeliveryRecord = { update_id: update.update_id, via: 'webhook', at: this.state.now() };
    this.deliveries.push(rec);
    this.hooks.onUpdate(update);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (secret !== undefined) headers['X-Telegram-Bot-Api-Secret-Token'] = secret;
    try {
      const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(update) });
      rec.status = res.status;
      const type = res.headers.get('content-type') ?? '';
      const body = await res.text();
      if (res.status < 200 || res.status > 299) {
        this.webhookError(update, `Wrong response from the webhook: ${res.status} ${res.statusText}`);
        rec.error = `HTTP ${res.status}`;
        return;
      }
      this.state.removeFromQueue(update.update_id);
      // telegraf's webhookReply: the response body may carry one method call, which Telegram executes.
      let reply: Params | undefined;
      if (type.includes('application/json') && body.trim()) reply = JSON.parse(body) as Params;
      else if (type.includes('multipart/form-data')) reply = parseMultipart(Buffer.from(body, 'latin1'), type);
      if (reply && typeof reply.method === 'string') {
        const { method, ...params } = reply;
        this.hooks.invoke(String(method), params, 'webhook-reply');
      }
    } catch (err) {
      rec.status = rec.status ?? 0;
      rec.error = err instanceof Error ? err.message : String(err);
      this.webhookError(update, rec.status ? `Wrong response from the webhook: ${rec.error}` : 'Connection refused');
    }
  }

  /** A failed webhook delivery keeps the update pending (getUpdates after deleteWebhook, or the next setWebhook, gets it). */
  private webhookError(update: TgUpdate, message: string): void {
    if (!this.state.queue.some((q) => q.update.update_id === update.update_id)) this.state.queue.push({ update, at: this.state.now() });
    if (!this.state.webhook) return;
    this.state.webhook.last_error_date = this.state.dateNow();
    this.state.webhook.last_error_message = message;
  }

  /** When a webhook gets set, Telegram hands it the updates that were waiting for getUpdates. */
  async flushQueueToWebhook(): Promise<void> {
    const waiting = this.state.queue.splice(0);
    for (const q of waiting) await this.deliver(q.update);
  }
}
