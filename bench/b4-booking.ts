/**
 * B4 — booking: N appointments booked through the real Slack-side service
 * (scheduleAppointment: lock the case, check access, insert, audit, plan the
 * notice and reminders in the ledger, add the send jobs to BullMQ after
 * commit), C at a time, one case per appointment.
 */
import { DateTime } from 'luxon';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { scheduleAppointment } from '../src/appointments/appointments.service.js';
import { findStaffById } from '../src/staff/staff.repo.js';
import { ManualClock } from '../src/lib/clock.js';
import { q, envInt, FULL, fmt, repeat, report, rng, r2, scratchDeps, seedPopulation, spread } from './lib.js';

/**
 * Counts every statement sent by node-postgres (pool queries and transaction
 * clients alike, BEGIN/COMMIT included): statements per booking is the figure
 * that does not depend on how busy the machine is.
 */
let statements = 0;
function countStatements(): () => void {
  const proto = pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    statements++;
    return original.apply(this, args);
  };
  return () => {
    proto.query = original;
  };
}

export async function b4(): Promise<void> {
  const n = envInt('B4_N', FULL ? 10_000 : 1_000);
  const concurrency = envInt('B4_CONCURRENCY', 16);
  const runs = envInt('B4_RUNS', 3);
  const warm = Math.min(200, n);
  const clock = new ManualClock('2026-11-23T09:00:00Z');
  const deps = await scratchDeps({}, clock, concurrency + 4);
  try {
    const total = warm + n * runs;
    const pop = await seedPopulation(deps, total);
    const actor = (await findStaffById(deps.db, pop.workerId))!;
    const caseIds = (await q<{ id: string }>(deps.db, sql`select id from cases order by reference`)).map((r) => r.id);
    const rand = rng();
    let next = 0;
    const book = async (count: number) => {
      const ids = caseIds.slice(next, next + count);
      next += count;
      const lat: number[] = [];
      let cursor = 0;
      const s0 = statements;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (cursor < ids.length) {
            const caseId = ids[cursor++]!;
            // Seeded: 1–60 days ahead, on the quarter hour between 09:00 and 17:00 London time.
            const day = DateTime.fromISO('2026-11-24', { zone: 'Europe/London' }).plus({ days: Math.floor(rand() * 60) });
            const time = `${String(9 + Math.floor(rand() * 8)).padStart(2, '0')}:${['00', '15', '30', '45'][Math.floor(rand() * 4)]}`;
            const s = performance.now();
            const res = await scheduleAppointment(deps, actor, {
              caseId,
              date: day.toISODate()!,
              time,
              durationMin: 60,
              mode: 'in_person',
              idempotencyKey: `bench-${caseId}`,
            });
            lat.push(performance.now() - s);
            if (!res.ok || res.duplicate) throw new Error(`booking refused: ${JSON.stringify(res)}`);
          }
        }),
      );
      const secs = (performance.now() - t0) / 1000;
      return { perSec: count / secs, secs, p50: lat.length ? quant(lat, 0.5) : 0, p99: quant(lat, 0.99), statementsPerBooking: (statements - s0) / count };
    };
    const restore = countStatements();
    const results = await repeat(1, runs, (_i, w) => book(w ? warm : n)).finally(restore);
    const rows = await q<{ n: number }>(deps.db, sql`select count(*)::int n from deliveries`);
    const jobs = await deps.queues.queue('delivery').getJobCounts('delayed', 'waiting');
    const rate = spread(results.map((r) => r.perSec));
    report({
      name: 'B4',
      title: 'booking through scheduleAppointment (ledger + reminder plan + queue)',
      params: { n, concurrency, runs, warmup: warm },
      rows: [
        { metric: 'appointments/s (median, min–max)', value: fmt(rate), goal: '≥ 1,000/s', met: rate.median >= 1000 },
        { metric: 'SQL statements per booking (incl. BEGIN/COMMIT)', value: fmt(spread(results.map((r) => r.statementsPerBooking))) },
        { metric: 'booking latency p50 ms', value: fmt(spread(results.map((r) => r.p50))) },
        { metric: 'booking latency p99 ms', value: fmt(spread(results.map((r) => r.p99))) },
        { metric: 'ledger rows written (all runs)', value: String(rows[0]!.n) },
        { metric: 'send jobs queued (all runs)', value: String((jobs.delayed ?? 0) + (jobs.waiting ?? 0)) },
      ],
      data: { runs: results.map((r) => ({ ...r, perSec: r2(r.perSec) })) },
    });
  } finally {
    await deps.destroy();
  }
}

function quant(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return r2(s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!);
}
