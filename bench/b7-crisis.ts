/**
 * B7 — a crisis never waits. While a B2 reminder burst goes out at the bot's
 * full rate through the real workers, and B1-style clients do intakes through
 * the real webhook front end, crisis messages arrive from other chats. For
 * each: time from the update (the emulator posting it) to the emergency reply
 * reaching the Telegram emulator, and to the on-call page reaching the Slack
 * emulator; none may be lost. Everything runs in this process: the app
 * (express + telegraf webhook), the workers (every queue), both emulators.
 * Phase `redis-down`: the same world on a private redis-server, SIGKILLed just
 * before the first crisis and started again (empty, as after a crash) a few
 * seconds after the last one; every reply and page must still arrive.
 */
import type { Server } from 'node:http';
import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { closeServer, createHttpApp } from '../src/http/server.js';
import { SlackEmulator, type SlackMessageView } from '../src/sandbox/slack-emulator.js';
import { TelegramEmulator, type SimUser } from '../src/sandbox/telegram-emulator.js';
import type { BotMessageView } from '../src/sandbox/telegram-emulator.types.js';
import { startTelegram } from '../src/telegram/telegram.frontend.js';
import { startWorkers } from '../workers/start.js';
import { seedBurst } from './b2-burst.js';
import { envInt, FULL, fmt, loadAvg, privateRedis, q, quantile, r2, report, rng, scratchDeps, spread, type Row } from './lib.js';

const CRISIS_TEXT = 'I want to kill myself tonight';
/** One intake, as B1 does it: [how, what]. */
const INTAKE: Array<['cmd' | 'say' | 'click', string]> = [
  ['cmd', '/start'],
  ['click', 'English'],
  ['click', 'I agree'],
  ['click', "Yes, I'm safe"],
  ['say', 'Client'],
  ['click', 'Housing'],
  ['say', 'My landlord wants me out by the end of the month.'],
  ['say', 'A safe place to live.'],
  ['say', 'My sister, sometimes.'],
  ['click', 'Skip'],
  ['click', 'This week'],
  ['click', 'Evenings'],
  ['click', 'London'],
  ['click', 'Send my request'],
];

interface Timed {
  chat: number;
  sentAt: number;
  replyAt?: number;
  pageAt?: number;
}
interface PhaseResult {
  mode: 'up' | 'redis-down';
  crises: number;
  replied: number;
  paged: number;
  replyP50: number;
  replyP99: number;
  replyMax: number;
  pageP50: number;
  pageP99: number;
  pageMax: number;
  /** Pages that listed more than one crisis, and the most crises one page listed. */
  combinedPages: number;
  mostCrisesInOnePage: number;
  remindersSent: number;
  reminderRate: number;
  reminders429: number;
  intakeUpdates: number;
  intakesDone: number;
  intakeErrors: number;
  botMaxInAnySecond: number;
  redisDownSec: number;
  load: { start: number[]; end: number[] };
  /** Per crisis, ms: when it was posted (from the first), and how long until its reply and its page. */
  timeline: Array<{ sentAt: number; reply?: number; page?: number }>;
}

/** B1-style clients: each does whole intakes one after another (a fresh chat each time), pausing before each answer. */
function intakeLoad(tg: TelegramEmulator, clients: number, thinkMs: number, firstId: number) {
  let stop = false;
  let updates = 0,
    done = 0,
    errors = 0,
    nextId = firstId;
  const think = rng();
  const pause = () => new Promise((r) => setTimeout(r, thinkMs * (0.5 + think())));
  const one = async () => {
    const u: SimUser = { id: nextId++, first_name: 'Client', language_code: 'en' };
    tg.addUser(u);
    for (const [how, what] of INTAKE) {
      if (stop) return;
      await pause();
      if (how === 'click') {
        const msg = [...tg.messages(u.id)].reverse().find((x) => !x.deleted && x.reply_markup?.inline_keyboard.flat().some((b) => b.text === what));
        const data = msg?.reply_markup?.inline_keyboard.flat().find((b) => b.text === what)?.callback_data;
        if (!msg || !data) throw new Error(`no button ${what}`);
        await tg.clickButton(u, msg.message_id, data, { force: true });
      } else if (how === 'cmd') await tg.sendCommand(u, what);
      else await tg.sendText(u, what);
      updates++;
    }
    done++;
  };
  const loops = Array.from({ length: clients }, async () => {
    while (!stop)
      await one().catch(() => {
        errors++;
      });
  });
  return {
    get updates() {
      return updates;
    },
    get done() {
      return done;
    },
    get errors() {
      return errors;
    },
    async stop() {
      stop = true;
      await Promise.all(loops);
    },
  };
}

async function until(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`B7: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function phase(
  mode: PhaseResult['mode'],
  o: { reminders: number; clients: number; thinkMs: number; crises: number; gapMs: number; limits: boolean },
): Promise<PhaseResult> {
  const load0 = loadAvg();
  const redis = mode === 'redis-down' ? await privateRedis() : undefined;
  // The bot's interactive replies are not paced by the app's send budget (only ledger sends are), so with
  // B1-style clients the bot sends more than 30/s: the emulator's limits are off unless B7_LIMITS=1.
  const limits = o.limits ? { global: { limit: 30, windowMs: 1000 }, perChat: { limit: 1, windowMs: 1000 } } : (false as const);
  const tg = new TelegramEmulator({ rateLimits: limits, answerTimeoutMs: 60_000, callLogLimit: 1000 });
  const slack = new SlackEmulator({
    users: [
      { id: 'UBENCHSUP', name: 'sup' },
      { id: 'UBENCHWK1', name: 'worker' },
    ],
    callLogLimit: 1000,
  });
  await tg.start();
  await slack.start();
  const deps = await scratchDeps(
    {
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.url,
      TELEGRAM_FLOOD_MAX_MESSAGES: '1000',
      SEND_AHEAD_WINDOW: 'PT0S',
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_API_URL: slack.apiUrl,
      SLACK_SIGNING_SECRET: 'bench-signing-secret',
    },
    undefined,
    20,
    redis?.url,
  );
  deps.redis.on('error', () => undefined);
  if (process.env.B7_TRACE) {
    // Every 500 ms: the event loop's longest stall and the main pool's waiting queries (bench/README.md B7).
    const { monitorEventLoopDelay } = await import('node:perf_hooks');
    const h = monitorEventLoopDelay({ resolution: 10 });
    h.enable();
    const pool = (deps.db as unknown as { $client: { waitingCount: number; totalCount: number } }).$client;
    setInterval(() => {
      console.log('TRACE', Date.now(), 'loop-max-ms', Math.round(h.max / 1e6), 'pool-waiting', pool?.waitingCount, 'pool-total', pool?.totalCount);
      h.reset();
    }, 500).unref();
  }
  const app = createHttpApp(deps);
  let server: Server | undefined;
  let running: Awaited<ReturnType<typeof startTelegram>> | undefined;
  const workers = await startWorkers(deps);
  if (process.env.B7_DEBUG)
    for (const w of workers.workers)
      w.on('completed', (job) => {
        if (job.name !== 'delivery.send' || !String(job.data.deliveryId).length || job.returnvalue?.reason !== 'rate_budget')
          console.log(
            new Date().toISOString().slice(14, 23),
            w.name,
            job.name,
            job.id?.slice(0, 30),
            `${(job.finishedOn ?? 0) - (job.processedOn ?? 0)} ms`,
            `waited ${(job.processedOn ?? 0) - job.timestamp - (job.opts.delay ?? 0)} ms`,
            JSON.stringify(job.returnvalue)?.slice(0, 80),
          );
      });
  let intake: ReturnType<typeof intakeLoad> | undefined;
  let redisDownSec = 0;
  try {
    // The B2 burst: due shortly, sent at the bot's full rate for reminders ÷ 30 s.
    const due = DateTime.utc().plus({ seconds: 3 + o.reminders / 2000 });
    await seedBurst(deps, tg, o.reminders, due, null);
    await q(deps.db, sql`update staff set on_call = true where role = 'supervisor'`);
    server = await new Promise<Server>((resolve, reject) => {
      const srv = app.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, (err?: Error) => (err ? reject(err) : resolve(srv)));
    });
    const port = (server.address() as { port: number }).port;
    running = await startTelegram(deps, app, { token: tg.token, apiRoot: tg.url, botInfo: tg.botInfo as never, publicUrl: `http://127.0.0.1:${port}` });
    intake = intakeLoad(tg, o.clients, o.thinkMs, 20_000_000);

    const crises = new Map<number, Timed>();
    tg.on('message', (m: BotMessageView) => {
      const c = crises.get(m.chat_id);
      if (c && c.replyAt === undefined) c.replyAt = Date.now();
    });
    const pagesByRef = new Map<string, number>();
    /** How many crises each page that listed more than one carried. */
    const combined: number[] = [];
    slack.on('message', (m: SlackMessageView) => {
      if (process.env.B7_DEBUG) console.log(new Date().toISOString().slice(14, 23), 'slack', m.channel, (m.text ?? '').slice(0, 60));
      if (!(m.text ?? '').includes(':rotating_light:')) return;
      // A page may list several crises (pages waiting for the same person go in one message): each counts as paged.
      const refs = new Set([...(m.text ?? '').matchAll(/C-\d{4}-\d+/g)].map((x) => x[0]));
      if (refs.size > 1) combined.push(refs.size);
      for (const ref of refs) if (!pagesByRef.has(ref)) pagesByRef.set(ref, Date.now());
    });
    // Crises start once the burst is at full rate.
    await until(() => tg.sendTimeline.length >= 90, 60_000 + o.reminders * 50, 'the burst to reach full rate');
    let downAt = 0;
    if (redis) {
      await redis.stop();
      downAt = Date.now();
    }
    const firstCrisis = 30_000_000;
    const posting: Array<Promise<unknown>> = [];
    for (let i = 0; i < o.crises; i++) {
      const u: SimUser = { id: firstCrisis + i, first_name: 'Someone', language_code: 'en' };
      tg.addUser(u);
      crises.set(u.id, { chat: u.id, sentAt: Date.now() });
      if (process.env.B7_DEBUG) console.log(new Date().toISOString().slice(14, 23), 'crisis', i);
      posting.push(tg.sendText(u, CRISIS_TEXT).catch(() => undefined));
      await new Promise((r) => setTimeout(r, o.gapMs));
    }
    if (redis) {
      await new Promise((r) => setTimeout(r, 5000));
      await redis.start();
      redisDownSec = r2((Date.now() - downAt) / 1000);
    }
    const refToChat = async () =>
      new Map(
        (
          await q<{ reference: string; chat: string }>(
            deps.db,
            sql`select c.reference, cl.telegram_chat_id::text chat
      from cases c join clients cl on cl.id = c.client_id where cl.telegram_chat_id >= ${firstCrisis}`,
          )
        ).map((r) => [r.reference, Number(r.chat)]),
      );
    await until(
      async () => {
        const refs = await refToChat();
        for (const [ref, at] of pagesByRef) {
          const c = crises.get(refs.get(ref) ?? -1);
          if (c && c.pageAt === undefined) c.pageAt = at;
        }
        return [...crises.values()].every((c) => c.replyAt !== undefined && c.pageAt !== undefined);
      },
      300_000,
      'every crisis reply and page',
    ).catch((err: Error) => console.error(err.message));
    await Promise.all(posting);
    await intake.stop();
    const intakeStats = { intakeUpdates: intake.updates, intakesDone: intake.done, intakeErrors: intake.errors };
    intake = undefined;
    await until(
      async () =>
        (await q<{ n: number }>(deps.db, sql`select count(*)::int n from deliveries where status = 'pending' and kind like 'appointment_reminder%'`))[0]!.n ===
        0,
      120_000 + o.reminders * 100,
      'the burst to finish',
    ).catch((err: Error) => console.error(err.message));
    const list = [...crises.values()];
    const reply = list.filter((c) => c.replyAt !== undefined).map((c) => (c.replyAt! - c.sentAt) / 1000);
    const page = list.filter((c) => c.pageAt !== undefined).map((c) => (c.pageAt! - c.sentAt) / 1000);
    const reminderChats = new Set(Array.from({ length: o.reminders }, (_, i) => 10_000_000 + i));
    const tl = tg.sendTimeline
      .filter((s) => reminderChats.has(s.chatId))
      .map((s) => s.at)
      .sort((a, b) => a - b);
    const all = tg.sendTimeline.map((s) => s.at).sort((a, b) => a - b);
    let botMax = 0;
    for (let i = 0, j = 0; i < all.length; i++) {
      while (all[i]! - all[j]! >= 1000) j++;
      botMax = Math.max(botMax, i - j + 1);
    }
    return {
      mode,
      crises: list.length,
      replied: reply.length,
      paged: page.length,
      replyP50: r2(quantile(reply, 0.5)),
      replyP99: r2(quantile(reply, 0.99)),
      replyMax: r2(Math.max(...reply)),
      pageP50: r2(quantile(page, 0.5)),
      pageP99: r2(quantile(page, 0.99)),
      pageMax: r2(Math.max(...page)),
      combinedPages: combined.length,
      mostCrisesInOnePage: Math.max(1, ...combined),
      remindersSent: tl.length,
      reminderRate: r2((tl.length - 1) / Math.max(0.001, (tl[tl.length - 1]! - tl[0]!) / 1000) / 30),
      reminders429: tg.stats.rateLimited,
      ...intakeStats,
      botMaxInAnySecond: botMax,
      redisDownSec,
      load: { start: load0, end: loadAvg() },
      timeline: list.map((c) => ({ sentAt: c.sentAt - list[0]!.sentAt, reply: c.replyAt && c.replyAt - c.sentAt, page: c.pageAt && c.pageAt - c.sentAt })),
    };
  } finally {
    await intake?.stop();
    await running?.stop().catch(() => undefined);
    if (server) await closeServer(server);
    await workers.close(5000);
    await deps.destroy();
    await redis?.stop();
    await tg.stop();
    await slack.stop();
  }
}

export async function b7(): Promise<void> {
  const o = {
    reminders: envInt('B7_REMINDERS', FULL ? 10_000 : 4_000),
    clients: envInt('B7_CLIENTS', FULL ? 1_000 : 200),
    thinkMs: envInt('B7_THINK_MS', 3000),
    crises: envInt('B7_CRISES', 100),
    gapMs: envInt('B7_CRISIS_GAP_MS', 1200),
    limits: process.env.B7_LIMITS === '1',
  };
  const modes = (process.env.B7_PHASES ?? 'up,redis-down').split(',').map((x) => x.trim()) as Array<PhaseResult['mode']>;
  const res: PhaseResult[] = [];
  for (const m of modes) res.push(await phase(m, o));
  const rows: Row[] = [];
  for (const p of res) {
    const tag = p.mode === 'up' ? '[Redis up]' : `[Redis down ${p.redisDownSec} s]`;
    const one = (x: number) => fmt(spread([x]));
    rows.push(
      {
        metric: `${tag} crises: replied / paged / lost`,
        value: `${p.replied} / ${p.paged} / ${p.crises - Math.min(p.replied, p.paged)} of ${p.crises}`,
        goal: '0 lost',
        met: p.replied === p.crises && p.paged === p.crises,
      },
      {
        metric: `${tag} update → emergency reply p50 / p99 / max s`,
        value: `${p.replyP50} / ${p.replyP99} / ${p.replyMax}`,
        goal: 'p99 < 1 s',
        met: p.replyP99 < 1,
      },
      { metric: `${tag} update → on-call page p50 / p99 / max s`, value: `${p.pageP50} / ${p.pageP99} / ${p.pageMax}`, goal: 'p99 < 1 s', met: p.pageP99 < 1 },
      { metric: `${tag} pages listing several crises / most crises in one page`, value: `${p.combinedPages} / ${p.mostCrisesInOnePage}` },
      { metric: `${tag} reminders sent / rate ÷ 30/s / 429s`, value: `${p.remindersSent} / ${p.reminderRate} / ${p.reminders429}` },
      { metric: `${tag} bot messages in the busiest second`, value: one(p.botMaxInAnySecond) },
      { metric: `${tag} intake updates / intakes completed / client errors`, value: `${p.intakeUpdates} / ${p.intakesDone} / ${p.intakeErrors}` },
      { metric: `${tag} load average 1/5/15 min, start → end`, value: `${p.load.start.join(' ')} → ${p.load.end.join(' ')}` },
    );
  }
  report({ name: 'B7', title: 'crisis reply and on-call page while the reminder burst and intakes run', params: o, rows, data: { phases: res } });
}
