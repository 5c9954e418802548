import pg from 'pg';
import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { TelegramEmulator } from '../src/sandbox/telegram-emulator.js';
import { sendDelivery } from '../src/delivery/send.service.js';
import { q, scratchDeps, seedPopulation } from './lib.js';

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
const pop = await seedPopulation(deps, n);
for (let i = 0; i < n; i++) tg.addUser({ id: pop.firstChat + i, first_name: `C${i}` });
const due = DateTime.utc().minus({ seconds: 1 });
await q(
  deps.db,
  sql`insert into appointments (case_id, worker_id, starts_at, duration_min, mode, created_at, updated_at)
  select id, assigned_worker_id, ${due.plus({ hours: 24 }).toJSDate()}, 60, 'in_person', now(), now() from cases`,
);
const rows = await q<{ id: string }>(
  deps.db,
  sql`insert into deliveries (kind, subject_id, version, recipient, channel, case_id, due_at, status, created_at, updated_at)
  select 'appointment_reminder.PT24H', a.id, 1, 'client:' || c.client_id, 'telegram', c.id, ${due.toJSDate()}, 'pending', now(), now()
  from appointments a join cases c on c.id = a.case_id returning id`,
);
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
