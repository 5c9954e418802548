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
import { fork } from 'node:child_process';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { createHttpApp, closeServer } from '../src/http/server.js';
import { startTelegram } from '../src/telegram/telegram.frontend.js';
import { TelegramEmulator, type SimUser } from '../src/sandbox/telegram-emulator.js';
import { b1Scale } from './b1-scale.js';
import { envInt, FULL, fmt, q, quantile, r2, repeat, report, rng, rssMiB, scratchDeps, spread } from './lib.js';

const STORY = [
  'My landlord wants me out by the end of the month and I have two children.',
  'I lost my job and cannot pay the rent.',
  'I need help with forms for benefits.',
];

/**
 * B1_THINK_MS: each client pauses about this long (0.5–1.5×, seeded) before each answer (not counted in
 * the latency). With none (the default) the clients form a closed loop that
 * always has one update in flight each, so by Little's law the mean latency is
 * about clients ÷ throughput (1,000 clients at 500/s: 2 s) whatever the
 * service does; a think time turns it into an offered load of about
 * clients ÷ (think + latency) updates/s, where the latency is the service's.
 */
const THINK_MS = envInt('B1_THINK_MS', 0);

/** The simulated clients: each does the whole intake, one update at a time; latency per update as seen by the emulator. */
export async function drive(tg: TelegramEmulator, m: number, firstId: number, concurrency: number): Promise<{ lat: number[]; secs: number }> {
  const lat: number[] = [];
  // Independent clients: each pause is drawn uniformly from 0.5–1.5 × B1_THINK_MS (seeded), so
  // 1,000 clients do not all answer in the same millisecond after the same pause.
  const think = rng();
  const timed = async <T>(fn: () => Promise<T>) => {
    if (THINK_MS) await new Promise((r) => setTimeout(r, THINK_MS * (0.5 + think())));
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
    const last = tg.lastMessage(u.id)?.text ?? '';
    // The bot's own (synthetic) text, to tell a harness fault from a bot fault.
    if (!/C-\d{4}-\d{4,}/.test(last)) throw new Error(`client ${u.id}: no case reference in the last reply: ${JSON.stringify(last.slice(0, 300))}`);
  };
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, m) }, async () => {
      while (next < m) await client(next++);
    }),
  );
  return { lat, secs: (performance.now() - t0) / 1000 };
}

const newEmulator = () => new TelegramEmulator({ rateLimits: false, answerTimeoutMs: 30_000, callLogLimit: 1000 });

/**
 * B1_EMULATOR=child: the emulator and the simulated clients run in a child
 * process (this file with B1_ROLE=driver), so the service's figures are not
 * paid for by the emulator's CPU in the same event loop. IPC: the child says
 * { token, url, botInfo }, is told { m, firstId, concurrency } once the bot is
 * up, and answers { lat, secs } or { error }.
 */
interface Driver {
  token: string;
  url: string;
  botInfo: unknown;
  run(m: number, firstId: number, concurrency: number): Promise<{ lat: number[]; secs: number }>;
  stop(): Promise<void>;
}

async function inProcessDriver(): Promise<Driver> {
  const tg = newEmulator();
  await tg.start();
  return { token: tg.token, url: tg.url, botInfo: tg.botInfo, run: (m, f, c) => drive(tg, m, f, c), stop: () => tg.stop() };
}

async function childDriver(): Promise<Driver> {
  const child = fork(fileURLToPath(import.meta.url), [], { execArgv: ['--import', 'tsx'], env: { ...process.env, B1_ROLE: 'driver' }, stdio: 'inherit' });
  const next = () =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`B1 driver exited (${code})`));
      child.once('exit', onExit);
      child.once('message', (msg) => {
        child.off('exit', onExit);
        resolve(msg as Record<string, unknown>);
      });
    });
  const hello = await next();
  return {
    token: hello.token as string,
    url: hello.url as string,
    botInfo: hello.botInfo,
    async run(m, firstId, concurrency) {
      const answer = next();
      child.send({ m, firstId, concurrency });
      const res = await answer;
      if (res.error) throw new Error(`B1 driver: ${String(res.error)}`);
      return res as unknown as { lat: number[]; secs: number };
    },
    async stop() {
      if (child.exitCode === null) {
        const gone = new Promise((r) => child.once('exit', r));
        child.send({ stop: true });
        await gone;
      }
    },
  };
}

async function driverMain(): Promise<void> {
  const tg = newEmulator();
  await tg.start();
  process.send!({ token: tg.token, url: tg.url, botInfo: tg.botInfo });
  process.on('message', (msg: { m?: number; firstId?: number; concurrency?: number; stop?: boolean }) => {
    if (msg.stop) {
      void tg.stop().finally(() => process.exit(0));
      return;
    }
    drive(tg, msg.m!, msg.firstId!, msg.concurrency!)
      .then((r) => process.send!(r))
      .catch((err: unknown) => process.send!({ error: (err as Error)?.message ?? String(err) }));
  });
}

const EMULATOR_CHILD = process.env.B1_EMULATOR === 'child';

async function runClients(m: number, firstId: number, concurrency: number) {
  const tg = EMULATOR_CHILD ? await childDriver() : await inProcessDriver();
  const deps = await scratchDeps({ TELEGRAM_FLOOD_MAX_MESSAGES: '1000', TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.url }, undefined, 20);
  const app = createHttpApp(deps);
  let server: Server | undefined;
  let peak = rssMiB();
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMiB());
  }, 100);
  try {
    // The emulator opens one connection per update in flight (real Telegram: at most max_connections, 40 by default);
    // with 1,000 at once Node's default accept backlog (511) overflows while the loop is busy and connects time out.
    server = await new Promise<Server>((resolve, reject) => {
      const srv = app.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, (err?: Error) => (err ? reject(err) : resolve(srv)));
    });
    const port = (server.address() as { port: number }).port;
    const running = await startTelegram(deps, app, { token: tg.token, apiRoot: tg.url, botInfo: tg.botInfo as never, publicUrl: `http://127.0.0.1:${port}` });
    const cpu0 = process.cpuUsage();
    const { lat, secs } = await tg.run(m, firstId, concurrency);
    const cpu = process.cpuUsage(cpu0);
    const [cs] = await q<{ n: number }>(deps.db, sql`select count(*)::int n from cases`);
    if (cs!.n !== m) throw new Error(`B1: ${cs!.n} cases for ${m} clients`);
    await running.stop();
    return {
      updates: lat.length,
      secs: r2(secs),
      perSec: r2(lat.length / secs),
      p50: r2(quantile(lat, 0.5)),
      p99: r2(quantile(lat, 0.99)),
      // CPU of this process (the service, plus the emulator unless B1_EMULATOR=child) per update.
      cpuMsPerUpdate: r2((cpu.user + cpu.system) / 1000 / lat.length),
      rssPeakMiB: peak,
      cases: cs!.n,
    };
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
    name: concurrency < m ? `B1-c${concurrency}` : 'B1',
    title: 'concurrent Telegram intakes through the real webhook front end and the emulator over HTTP',
    params: { clients: m, concurrency, runs, updatesPerClient: 14, emulator: EMULATOR_CHILD ? 'child process' : 'in process', thinkMs: THINK_MS },
    rows: [
      { metric: 'updates/s', value: fmt(rate), goal: '≥ 500/s', met: rate.median >= 500 },
      { metric: 'per-update latency p50 ms', value: fmt(spread(res.map((r) => r.p50))) },
      { metric: 'per-update latency p99 ms', value: fmt(p99), goal: '≤ 100 ms', met: p99.median <= 100 },
      { metric: `CPU ms per update (${EMULATOR_CHILD ? 'service process' : 'service + emulator'})`, value: fmt(spread(res.map((r) => r.cpuMsPerUpdate))) },
      {
        metric: `RSS peak MiB (${EMULATOR_CHILD ? 'app + bot; emulator in a child' : 'app + bot + emulator, one process'})`,
        value: fmt(spread(res.map((r) => r.rssPeakMiB))),
      },
      { metric: 'wall time per run s', value: fmt(spread(res.map((r) => r.secs))) },
    ],
    data: { runs: res },
  });
  // The same clients through app processes as production runs them, one and then two behind the webhook.
  if (process.env.B1_SCALE !== '0') await b1Scale();
}

if (process.env.B1_ROLE === 'driver' && process.send) void driverMain();
