/**
 * B3 — escalation sweeps over many cases. N open cases (1 in 200 with an
 * overdue follow-up, 1 in 200 quiet: 1% in all) written by one
 * INSERT … SELECT generate_series each for clients and cases. The sweep's
 * four finder queries (the very query builders the sweep runs, exported by
 * src/escalations/escalation-open.ts as escalationFinders, so the SQL cannot
 * drift) are timed with EXPLAIN (ANALYZE, FORMAT JSON); then the real
 * runEscalationSweep opens the escalations and enqueues their notifications
 * end to end (timed per phase: open, ladder load/decide/notify, digests); then
 * the supporting partial indexes are dropped (in the scratch database) and the
 * same queries are timed again — the naive version.
 */
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { ManualClock } from '../src/lib/clock.js';
import { policyFromConfig } from '../src/escalations/escalation-config.js';
import { escalationFinders } from '../src/escalations/escalation-open.js';
import { runEscalationSweep } from '../src/escalations/escalation-sweep.service.js';
import { envInt, FULL, fmt, q, r2, repeat, report, scans, type PlanNode, scratchDeps, seedPopulation, spread, SEED, type Row } from './lib.js';

const SUPPORTING = ['cases_follow_up_due_idx', 'cases_quiet_idx', 'cases_unassigned_idx', 'cases_crisis_idx'];

export async function b3(): Promise<void> {
  const n = envInt('B3_CASES', FULL ? 1_000_000 : 100_000);
  const runs = envInt('B3_RUNS', 5);
  const clock = new ManualClock('2026-11-23T10:00:00Z');
  const deps = await scratchDeps({}, clock, 10);
  const pool = new pg.Pool({ connectionString: deps.testDb.url, max: 2 });
  try {
    const now = clock.now();
    const at = now.toJSDate();
    const g0 = performance.now();
    const pop = await seedPopulation(deps, 1); // staff only (and one client/case)
    await q(deps.db, sql`select setseed(${(SEED % 1000) / 1000})`);
    await q(
      deps.db,
      sql`insert into clients (telegram_user_id, telegram_chat_id, language, time_zone, created_at, updated_at)
      select 20000000 + g, 20000000 + g, 'en', 'UTC', ${at}, ${at} from generate_series(1, ${n}) g`,
    );
    // i % 200 = 0: follow-up overdue (set 20 h ago, due 2 h ago, last note 30 h ago); = 1: quiet (60 days); else healthy.
    await q(
      deps.db,
      sql`insert into cases (reference, client_id, category, priority, phase, assigned_worker_id, assigned_at, opened_at,
        last_note_at, next_follow_up_at, follow_up_set_at, created_at, updated_at)
      select 'C-2025-' || lpad(i::text, 7, '0'), cl.id, 'family', (array['low','normal','high'])[1 + (i % 3)], 'implementation', ${pop.workerId}, ${at}::timestamptz - interval '100 days', ${at}::timestamptz - interval '100 days',
        case when i % 200 = 0 then ${at}::timestamptz - interval '30 hours' when i % 200 = 1 then ${at}::timestamptz - interval '60 days' else ${at}::timestamptz - random() * interval '40 hours' end,
        case when i % 200 = 0 then ${at}::timestamptz - interval '2 hours' else ${at}::timestamptz + (1 + random() * 29) * interval '1 day' end,
        case when i % 200 = 0 then ${at}::timestamptz - interval '20 hours' else ${at}::timestamptz - interval '5 days' end,
        ${at}::timestamptz - interval '100 days', ${at}
      from (select row_number() over (order by id) i, id from clients where telegram_chat_id > 20000000) cl(i, id)`,
    );
    await q(deps.db, sql`vacuum analyze cases`);
    const genSec = r2((performance.now() - g0) / 1000);

    // The sweep's own finder queries (same builders, same clock, same policy).
    const built = escalationFinders(deps.db, now, policyFromConfig(deps.config));
    const finders = {
      overdue: built.overdue.toSQL(),
      quiet: built.quiet.toSQL(),
      unassigned: built.unassigned.toSQL(),
      crisis: built.crisis.toSQL(),
    };
    const explainAll = async () => {
      const out: Record<string, { ms: number; rows: number; scans: string[] }> = {};
      for (const [name, f] of Object.entries(finders)) {
        const res = await pool.query(`explain (analyze, format json) ${f.sql}`, f.params as unknown[]);
        const plan = (res.rows[0] as Record<string, Array<{ Plan: PlanNode & { 'Actual Rows': number }; 'Execution Time': number; 'Planning Time': number }>>)[
          'QUERY PLAN'
        ]![0]!;
        out[name] = { ms: r2(plan['Execution Time'] + plan['Planning Time']), rows: plan.Plan['Actual Rows'], scans: scans(plan.Plan) };
      }
      return out;
    };
    const indexed = await repeat(1, runs, () => explainAll());
    const total = (xs: typeof indexed) => spread(xs.map((x) => r2(Object.values(x).reduce((a, b) => a + b.ms, 0))));
    const indexedTotal = total(indexed);

    // End to end: open the escalations and plan + enqueue their notifications (real sweep, real queue).
    const phases: Record<string, number> = {};
    const e0 = performance.now();
    const sweep = await runEscalationSweep(deps, {
      onPhase: (p, ms) => {
        phases[p] = r2((phases[p] ?? 0) + ms);
      },
    });
    const e2eSec = r2((performance.now() - e0) / 1000);
    const notifyMs = r2((phases['ladder.load'] ?? 0) + (phases['ladder.decide'] ?? 0) + (phases['ladder.notify'] ?? 0));
    const [esc] = await q<{ n: number }>(deps.db, sql`select count(*)::int n from escalations`);
    const [dl] = await q<{ n: number }>(deps.db, sql`select count(*)::int n from deliveries`);
    const jobs = await deps.queues.queue('delivery').getJobCounts('delayed', 'waiting');

    for (const ix of SUPPORTING) await q(deps.db, sql.raw(`drop index if exists ${ix}`));
    await q(deps.db, sql`analyze cases`);
    const naive = await repeat(1, runs, () => explainAll());
    const naiveTotal = total(naive);

    const last = indexed[indexed.length - 1]!;
    const lastNaive = naive[naive.length - 1]!;
    const per = (name: keyof typeof finders): Row[] => {
      const a = spread(indexed.map((x) => x[name]!.ms));
      const b = spread(naive.map((x) => x[name]!.ms));
      return [
        { metric: `${name}: query ms (indexed) → rows`, value: `${fmt(a)} → ${last[name]!.rows}`, goal: last[name]!.scans.join(', ') },
        {
          metric: `${name}: query ms (naive, no index)`,
          value: fmt(b),
          goal: `${lastNaive[name]!.scans.join(', ')}; ratio ×${r2(b.median / Math.max(0.001, a.median))}`,
        },
      ];
    };
    const found = last.overdue!.rows + Math.round(n / 200);
    report({
      name: 'B3',
      title: 'escalation sweep finders and end-to-end sweep over many open cases',
      params: { cases: n, overdueShare: '0.5%', quietShare: '0.5%', runs, generateSec: genSec },
      rows: [
        { metric: 'all four finder queries ms (indexed)', value: fmt(indexedTotal), goal: '≤ 1,000 ms', met: indexedTotal.median <= 1000 },
        {
          metric: 'all four finder queries ms (naive)',
          value: fmt(naiveTotal),
          goal: `ratio naive/indexed ×${r2(naiveTotal.median / Math.max(0.001, indexedTotal.median))}`,
        },
        ...per('overdue'),
        ...per('quiet'),
        ...per('unassigned'),
        ...per('crisis'),
        {
          metric: 'end-to-end sweep s (open + notify + enqueue)',
          value: String(e2eSec),
          goal: `≤ 5 s for 10,000 (scaled: ${r2((5 * found) / 10_000)} s for ${found})`,
          met: e2eSec <= (5 * found) / 10_000,
        },
        {
          metric: 'end-to-end split ms: open / notify (load + decide + take, audit, plan, enqueue) / digests',
          value: `${phases.open} / ${notifyMs} (${phases['ladder.load']} + ${phases['ladder.decide']} + ${phases['ladder.notify']}) / ${phases.digests}`,
        },
        {
          metric: 'escalations opened / ledger rows / jobs',
          value: `${esc!.n} / ${dl!.n} / ${(jobs.delayed ?? 0) + (jobs.waiting ?? 0)}`,
          goal: JSON.stringify(sweep),
        },
        { metric: 'data generation s (INSERT … SELECT generate_series)', value: String(genSec) },
      ],
      data: { indexed, naive, sweep, e2eSec, phases },
    });
  } finally {
    await pool.end();
    await deps.destroy();
  }
}
