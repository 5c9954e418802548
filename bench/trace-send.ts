import pg from 'pg';
import { DateTime } from 'luxon';
import { TelegramEmulator } from '../src/sandbox/telegram-emulator.js';
import { sendDelivery } from '../src/delivery/send.service.js';
import { scratchDeps, seedReminderRows } from './lib.js';

const counts = new Map<string, { n: number; ms: number }>();
const orig = pg.Client.prototype.query as (...a: unknown[]) => unknown;
(pg.Client.prototype as unknown as { query: unknown }).query = function (this: unknown, ...args: unknown[]) {
  const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text: string }).text;
  const key = text.replace(/\s+/g, ' ').slice(0, 110);
  const t0 = performance.now();
  const done = () => {
    const c = counts.get(key) ?? { n: 0, ms: 0 };
    c.n++;
    c.ms += performance.now() - t0;
    counts.set(key, c);
  };
  const cbAt = args.findIndex((a) => typeof a === 'function');
  if (cbAt >= 0) {
    const cb = args[cbAt] as (...x: unknown[]) => unknown;
    args[cbAt] = (...x: unknown[]) => {
      done();
      return cb(...x);
    };
  }
  const r = orig.apply(this, args) as Promise<unknown>;
  if (cbAt < 0 && r && typeof r.then === 'function') r.then(done, () => {});
  return r;
};
const tg = new TelegramEmulator({ rateLimits: false, callLogLimit: 10 });
await tg.start();
const deps = await scratchDeps(
  { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.url, TELEGRAM_CHAT_MESSAGES_PER_SECOND: '30', TELEGRAM_MESSAGES_PER_SECOND: '30' },
  undefined,
  10,
);
(deps as { config: unknown }).config = Object.freeze({ ...deps.config, TELEGRAM_MESSAGES_PER_SECOND: 1_000_000, TELEGRAM_CHAT_MESSAGES_PER_SECOND: 1_000_000 });
const n = 300;
const due = DateTime.utc().minus({ seconds: 1 });
const rows = await seedReminderRows(deps, tg, n, due, null);
counts.clear();
const t0 = performance.now();
const outs = new Map<string, number>();
for (const r of rows) {
  const o = await sendDelivery(deps, r.id, { finalAttempt: true });
  outs.set(o.kind, (outs.get(o.kind) ?? 0) + 1);
}
const ms = performance.now() - t0;
console.log('outcomes', Object.fromEntries(outs), 'sequential ms/send', (ms / rows.length).toFixed(2));
let total = 0;
for (const [k, v] of [...counts].sort((a, b) => b[1].ms - a[1].ms)) {
  total += v.n;
  console.log(String(v.n / rows.length).padStart(5), (v.ms / v.n).toFixed(2).padStart(7), 'ms', k);
}
console.log('statements per send', (total / rows.length).toFixed(1));
await deps.destroy();
await tg.stop();
