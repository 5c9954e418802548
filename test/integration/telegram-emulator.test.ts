import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Markup, Telegraf, TelegramError } from 'telegraf';
import { TelegramEmulator, type TelegramEmulatorOptions } from '../../src/sandbox/telegram-emulator.js';

const alice = { id: 1001, first_name: 'Alice', language_code: 'en' };
const bob = { id: 1002, first_name: 'Bob' };

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function emulator(opts: TelegramEmulatorOptions = {}) {
  const tg = new TelegramEmulator({ maxPollTimeoutSec: 1, ...opts });
  const { url } = await tg.start();
  cleanups.push(() => tg.stop());
  return { tg, url };
}

/** A small bot using the real telegraf API surface the service relies on. */
function makeBot(tg: TelegramEmulator, url: string) {
  const bot = new Telegraf(tg.token, { telegram: { apiRoot: url } });
  bot.botInfo = tg.botInfo;
  const seen: number[] = [];
  bot.use((ctx, next) => {
    seen.push(ctx.update.update_id);
    return next();
  });
  bot.start((ctx) =>
    ctx.reply(
      `Hello ${ctx.from.first_name}! payload=${ctx.payload || '-'}`,
      Markup.inlineKeyboard([[Markup.button.callback('English', 'lang:en'), Markup.button.callback('Українська', 'lang:uk')]]),
    ),
  );
  bot.action(/^lang:(.+)$/, async (ctx) => {
    await ctx.answerCbQuery(`Language set: ${ctx.match[1]}`);
    await ctx.editMessageText(`Language: <b>${ctx.match[1]}</b>`, { parse_mode: 'HTML' });
  });
  bot.on('edited_message', (ctx) => ctx.reply(`edited to: ${'text' in ctx.editedMessage ? ctx.editedMessage.text : '?'}`));
  bot.on('photo', (ctx) => ctx.reply(`photo ${ctx.message.photo.at(-1)?.file_id}`));
  bot.on('text', (ctx) => ctx.reply(`echo: ${ctx.message.text}`));
  return { bot, seen };
}

async function serveWebhook(bot: Telegraf, secretToken: string): Promise<string> {
  const server = http.createServer(bot.webhookCallback('/tg-hook', { secretToken }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/tg-hook`;
}

async function raw(url: string, method: string, body: unknown, token: string) {
  const res = await fetch(`${url}/bot${token}/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('TelegramEmulator with a real telegraf bot (webhook mode)', () => {
  it('delivers commands, button clicks and edits through the webhook with the secret token', async () => {
    const { tg, url } = await emulator();
    const { bot } = makeBot(tg, url);
    const hookUrl = await serveWebhook(bot, 'Sekr3t_token');
    await bot.telegram.setWebhook(hookUrl, { secret_token: 'Sekr3t_token' });
    expect(tg.webhookInfo()).toMatchObject({ url: hookUrl, secret_token: 'Sekr3t_token', pending_update_count: 0 });

    const update = await tg.sendCommand(alice, '/start', 'ref42');
    expect(update.message?.entities).toEqual([{ type: 'bot_command', offset: 0, length: 6 }]);
    const hello = tg.lastMessage(alice.id)!;
    expect(hello.text).toBe('Hello Alice! payload=ref42');
    expect(hello.raw.from).toMatchObject({ id: tg.botInfo.id, is_bot: true });
    expect(hello.raw.chat).toEqual({ id: alice.id, type: 'private', first_name: 'Alice' });
    expect(hello.reply_markup?.inline_keyboard[0]?.map((b) => b.callback_data)).toEqual(['lang:en', 'lang:uk']);
    expect(hello.message_id).toBe(2); // message ids are per chat and shared with the client's message

    // answerCallbackQuery comes back in the webhook response body (telegraf's webhookReply),
    // which ends the webhook request; the edit that follows is a separate API call.
    const edit = tg.waitForMessage(alice.id, (m) => m.edits.length > 0, { includeEdits: true });
    const answer = await tg.clickButton(alice, hello.message_id, 'lang:uk');
    expect(answer).toMatchObject({ text: 'Language set: uk' });
    expect(tg.calls.find((c) => c.method === 'answerCallbackQuery')?.via).toBe('webhook-reply');
    const edited = await edit;
    expect(edited).toMatchObject({ message_id: hello.message_id, text: 'Language: uk', reply_markup: undefined });
    expect(edited.entities).toEqual([{ type: 'bold', offset: 10, length: 2 }]);
    expect(edited.edits[0]?.text).toBe('Hello Alice! payload=ref42');
    await expect(tg.clickButton(alice, hello.message_id, 'lang:en')).rejects.toThrow(/no button/);

    const next = tg.waitForMessage(alice.id, (m) => m.text?.startsWith('edited to') ?? false);
    const sent = await tg.sendText(alice, 'helo');
    await tg.editText(alice, sent.message!.message_id, 'hello');
    expect((await next).text).toBe('edited to: hello');

    await tg.sendUpdate(bob, {
      photo: [
        { file_id: 'AgAD-small', file_unique_id: 'u1', width: 90, height: 90 },
        { file_id: 'AgAD-big', file_unique_id: 'u2', width: 800, height: 800 },
      ],
    });
    expect(tg.lastMessage(bob.id)?.text).toBe('photo AgAD-big');
    expect(tg.deliveries.every((d) => d.status === 200)).toBe(true);
  });

  it('redelivers the same update (same update_id) to the webhook', async () => {
    const { tg, url } = await emulator();
    const { bot, seen } = makeBot(tg, url);
    await bot.telegram.setWebhook(await serveWebhook(bot, 'abc'), { secret_token: 'abc' });
    const u = await tg.sendText(alice, 'once');
    await tg.redeliver(u.update_id);
    expect(seen).toEqual([u.update_id, u.update_id]);
    expect(tg.messages(alice.id).map((m) => m.text)).toEqual(['echo: once', 'echo: once']);
  });

  it('never has more than max_connections webhook requests open at once, as Telegram', async () => {
    const { tg } = await emulator();
    let open = 0;
    let most = 0;
    const release: Array<() => void> = [];
    const server = http.createServer((req, res) => {
      open++;
      most = Math.max(most, open);
      req.resume();
      release.push(() => {
        open--;
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    await fetch(`${tg.url}/bot${tg.token}/setWebhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: hookUrl, max_connections: 2 }),
    });
    const sent = [1, 2, 3, 4, 5].map((i) => tg.sendText({ id: 2000 + i, first_name: `U${i}` }, 'hi'));
    for (let done = 0; done < 5; done++) {
      // Hold as many as may be open (two, or what is left) before letting one go: on a busy machine the
      // second request can arrive after the first was answered, and `most` would then say nothing.
      while (release.length < Math.min(2, 5 - done)) await new Promise((r) => setTimeout(r, 5));
      expect(open).toBeLessThanOrEqual(2);
      release.shift()!();
    }
    await Promise.all(sent);
    expect(most).toBe(2);
  });

  it('records a failing webhook in getWebhookInfo', async () => {
    const { tg, url } = await emulator();
    const { bot } = makeBot(tg, url);
    const hookUrl = await serveWebhook(bot, 'right');
    await bot.telegram.setWebhook(hookUrl, { secret_token: 'wrong' }); // telegraf answers 403
    await tg.sendText(alice, 'hi');
    expect(tg.deliveries.at(-1)?.status).toBe(403);
    const info = await bot.telegram.getWebhookInfo();
    expect(info.last_error_message).toMatch(/403/);
    expect(info.pending_update_count).toBe(1); // kept, as Telegram keeps undelivered updates
    const echoed = tg.waitForMessage(alice.id, (m) => m.text === 'echo: hi');
    await bot.telegram.setWebhook(hookUrl, { secret_token: 'right' }); // pending updates go to the fixed webhook
    await echoed;
    expect(tg.webhookInfo().pending_update_count).toBe(0);
  });
});

describe('TelegramEmulator with a real telegraf bot (polling mode)', () => {
  it('serves long polling with offset confirmation, redelivery and a clean stop', async () => {
    const { tg, url } = await emulator();
    const { bot, seen } = makeBot(tg, url);
    await tg.sendCommand(alice, '/start'); // queued before the bot starts
    const launched = bot.launch();
    const hello = await tg.waitForMessage(alice.id, (m) => m.text?.startsWith('Hello') ?? false, { after: 0 });
    const answer = await tg.clickButton(alice, hello.message_id, 'lang:en');
    expect(answer).toMatchObject({ text: 'Language set: en' });
    expect(tg.calls.find((c) => c.method === 'answerCallbackQuery')?.via).toBe('http');

    const reply = tg.waitForMessage(alice.id, (m) => m.text === 'echo: ping');
    const u = await tg.sendText(alice, 'ping');
    await reply;
    const again = tg.waitForMessage(alice.id, (m) => m.text === 'echo: ping');
    await tg.redeliver(u.update_id);
    await again;
    expect(seen.filter((id) => id === u.update_id)).toHaveLength(2);

    bot.stop('test');
    await launched;
    expect(tg.pendingUpdates()).toEqual([]); // telegraf confirmed the offset when stopping
    const polls = tg.calls.filter((c) => c.method === 'getUpdates');
    expect(polls.length).toBeLessThan(40); // real long polling, not a busy loop
  });

  it('implements getUpdates offset/timeout semantics and the webhook conflict', async () => {
    const { tg, url } = await emulator({ maxPollTimeoutSec: 5 });
    const first = await tg.sendText(alice, 'a');
    await tg.sendText(alice, 'b');
    let r = await raw(url, 'getUpdates', { offset: 0 }, tg.token);
    expect((r.body.result as unknown[]).length).toBe(2);
    r = await raw(url, 'getUpdates', { offset: first.update_id + 1 }, tg.token);
    expect((r.body.result as Array<{ message: { text: string } }>).map((x) => x.message.text)).toEqual(['b']);
    r = await raw(url, 'getUpdates', { offset: first.update_id + 2, timeout: 0 }, tg.token);
    expect(r.body.result).toEqual([]);
    const waiting = raw(url, 'getUpdates', { offset: first.update_id + 2, timeout: 30 }, tg.token);
    await tg.sendText(alice, 'c'); // resolves the pending long poll early
    expect(((await waiting).body.result as Array<{ message: { text: string } }>)[0]?.message.text).toBe('c');

    await raw(url, 'setWebhook', { url: 'http://127.0.0.1:9/x' }, tg.token);
    r = await raw(url, 'getUpdates', {}, tg.token);
    expect(r.status).toBe(409);
  });
});

describe('TelegramEmulator errors and limits', () => {
  it('returns Bot API error shapes', async () => {
    const { tg, url } = await emulator();
    tg.addUser(alice);
    expect(await raw(url, 'getMe', {}, '1:wrong')).toEqual({ status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } });
    expect(await raw(url, 'sendMessagez', {}, tg.token)).toEqual({
      status: 404,
      body: { ok: false, error_code: 404, description: 'Not Found: method not found' },
    });
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ chat_id: alice.id, text: '' }, 'Bad Request: message text is empty'],
      [{ chat_id: alice.id, text: 'x'.repeat(4097) }, 'Bad Request: message is too long'],
      [{ chat_id: 999, text: 'hi' }, 'Bad Request: chat not found'],
      [
        { chat_id: alice.id, text: 'hi', reply_markup: { inline_keyboard: [[{ text: 'b', callback_data: 'x'.repeat(65) }]] } },
        'Bad Request: BUTTON_DATA_INVALID',
      ],
      [
        { chat_id: alice.id, text: 'Done.', parse_mode: 'MarkdownV2' },
        "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'",
      ],
      [
        { chat_id: alice.id, text: '<b>x</i>', parse_mode: 'HTML' },
        'Bad Request: can\'t parse entities: Unmatched end tag at byte offset 4, expected "</b>", found "</i>"',
      ],
      [{ chat_id: alice.id, text: 'hi', reply_parameters: { message_id: 77 } }, 'Bad Request: message to be replied not found'],
    ];
    for (const [body, description] of cases) {
      expect(await raw(url, 'sendMessage', body, tg.token)).toEqual({ status: 400, body: { ok: false, error_code: 400, description } });
    }
    // form-encoded bodies work too (reply_markup as a JSON string)
    const form = new URLSearchParams({ chat_id: String(alice.id), text: 'x'.repeat(4096), reply_markup: JSON.stringify({ remove_keyboard: true }) });
    const res = await fetch(`${url}/bot${tg.token}/sendMessage`, { method: 'POST', body: form });
    expect(res.status).toBe(200);
    expect(tg.lastMessage(alice.id)?.keyboard).toEqual({ remove_keyboard: true });
    expect(tg.stats.errors).toBe(8); // the 401 never reaches a method
  });

  it('edits, deletes (48 h rule) and stores commands per language', async () => {
    let now = Date.parse('2026-03-01T10:00:00Z');
    const { tg, url } = await emulator({ now: () => now });
    const telegram = new Telegraf(tg.token, { telegram: { apiRoot: url } }).telegram;
    tg.addUser(alice);
    const m = await telegram.sendMessage(alice.id, 'v1', Markup.inlineKeyboard([Markup.button.callback('ok', 'ok')]));
    expect(m.date).toBe(now / 1000);
    await expect(
      telegram.editMessageText(alice.id, m.message_id, undefined, 'v1', Markup.inlineKeyboard([Markup.button.callback('ok', 'ok')])),
    ).rejects.toThrow(/message is not modified/);
    await telegram.editMessageReplyMarkup(alice.id, m.message_id, undefined, undefined);
    expect(tg.lastMessage(alice.id)?.reply_markup).toBeUndefined();
    const m2 = await telegram.sendMessage(alice.id, 'keep');
    now += 49 * 3_600_000;
    await expect(telegram.deleteMessage(alice.id, m.message_id)).rejects.toThrow("Bad Request: message can't be deleted");
    now -= 2 * 3_600_000;
    expect(await telegram.deleteMessage(alice.id, m.message_id)).toBe(true);
    await expect(telegram.deleteMessage(alice.id, m.message_id)).rejects.toThrow('message to delete not found');
    expect(await telegram.deleteMessages(alice.id, [m2.message_id, 999])).toBe(true);
    expect(tg.messages(alice.id).map((x) => x.deleted)).toEqual([true, true]);

    await telegram.setMyCommands([{ command: 'start', description: 'Start' }]);
    await telegram.setMyCommands([{ command: 'start', description: 'Почати' }], { language_code: 'uk' });
    expect(await telegram.getMyCommands({ language_code: 'uk' })).toEqual([{ command: 'start', description: 'Почати' }]);
    expect(tg.myCommands()).toEqual([{ command: 'start', description: 'Start' }]);
    await expect(telegram.setMyCommands([{ command: 'Bad-Cmd', description: 'x' }])).rejects.toThrow('BOT_COMMAND_INVALID');
  });

  it('rate-limits per chat and per bot with 429 retry_after and records the timeline', async () => {
    const { tg, url } = await emulator({ rateLimits: { perChat: { limit: 2, windowMs: 1000 }, global: { limit: 3, windowMs: 1000 } } });
    const telegram = new Telegraf(tg.token, { telegram: { apiRoot: url } }).telegram;
    for (const u of [alice, bob, { id: 1003, first_name: 'C' }]) tg.addUser(u);
    await telegram.sendMessage(alice.id, '1');
    await telegram.sendMessage(alice.id, '2');
    const err = await telegram.sendMessage(alice.id, '3').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TelegramError);
    const te = err as TelegramError;
    expect(te.code).toBe(429);
    expect(te.response).toEqual({ ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } });
    await telegram.sendMessage(bob.id, '1'); // third send of the bot in this second
    await expect(telegram.sendMessage(1003, '1')).rejects.toMatchObject({ code: 429, parameters: { retry_after: 1 } });
    expect(tg.stats).toMatchObject({ sent: 3, rateLimited: 2 });
    expect(tg.sendTimeline.map((t) => t.chatId)).toEqual([alice.id, alice.id, bob.id]);
  });

  it('answers 403 when the user blocked the bot', async () => {
    const { tg, url } = await emulator({ rateLimits: false });
    const telegram = new Telegraf(tg.token, { telegram: { apiRoot: url } }).telegram;
    tg.addUser(alice);
    tg.blockBy(alice.id);
    await expect(telegram.sendMessage(alice.id, 'hi')).rejects.toMatchObject({
      code: 403,
      response: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' },
    });
    expect(tg.stats.blocked).toBe(1);
  });
});
