import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type Express } from 'express';
import type { UserFromGetMe, Update } from 'telegraf/types';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import type { FrontEnd, RunningFrontEnd } from '../frontend.js';
import { createBot, type TelegramBot } from './telegram.bot.js';
import { ConcurrentPolling } from './telegram.polling.js';

/**
 * The Telegram front end. Long polling by default; with PUBLIC_URL set, a
 * webhook at `${PUBLIC_URL}/telegram/webhook` on the shared HTTP app, which
 * refuses any request without the right X-Telegram-Bot-Api-Secret-Token.
 * Without TELEGRAM_BOT_TOKEN it does nothing: the sandbox starts the bot
 * against the emulator itself (startTelegram with apiRoot and the emulator's token).
 */
export const WEBHOOK_PATH = '/telegram/webhook';

export interface TelegramStartOptions {
  token: string;
  apiRoot?: string | undefined;
  /** Skip getMe (tests, emulator). */
  botInfo?: UserFromGetMe;
  /** Webhook mode when set; long polling otherwise. */
  publicUrl?: string | undefined;
  webhookSecret?: string | undefined;
}

export interface RunningTelegram extends RunningFrontEnd {
  telegramBot: TelegramBot;
  mode: 'webhook' | 'polling';
}

/** Without a configured secret, one is derived from the token, so the webhook is never open. */
function webhookSecretFor(token: string, configured?: string): string {
  return configured ?? createHash('sha256').update(`webhook:${token}`).digest('base64url').slice(0, 64);
}

function sameSecret(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const updateShape = z.object({ update_id: z.number().int().nonnegative() }).loose();

export async function startTelegram(deps: Deps, app: Express, opts: TelegramStartOptions): Promise<RunningTelegram> {
  const tb = createBot(deps, { token: opts.token, apiRoot: opts.apiRoot, ...(opts.botInfo ? { botInfo: opts.botInfo } : {}) });
  const { bot } = tb;
  if (!opts.botInfo) bot.botInfo = await bot.telegram.getMe();
  await tb.registerCommands().catch((err: unknown) => deps.logger.warn({ err: (err as Error)?.message }, 'could not register bot commands'));

  if (opts.publicUrl) {
    const secret = webhookSecretFor(opts.token, opts.webhookSecret);
    let accepting = true;
    app.post(WEBHOOK_PATH, express.json({ limit: '1mb' }), async (req, res) => {
      if (!sameSecret(req.header('x-telegram-bot-api-secret-token'), secret)) {
        res.status(401).json({ ok: false });
        return;
      }
      // Telegram retries a non-2xx: after stop, another instance takes the update.
      if (!accepting) {
        res.status(503).json({ ok: false });
        return;
      }
      const parsed = updateShape.safeParse(req.body);
      if (!parsed.success) {
        res.status(400).json({ ok: false });
        return;
      }
      // A button press is answered in this response, once the update is handled (telegram.env.ts WebhookAnswers).
      const updateId = parsed.data.update_id;
      tb.env.webhookAnswers.expect(updateId);
      let answer: Record<string, unknown> | undefined;
      try {
        await bot.handleUpdate(parsed.data as unknown as Update);
      } finally {
        answer = tb.env.webhookAnswers.take(updateId);
      }
      res.status(200).json(answer ?? { ok: true });
    });
    const url = new URL(WEBHOOK_PATH, opts.publicUrl.endsWith('/') ? opts.publicUrl : `${opts.publicUrl}/`).toString();
    await bot.telegram.setWebhook(url, {
      secret_token: secret,
      allowed_updates: ['message', 'edited_message', 'callback_query'],
      max_connections: deps.config.TELEGRAM_WEBHOOK_MAX_CONNECTIONS,
    });
    deps.logger.info({ mode: 'webhook' }, 'telegram bot receiving updates by webhook');
    return {
      telegramBot: tb,
      mode: 'webhook',
      async stop() {
        accepting = false;
        await tb.close();
      },
    };
  }

  // Not bot.launch(): its loop waits for a whole batch before polling again (see telegram.polling.ts).
  await bot.telegram.deleteWebhook().catch((err: unknown) => deps.logger.warn({ err: (err as Error)?.message }, 'could not remove a webhook before polling'));
  const polling = new ConcurrentPolling(bot as never, deps.logger, { allowedUpdates: ['message', 'edited_message', 'callback_query'] });
  polling.start();
  deps.logger.info({ mode: 'polling' }, 'telegram bot receiving updates by long polling');
  return {
    telegramBot: tb,
    mode: 'polling',
    async stop() {
      await polling.stop();
      await tb.close();
    },
  };
}

export const telegramFrontEnd: FrontEnd = {
  name: 'telegram',
  async start(deps, app) {
    const token = deps.config.TELEGRAM_BOT_TOKEN;
    if (!token) return { stop: async () => {} };
    return startTelegram(deps, app, {
      token,
      apiRoot: deps.config.TELEGRAM_API_ROOT,
      publicUrl: deps.config.PUBLIC_URL,
      webhookSecret: deps.config.TELEGRAM_WEBHOOK_SECRET,
    });
  },
};
