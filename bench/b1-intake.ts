/**
 * B1 — intake: M simulated clients complete the whole Telegram intake at the
 * same time (14 updates each: /start, language, agreement, safety, name,
 * topic, story, wish, support, skip strengths, urgency, availability, zone,
 * send). The real front end (startTelegram on the real express app, webhook
 * mode with its secret) receives every update from the Telegram emulator
 * over HTTP; the bot's replies go back to the emulator over HTTP; PostgreSQL
 * and Redis are real. Latency per update = from the emulator posting the
 * update to the webhook answering (telegraf handles it fully before 200).
 */
import type { Server } from 'node:http';
import { sql } from 'drizzle-orm';
import { createHttpApp, listen, closeServer } from '../src/http/server.js';
import { startTelegram } from '../src/telegram/telegram.frontend.js';
import { TelegramEmulator, type SimUser } from '../src/sandbox/telegram-emulator.js';
import { envInt, FULL, fmt, q, quantile, r2, repeat, report, rssMiB, scratchDeps, spread } from './lib.js';

const STORY = ['My landlord wants me out by the end of the month and I have two children.', 'I lost my job and cannot pay the rent.', 'I need help with forms for benefits.'];

async function runClients(m: number, firstId: number, concurrency: number) {
  const tg = new TelegramEmulator({ rateLimits: false, answerTimeoutMs: 30_000, callLogLimit: 1000 });
  await tg.start();
  const deps = await scratchDeps({ TELEGRAM_FLOOD_MAX_MESSAGES: '1000', TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.url }, undefined, 20);
  const app = createHttpApp(deps);
  let server: Server | undefined;
  const lat: number[] = [];
  let peak = rssMiB();
  const sampler = setInterval(() => { peak = Math.max(peak, rssMiB()); }, 100);
  try {
    server = await listen(app, '127.0.0.1', 0);
    const port = (server.address() as { port: number }).port;
    const running = await startTelegram(deps, app, { token: tg.token, apiRoot: tg.url, botInfo: tg.botInfo as never, publicUrl: `http://127.0.0.1:${port}` });
    const timed = async <T>(fn: () => Promise<T>) => {
      const s = performance.now();
      const r = await fn();
      lat.push(performance.now() - s);
      return r;
    };
    const click = async (u: SimUser, label: string) => {
      const msg = [...tg.messages(u.id)].reverse().find((x) => !x.deleted && x.reply_markup?.inline_keyboard.flat().some((b) => b.text === label));
      if (!msg) throw new Error(`client ${u.id}: no button "${label}"; last message: ${tg.lastMessage(u.id)?.text?.slice(0, 80)}`);
      const data = msg.reply_markup!.inline_keyboard.flat().find((b) => b.text === label)!.callback_data!;
      await timed(() => tg.clickButton(u, msg.message_id, data, { force: true }));
    };
    const say = (u: SimUser, text: string) => timed(() => tg.sendText(u, text));
    const client = async (i: number) => {
      const u: SimUser = { id: firstId + i, first_name: `Client${i}`, language_code: 'en' };
      tg.addUser(u);
      await timed(() => tg.sendCommand(u, '/start'));
      await click(u, 'English');
      await click(u, 'I agree');
      await click(u, "Yes, I'm safe");
      await say(u, `Client ${i}`);
      await click(u, 'Housing');
      await say(u, STORY[i % STORY.length]!);
      await say(u, 'A safe place to live.');
      await say(u, 'My sister, sometimes.');
      await click(u, 'Skip');
      await click(u, 'This week');
      await click(u, 'Evenings');
      await click(u, 'London');
      await click(u, 'Send my request');
      if (!/C-\d{4}-\d{4,}/.test(tg.lastMessage(u.id)?.text ?? '')) throw new Error(`client ${u.id}: no case reference in the last reply`);
    };
    let next = 0;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: Math.min(concurrency, m) }, async () => {
      while (next < m) await client(next++);
    }));
    const secs = (performance.now() - t0) / 1000;
    const [cs] = await q<{ n: number }>(deps.db, sql`select count(*)::int n from cases`);
    if (cs!.n !== m) throw new Error(`B1: ${cs!.n} cases for ${m} clients`);
    await running.stop();
    return { updates: lat.length, secs: r2(secs), perSec: r2(lat.length / secs), p50: r2(quantile(lat, 0.5)), p99: r2(quantile(lat, 0.99)), rssPeakMiB: peak, cases: cs!.n };
  } finally {
    clearInterval(sampler);
    if (server) await closeServer(server);
    await deps.destroy();
    await tg.stop();
  }
}

export async function b1(): Promise<void> {
  const m = envInt('B1_CLIENTS', FULL ? 1_000 : 200);
  const concurrency = envInt('B1_CONCURRENCY', m);
  const runs = envInt('B1_RUNS', 3);
  const res = await repeat(1, runs, (i, warm) => runClients(warm ? Math.min(20, m) : m, 1_000_000 * (i + (warm ? 10 : 1)), concurrency));
  const rate = spread(res.map((r) => r.perSec));
  const p99 = spread(res.map((r) => r.p99));
  report({
    name: concurrency < m ? `B1-c${concurrency}` : 'B1', title: 'concurrent Telegram intakes through the real webhook front end and the emulator over HTTP',
    params: { clients: m, concurrency, runs, updatesPerClient: 14 },
    rows: [
      { metric: 'updates/s', value: fmt(rate), goal: '≥ 500/s', met: rate.median >= 500 },
      { metric: 'per-update latency p50 ms', value: fmt(spread(res.map((r) => r.p50))) },
      { metric: 'per-update latency p99 ms', value: fmt(p99), goal: '≤ 100 ms', met: p99.median <= 100 },
      { metric: 'RSS peak MiB (app + bot + emulator, one process)', value: fmt(spread(res.map((r) => r.rssPeakMiB))) },
      { metric: 'wall time per run s', value: fmt(spread(res.map((r) => r.secs))) },
    ],
    data: { runs: res },
  });
}
