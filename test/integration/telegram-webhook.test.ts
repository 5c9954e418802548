import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeServer, createHttpApp, listen } from '../../src/http/server.js';
import { TelegramEmulator } from '../../src/sandbox/telegram-emulator.js';
import { startTelegram, telegramFrontEnd, WEBHOOK_PATH, type RunningTelegram } from '../../src/telegram/telegram.frontend.js';
import { createTestDeps, type TestDeps } from '../helpers/deps.js';

let deps: TestDeps;
beforeAll(async () => {
  deps = await createTestDeps();
});
afterAll(async () => deps?.destroy());

describe('Telegram front end', () => {
  it("webhook mode (PUBLIC_URL): Telegram's requests with the secret are handled; a wrong or missing secret gets 401", async () => {
    const tg = new TelegramEmulator({ rateLimits: false });
    await tg.start();
    const app = createHttpApp(deps);
    const server: Server = await listen(app, '127.0.0.1', 0);
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    let running: RunningTelegram | undefined;
    try {
      running = await startTelegram(deps, app, {
        token: tg.token,
        apiRoot: tg.url,
        botInfo: tg.botInfo as never,
        publicUrl: base,
        webhookSecret: 'Hook_Secret-1',
      });
      expect(running.mode).toBe('webhook');
      expect(tg.webhookInfo()).toMatchObject({ url: `${base}${WEBHOOK_PATH}`, secret_token: 'Hook_Secret-1', max_connections: 100 });
      expect((tg.myCommands({ language_code: 'zh' }) as unknown[]).length).toBe(10);

      const user = { id: 4401, first_name: 'Web', language_code: 'en' };
      // the emulator posts the update to the webhook and waits for the response
      await tg.sendCommand(user, '/start');
      await running.telegramBot.settle();
      const prompt = tg.lastMessage(user.id)!;
      expect(prompt.text).toContain('Which language');
      const answer = await tg.clickButton(user, prompt.message_id, prompt.reply_markup!.inline_keyboard[0]![0]!.callback_data!);
      expect(answer).toBeDefined();
      expect(tg.lastMessage(user.id)!.text).toContain('how we will work together');
      // The button is answered in the webhook's response (one request fewer), once; the next question went by API (its id is kept for /exit).
      const answers = tg.calls.filter((c) => c.method === 'answerCallbackQuery');
      expect(answers.map((c) => c.via)).toEqual(['webhook-reply']);
      expect(tg.calls.filter((c) => c.method === 'sendMessage').every((c) => c.via === 'http')).toBe(true);

      const forged = {
        update_id: 999_001,
        message: {
          message_id: 50,
          date: 0,
          chat: { id: user.id, type: 'private', first_name: 'Web' },
          from: { id: user.id, is_bot: false, first_name: 'Web' },
          text: '/cancel',
        },
      };
      const count = tg.messages(user.id).length;
      for (const headers of [{ 'X-Telegram-Bot-Api-Secret-Token': 'wrong' }, {}]) {
        const res = await fetch(`${base}${WEBHOOK_PATH}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers } as Record<string, string>,
          body: JSON.stringify(forged),
        });
        expect(res.status).toBe(401);
      }
      // refused requests changed nothing
      expect(tg.messages(user.id)).toHaveLength(count);

      // a malformed body with the right secret is refused at the edge
      const bad = await fetch(`${base}${WEBHOOK_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': 'Hook_Secret-1' },
        body: JSON.stringify({ hello: 1 }),
      });
      expect(bad.status).toBe(400);
    } finally {
      await running?.stop();
      await closeServer(server);
      await tg.stop();
    }
  });

  it('long polling by default (no PUBLIC_URL)', async () => {
    const tg = new TelegramEmulator({ rateLimits: false, maxPollTimeoutSec: 1, firstUpdateId: 500_000 });
    await tg.start();
    const app = createHttpApp(deps);
    const running = await startTelegram(deps, app, { token: tg.token, apiRoot: tg.url, botInfo: tg.botInfo as never });
    try {
      expect(running.mode).toBe('polling');
      const user = { id: 4402, first_name: 'Poll', language_code: 'zh-CN' };
      const reply = tg.waitForMessage(user.id, (m) => !!m.text?.includes('请选择'), { timeoutMs: 10_000 });
      await tg.sendCommand(user, '/start');
      expect((await reply).reply_markup!.inline_keyboard[0]!.map((b) => b.text)).toEqual(['中文', 'English']);
    } finally {
      await running.stop();
      await tg.stop();
    }
  });

  it('without TELEGRAM_BOT_TOKEN the registered front end starts nothing', async () => {
    const running = await telegramFrontEnd.start(deps, createHttpApp(deps));
    await running.stop();
    expect(deps.config.TELEGRAM_BOT_TOKEN).toBeUndefined();
  });
});
