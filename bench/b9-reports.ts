/**
 * B9 — supervision reports at scale (issue 17). 100,000 cases (80% open) over
 * 50 teams of 10 workers, 2,000,000 notes, 100,000 goals, 300,000
 * appointments, 30,000 escalations and 20,000 snooze audit entries, all
 * written by INSERT … SELECT generate_series. Then one team's quarter report
 * (the real buildSupervisionReport: 11 people, ~2,000 cases, ~40,000 notes)
 * is timed, each of its queries (reportQueries, the very SQL it runs) is
 * EXPLAINed (ANALYZE, FORMAT JSON) to show which indexes it uses, the admin's
 * everyone-report is timed for scale, and so is rendering the team's charts.
 */
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { ManualClock } from '../src/lib/clock.js';
import { parsePeriod } from '../src/reports/period.js';
import { reportFiles, reportFor } from '../src/reports/report.run.js';
import { reportQueries, type ReportWorker } from '../src/reports/report.service.js';
import { envInt, fmt, q, r2, repeat, report, scans, type PlanNode, scratchDeps, spread, SEED, type Row } from './lib.js';

export async function b9(): Promise<void> {
  const nCases = envInt('B9_CASES', 100_000);
  const nNotes = envInt('B9_NOTES', 2_000_000);
  const teams = envInt('B9_TEAMS', 50);
  const perTeam = envInt('B9_TEAM_SIZE', 10);
  const runs = envInt('B9_RUNS', 5);
  const clock = new ManualClock('2026-10-05T10:00:00Z');
  const deps = await scratchDeps({ CASELOAD_LIMIT: '25' }, clock, 10);
  const pool = new pg.Pool({ connectionString: deps.testDb.url, max: 2 });
  try {
    const at = clock.now().toJSDate();
    const g0 = performance.now();
    const db = deps.db;
    await q(db, sql`select setseed(${(SEED % 1000) / 1000})`);
    await q(
      db,
      sql`insert into staff (slack_user_id, display_name, role, time_zone, created_at, updated_at)
      select 'UB9SUP' || t, 'Supervisor ' || t, 'supervisor', 'Europe/London', ${at}, ${at} from generate_series(1, ${teams}) t`,
    );
    await q(
      db,
      sql`insert into staff (slack_user_id, display_name, role, supervisor_id, time_zone, created_at, updated_at)
      select 'UB9WK' || t || 'X' || k, 'Worker ' || t || '-' || k, 'worker', s.id, 'Europe/London', ${at}, ${at}
      from generate_series(1, ${teams}) t join staff s on s.slack_user_id = 'UB9SUP' || t cross join generate_series(1, ${perTeam}) k`,
    );
    await q(db, sql`insert into clients (language, time_zone, created_at, updated_at) select 'en', 'UTC', ${at}, ${at} from generate_series(1, ${nCases})`);
    // Case i goes to worker i mod (teams × perTeam); 1 in 5 closed within the last 150 days (with its evaluation).
    await q(
      db,
      sql`with w as (select id, row_number() over (order by slack_user_id) - 1 as k from staff where role = 'worker'),
        c as (select id, row_number() over (order by id) as i from clients)
      insert into cases (reference, client_id, category, priority, phase, status, assigned_worker_id, assigned_at, opened_at, closed_at, evaluation_enc, last_note_at, plan_enc, self_help_focus_enc, created_at, updated_at)
      select 'C-2026-' || lpad(c.i::text, 6, '0'), c.id, (array['family','housing','health','elderly','emotions'])[1 + c.i % 5], (array['crisis','high','normal','normal','low'])[1 + (c.i / 7) % 5],
        case when c.i % 5 = 0 then 'closed' else (array['intake','assessment','planning','implementation','evaluation'])[1 + (c.i / 3) % 5] end,
        case when c.i % 5 = 0 then 'closed' else 'open' end, w.id, ${at}::timestamptz - interval '400 days', ${at}::timestamptz - (200 + random() * 200) * interval '1 day',
        case when c.i % 5 = 0 then ${at}::timestamptz - random() * interval '150 days' end, case when c.i % 5 = 0 then 'x' end,
        ${at}::timestamptz - random() * interval '60 days', case when random() < 0.7 then 'x' end, case when random() < 0.6 then 'x' end, ${at}, ${at}
      from c join w on w.k = c.i % (select count(*) from w)`,
    );
    await q(
      db,
      sql`insert into goals (case_id, description_enc, assessment_enc, status)
      select id, 'x', case when random() < 0.7 then 'x' end, case when status = 'closed' then (array['achieved','partly_achieved','not_achieved','dropped'])[1 + floor(random() * 4)::int] else 'active' end from cases`,
    );
    const caseIds = sql`(select array_agg(id order by id) from cases)`;
    // 2 million notes: 20 per case, contacts over the last year, written 0–10 days later.
    await q(
      db,
      sql`with ids as (select ${caseIds} as a)
      insert into notes (case_id, author_staff_id, kind, body_enc, contact_at, created_at)
      select ids.a[1 + (g % ${nCases})], null, (array['interview','phone','home_visit','collateral','supervision','system'])[1 + g % 6], 'x', t.contact, t.contact + random() * interval '10 days'
      from ids, generate_series(0, ${nNotes - 1}) g, lateral (select ${at}::timestamptz - interval '10 days' - random() * interval '355 days' + g * interval '0 microseconds' as contact) t`,
    );
    await q(
      db,
      sql`with ids as (select ${caseIds} as a)
      insert into appointments (case_id, worker_id, starts_at, duration_min, mode, status, client_response)
      select ids.a[1 + (g % ${nCases})], (select assigned_worker_id from cases where id = ids.a[1 + (g % ${nCases})]), ${at}::timestamptz - random() * interval '200 days', 45, 'phone',
        (array['attended','attended','no_show','cancelled'])[1 + g % 4], (array[null,'confirmed','cant_come'])[1 + g % 3]
      from ids, generate_series(0, ${3 * nCases - 1}) g`,
    );
    await q(
      db,
      sql`with ids as (select ${caseIds} as a)
      insert into escalations (case_id, reason, level, opened_at, acknowledged_at, resolved_at)
      select ids.a[1 + g * 3], (array['follow_up_overdue','quiet_case','no_show_repeat'])[1 + g % 3], 1, t.o, case when g % 2 = 0 then t.o + random() * interval '30 hours' end, t.o + interval '3 days'
      from ids, generate_series(0, ${Math.floor(nCases * 0.3) - 1}) g, lateral (select ${at}::timestamptz - interval '5 days' - random() * interval '200 days' + g * interval '0 microseconds' as o) t`,
    );
    await q(
      db,
      sql`insert into audit_log (at, actor_type, actor_id, action, case_id, subject_type, details)
      select ${at}::timestamptz - random() * interval '200 days', 'staff', null, 'escalation.snoozed', e.case_id, 'escalation', jsonb_build_object('reason', e.reason)
      from escalations e where random() < 0.66`,
    );
    await q(db, sql`vacuum analyze`);
    const genSec = r2((performance.now() - g0) / 1000);
    const counts = (
      await q<{ cases: number; notes: number; appts: number; escs: number; audits: number }>(
        db,
        sql`select (select count(*) from cases)::int as cases, (select count(*) from notes)::int as notes,
      (select count(*) from appointments)::int as appts, (select count(*) from escalations)::int as escs, (select count(*) from audit_log)::int as audits`,
      )
    )[0]!;

    // One supervisor's team (themselves and their workers), last quarter in their zone.
    const teamRows = await q<{ id: string; name: string; slack: string }>(
      db,
      sql`select id, display_name as name, slack_user_id as slack from staff
      where slack_user_id = 'UB9SUP1' or supervisor_id = (select id from staff where slack_user_id = 'UB9SUP1') order by display_name`,
    );
    const team: ReportWorker[] = teamRows.map((r) => ({ id: r.id, name: r.name, slackUserId: r.slack }));
    const period = parsePeriod('last-quarter', 'Europe/London', clock.now());
    if (!period.ok) throw new Error(period.error.code);
    let last: Awaited<ReturnType<typeof reportFor>> | undefined;
    const teamMs = spread(
      await repeat(1, runs, async () => {
        const t = performance.now();
        last = await reportFor(deps, 'bench team', team, period.period);
        return r2(performance.now() - t);
      }),
    );
    const teamCases = last!.workers.reduce((s, w) => s + w.caseload.open, 0);
    const teamNotes = last!.workers.reduce((s, w) => s + w.timeliness.notes, 0);

    // Each query's plan, as the report runs it.
    const dialect = new PgDialect();
    const plans: Record<string, { ms: number; scans: string[] }> = {};
    for (const [name, query] of Object.entries(
      reportQueries(
        team.map((w) => w.id),
        period.period,
      ),
    )) {
      const { sql: text, params } = dialect.sqlToQuery(query);
      const res = await pool.query(`explain (analyze, format json) ${text}`, params as unknown[]);
      const plan = (res.rows[0] as Record<string, Array<{ Plan: PlanNode; 'Execution Time': number; 'Planning Time': number }>>)['QUERY PLAN']![0]!;
      plans[name] = { ms: r2(plan['Execution Time'] + plan['Planning Time']), scans: [...new Set(scans(plan.Plan))] };
    }
    const seqScans = Object.entries(plans).flatMap(([name, p]) => p.scans.filter((s) => s.startsWith('Seq Scan')).map((s) => `${name}: ${s}`));

    // The admin's report over everyone (500+ people, 80,000 open cases), and the team's charts.
    const everyone = (await q<{ id: string; name: string; slack: string }>(db, sql`select id, display_name as name, slack_user_id as slack from staff`)).map(
      (r) => ({ id: r.id, name: r.name, slackUserId: r.slack }),
    );
    const allMs = spread(
      await repeat(0, 1, async () => {
        const t = performance.now();
        await reportFor(deps, 'everyone', everyone, period.period);
        return r2(performance.now() - t);
      }),
    );
    const chartsMs = spread(
      await repeat(1, Math.min(runs, 3), async () => {
        const t = performance.now();
        await reportFiles(last!, 'team', { csv: true });
        return r2(performance.now() - t);
      }),
    );

    const rows: Row[] = [
      {
        metric: 'data generated (cases / notes / appointments / escalations / audit rows)',
        value: `${counts.cases} / ${counts.notes} / ${counts.appts} / ${counts.escs} / ${counts.audits} in ${genSec} s`,
      },
      {
        metric: `team report (${team.length} people, ${teamCases} open cases, ${teamNotes} contact notes in ${period.period.label})`,
        value: fmt(teamMs, ' ms'),
        goal: '< 1000 ms',
        met: teamMs.median < 1000,
      },
      ...Object.entries(plans).map(([name, p]) => ({ metric: `  EXPLAIN ${name}`, value: `${p.ms} ms — ${p.scans.join('; ')}` })),
      { metric: 'sequential scans in the team report', value: seqScans.length ? seqScans.join('; ') : 'none', goal: 'none', met: seqScans.length === 0 },
      { metric: `everyone report (${everyone.length} people)`, value: fmt(allMs, ' ms') },
      { metric: 'team CSV + 7 charts rendered (PNG)', value: fmt(chartsMs, ' ms') },
    ];
    report({
      name: 'B9',
      title: 'supervision reports at scale',
      params: { nCases, nNotes, teams, perTeam, runs },
      rows,
      data: { teamMs, allMs, chartsMs, plans, counts, genSec },
    });
  } finally {
    await pool.end();
    await deps.destroy();
  }
}
