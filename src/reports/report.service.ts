import { sql, type SQL } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Db } from '../db/client.js';
import { rowsOf } from '../db/prepared.js';
import { CASE_PHASES, ESCALATION_REASONS, PRIORITIES } from '../db/schema.js';
import { CATEGORIES } from '../lib/categories.js';
import { missingElements, type FourElements } from '../cases/case.domain.js';
import { elementsOfCase, goalFlagsByCase } from '../cases/four-elements.js';
import { isQuiet, type Priority, type QuietThresholds } from '../escalations/policy.domain.js';
import type { ReportPeriod } from './period.js';

/**
 * The supervision report over a set of workers and a period, as data (the
 * Slack screen, the CSV and the charts render it). Every figure is grouped by
 * the case's current worker. Case references and worker names only: no
 * client data. `now` is a parameter (caseload, quiet and silent cases are "as
 * of now"; everything else counts what happened in the period).
 *
 * Definitions:
 * - note timeliness: contact notes (interview, phone, home visit, collateral)
 *   whose contact time falls in the period; lag = written − contact, in days;
 * - quiet: an open case past the quiet threshold for its priority (the same
 *   rule as the escalation sweep, `isQuiet`);
 * - completeness: the four elements by `elementsOfCase` (the case card's rule);
 * - escalations opened in the period, of them acknowledged (and how fast);
 *   snoozes pressed in the period (audit log);
 * - appointments starting in the period: kept (attended), no-shows, cancelled,
 *   and the client's "I can't come" answers;
 * - outcomes: goals of cases closed in the period, by the case's category.
 */
const LAG_BUCKETS = ['within_1_day', '1_to_2_days', '2_to_7_days', 'over_7_days'] as const;
type LagBucket = (typeof LAG_BUCKETS)[number];

export interface ReportWorker {
  id: string;
  name: string;
  slackUserId: string;
}

export interface WorkerFigures {
  worker: ReportWorker;
  caseload: { open: number; byPhase: Record<string, number>; byPriority: Record<string, number>; limit: number; atOrOverLimit: boolean };
  timeliness: { notes: number; meanDays: number | null; maxDays: number | null; buckets: Record<LagBucket, number> };
  quiet: { count: number; references: string[] };
  silent: Array<{ reference: string; priority: string; days: number; quiet: boolean }>;
  completeness: { open: number; complete: number; missing: Record<keyof FourElements, number> };
  escalations: { opened: number; acknowledged: number; meanHoursToAck: number | null; snoozes: number };
  appointments: { kept: number; noShow: number; cancelled: number; cantCome: number };
}

export interface SupervisionReport {
  scopeLabel: string;
  period: ReportPeriod;
  generatedAt: DateTime;
  caseloadLimit: number;
  workers: WorkerFigures[];
  escalationsByReason: Array<{ reason: string; opened: number; acknowledged: number; snoozes: number }>;
  outcomes: Array<{ category: string; casesClosed: number; achieved: number; partlyAchieved: number; notAchieved: number }>;
}

export interface ReportInput {
  scopeLabel: string;
  workers: ReportWorker[];
  period: ReportPeriod;
  now: DateTime;
  caseloadLimit: number;
  thresholds: QuietThresholds;
  /** Oldest silent cases listed per worker. */
  silentPerWorker?: number;
  /** Only what App Home shows (caseload, quiet, completeness, note timeliness): it is redrawn after every change to a case. */
  light?: boolean;
}

const round1 = (x: number) => Math.round(x * 10) / 10;
type Row = Record<string, unknown>;
function byWorker(rows: Row[]): Map<string, Row[]> {
  const m = new Map<string, Row[]>();
  for (const r of rows) {
    const k = String(r.worker);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}
const num = (v: unknown) => Number(v ?? 0);
const dt = (v: unknown) => DateTime.fromJSDate(v instanceof Date ? v : new Date(String(v)), { zone: 'utc' });
const zeros = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

/**
 * The report's SQL, by name (the benchmark EXPLAINs exactly these). Each one
 * starts from the scope's cases by worker (cases_worker_open_idx for the open
 * caseload, cases_worker_status_idx otherwise) and reaches notes, escalations,
 * appointments and the audit log through their case indexes.
 */
export function reportQueries(
  workerIds: string[],
  period: { start: DateTime; end: DateTime },
): Record<'open' | 'notes' | 'escalations' | 'snoozes' | 'appointments' | 'outcomes', SQL> {
  const ids = sql`${sql.param(workerIds)}::uuid[]`;
  const start = sql`${period.start.toUTC().toISO()}::timestamptz`;
  const end = sql`${period.end.toUTC().toISO()}::timestamptz`;
  const lag = sql`greatest(0, extract(epoch from n.created_at - n.contact_at)) / 86400.0`;
  // A team's cases as an array the planner probes each table's (case_id, time) index with; for a
  // scope of many people (an admin's everyone-report) probing costs more than reading the table once.
  const scoped = (col: SQL) =>
    workerIds.length <= 50 ? sql`${col} = any(array(select id from cases where assigned_worker_id = any(${ids})))` : sql`c.assigned_worker_id = any(${ids})`;
  return {
    // As of now: the open caseload (one row per case).
    open: sql`select id, reference, assigned_worker_id as worker, phase, priority, status, opened_at, last_note_at, plan_enc is not null as has_plan, self_help_focus_enc is not null as has_self_help
      from cases where status = 'open' and assigned_worker_id = any(${ids})`,
    notes: sql`select c.assigned_worker_id as worker, count(*)::int as n, avg(${lag}) as mean, max(${lag}) as max,
        count(*) filter (where ${lag} <= 1)::int as b1, count(*) filter (where ${lag} > 1 and ${lag} <= 2)::int as b2,
        count(*) filter (where ${lag} > 2 and ${lag} <= 7)::int as b7, count(*) filter (where ${lag} > 7)::int as b8
      from notes n join cases c on c.id = n.case_id
      where ${scoped(sql`n.case_id`)} and n.kind in ('interview', 'phone', 'home_visit', 'collateral') and n.contact_at >= ${start} and n.contact_at < ${end}
      group by 1`,
    escalations: sql`select c.assigned_worker_id as worker, e.reason, count(*)::int as opened, count(e.acknowledged_at)::int as acked,
        sum(extract(epoch from e.acknowledged_at - e.opened_at)) filter (where e.acknowledged_at is not null) / 3600.0 as ack_hours
      from escalations e join cases c on c.id = e.case_id
      where ${scoped(sql`e.case_id`)} and e.opened_at >= ${start} and e.opened_at < ${end}
      group by 1, 2`,
    snoozes: sql`select c.assigned_worker_id as worker, a.details->>'reason' as reason, count(*)::int as n
      from audit_log a join cases c on c.id = a.case_id
      where ${scoped(sql`a.case_id`)} and a.action = 'escalation.snoozed' and a.at >= ${start} and a.at < ${end}
      group by 1, 2`,
    appointments: sql`select c.assigned_worker_id as worker, count(*) filter (where a.status = 'attended')::int as kept, count(*) filter (where a.status = 'no_show')::int as no_show,
        count(*) filter (where a.status = 'cancelled')::int as cancelled, count(*) filter (where a.client_response = 'cant_come')::int as cant_come
      from appointments a join cases c on c.id = a.case_id
      where ${scoped(sql`a.case_id`)} and a.starts_at >= ${start} and a.starts_at < ${end}
      group by 1`,
    outcomes: sql`select c.category, count(distinct c.id)::int as cases, count(g.id) filter (where g.status = 'achieved')::int as achieved,
        count(g.id) filter (where g.status = 'partly_achieved')::int as partly, count(g.id) filter (where g.status = 'not_achieved')::int as not_achieved
      from cases c left join goals g on g.case_id = c.id
      where c.assigned_worker_id = any(${ids}) and c.status = 'closed' and c.closed_at >= ${start} and c.closed_at < ${end}
      group by 1`,
  };
}

export async function buildSupervisionReport(db: Db, input: ReportInput): Promise<SupervisionReport> {
  const now = input.now;

  const q = reportQueries(
    input.workers.map((w) => w.id),
    input.period,
  );
  // One after another: a report must not take a whole pool's connections at once.
  const run = async (x: SQL) => rowsOf(await db.execute(x));
  const openRows = await run(q.open);
  const notes = await run(q.notes);
  const esc = input.light ? [] : await run(q.escalations);
  const snoozes = input.light ? [] : await run(q.snoozes);
  const appts = input.light ? [] : await run(q.appointments);
  const outcomes = input.light ? [] : await run(q.outcomes);
  const flags = await goalFlagsByCase(
    db,
    openRows.map((r) => String(r.id)),
  );
  const silentN = input.silentPerWorker ?? 3;
  const [openBy, notesBy, escBy, snoozesBy, apptsBy] = [openRows, notes, esc, snoozes, appts].map(byWorker);
  const workers: WorkerFigures[] = input.workers.map((worker) => {
    const of = (m: Map<string, Row[]>) => m.get(worker.id) ?? [];
    const mine = of(openBy!).map((r) => {
      const lastNoteAt = r.last_note_at ? dt(r.last_note_at) : null;
      const openedAt = dt(r.opened_at);
      const since = lastNoteAt ?? openedAt;
      return {
        reference: String(r.reference),
        phase: String(r.phase),
        priority: String(r.priority),
        days: Math.floor(now.diff(since, 'days').days),
        since,
        quiet: isQuiet({ priority: r.priority as Priority, lastNoteAt, openedAt, status: String(r.status) }, now, input.thresholds),
        elements: elementsOfCase({ planEnc: r.has_plan ? 'x' : null, selfHelpFocusEnc: r.has_self_help ? 'x' : null }, flags.get(String(r.id)) ?? []),
      };
    });
    const byPhase = zeros(CASE_PHASES.filter((p) => p !== 'closed'));
    const byPriority = zeros(PRIORITIES);
    const missing = zeros(['goal', 'plan', 'assessment', 'selfHelp'] as const);
    let complete = 0;
    for (const c of mine) {
      byPhase[c.phase as keyof typeof byPhase]++;
      byPriority[c.priority as keyof typeof byPriority]++;
      const gaps = missingElements(c.elements);
      if (gaps.length === 0) complete++;
      for (const g of gaps) missing[g]++;
    }
    const quiet = mine.filter((c) => c.quiet).sort((a, b) => a.since.toMillis() - b.since.toMillis() || a.reference.localeCompare(b.reference));
    const silent = [...mine].sort((a, b) => a.since.toMillis() - b.since.toMillis() || a.reference.localeCompare(b.reference)).slice(0, silentN);
    const n = of(notesBy!)[0];
    const e = of(escBy!);
    const acked = e.reduce((s, r) => s + num(r.acked), 0);
    const ackHours = e.reduce((s, r) => s + num(r.ack_hours), 0);
    const a = of(apptsBy!)[0];
    return {
      worker,
      caseload: { open: mine.length, byPhase, byPriority, limit: input.caseloadLimit, atOrOverLimit: mine.length >= input.caseloadLimit },
      timeliness: {
        notes: num(n?.n),
        meanDays: n ? round1(num(n.mean)) : null,
        maxDays: n ? round1(num(n.max)) : null,
        buckets: { within_1_day: num(n?.b1), '1_to_2_days': num(n?.b2), '2_to_7_days': num(n?.b7), over_7_days: num(n?.b8) },
      },
      quiet: { count: quiet.length, references: quiet.map((c) => c.reference) },
      silent: silent.map((c) => ({ reference: c.reference, priority: c.priority, days: c.days, quiet: c.quiet })),
      completeness: { open: mine.length, complete, missing },
      escalations: {
        opened: e.reduce((s, r) => s + num(r.opened), 0),
        acknowledged: acked,
        meanHoursToAck: acked ? round1(ackHours / acked) : null,
        snoozes: of(snoozesBy!).reduce((s, r) => s + num(r.n), 0),
      },
      appointments: { kept: num(a?.kept), noShow: num(a?.no_show), cancelled: num(a?.cancelled), cantCome: num(a?.cant_come) },
    };
  });

  const escalationsByReason = ESCALATION_REASONS.map((reason) => ({
    reason,
    opened: esc.filter((r) => r.reason === reason).reduce((s, r) => s + num(r.opened), 0),
    acknowledged: esc.filter((r) => r.reason === reason).reduce((s, r) => s + num(r.acked), 0),
    snoozes: snoozes.filter((r) => r.reason === reason).reduce((s, r) => s + num(r.n), 0),
  })).filter((r) => r.opened || r.snoozes);

  const outcomeRows = CATEGORIES.flatMap((category) => {
    const r = outcomes.find((o) => o.category === category);
    return r ? [{ category, casesClosed: num(r.cases), achieved: num(r.achieved), partlyAchieved: num(r.partly), notAchieved: num(r.not_achieved) }] : [];
  });

  return {
    scopeLabel: input.scopeLabel,
    period: input.period,
    generatedAt: now,
    caseloadLimit: input.caseloadLimit,
    workers,
    escalationsByReason,
    outcomes: outcomeRows,
  };
}
