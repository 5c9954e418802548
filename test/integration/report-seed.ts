/**
 * A team's quarter, made up deterministically (a seeded generator), written
 * to PostgreSQL, and the report's figures computed from the same plain
 * objects in a few lines of arithmetic written for the test — never with the
 * service's code — so a wrong query or rule shows up as a wrong figure.
 */
import { DateTime } from 'luxon';
import { appointments, cases, escalations, goals, notes } from '../../src/db/schema.js';
import type { TestDeps } from '../helpers/deps.js';
import { makeClient } from '../helpers/factories.js';

function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! };
}

const H = 3_600_000;
const PRIORITIES = ['crisis', 'high', 'normal', 'low'] as const;
const PHASES = ['intake', 'assessment', 'planning', 'implementation', 'evaluation'] as const;
const CATS = ['family', 'housing', 'health', 'elderly'] as const;
const CONTACT = ['interview', 'phone', 'home_visit', 'collateral'] as const;

interface SeedNote {
  kind: string;
  contactAt: number;
  createdAt: number;
}
interface SeedEsc {
  reason: 'follow_up_overdue' | 'quiet_case' | 'no_show_repeat';
  openedAt: number;
  ackAfterH: number | null;
  snoozes: number[];
  id?: string;
}
export interface SeedCase {
  ref: string;
  worker: string;
  priority: string;
  phase: string;
  category: string;
  openedAt: number;
  closedAt: number | null;
  plan: boolean;
  selfHelp: boolean;
  goals: Array<{ status: string; assessed: boolean }>;
  notes: SeedNote[];
  escs: SeedEsc[];
  appts: Array<{ startsAt: number; status: string; response: string | null }>;
  id?: string;
}

/** `workers`: staff id → number of cases. Times are epoch ms. */
export function makeQuarter(seed: number, workers: Array<[string, number]>, o: { from: number; to: number; now: number }): SeedCase[] {
  const r = rng(seed);
  const between = (a: number, b: number) => a + Math.floor(r.next() * ((b - a) / H)) * H;
  const out: SeedCase[] = [];
  let n = 9000;
  for (const [worker, count] of workers) {
    for (let i = 0; i < count; i++) {
      const openedAt = between(o.from, o.to - 10 * 24 * H);
      const closed = r.next() < 0.3;
      const closedAt = closed ? between(openedAt + 5 * 24 * H, o.now - H) : null;
      const notesN = r.int(0, 5);
      const ns: SeedNote[] = [];
      for (let k = 0; k < notesN; k++) {
        const contactAt = between(openedAt, (closedAt ?? o.now) - 12 * H);
        const kind = r.next() < 0.8 ? r.pick(CONTACT) : r.pick(['message', 'supervision', 'system'] as const);
        ns.push({ kind, contactAt, createdAt: Math.min(o.now - H, contactAt + r.int(0, 240) * H) });
      }
      const reasons = (['follow_up_overdue', 'quiet_case', 'no_show_repeat'] as const).filter(() => r.next() < 0.35);
      const escs: SeedEsc[] = reasons.map((reason) => ({
        reason,
        openedAt: between(openedAt, o.now - 72 * H),
        ackAfterH: r.next() < 0.6 ? r.int(3, 60) : null,
        snoozes: Array.from({ length: r.int(0, 2) }, (_, s) => s + 1),
      }));
      const goalsN = r.int(0, 2);
      const gs = Array.from({ length: goalsN }, () => ({
        status: closed ? r.pick(['achieved', 'partly_achieved', 'not_achieved', 'dropped'] as const) : r.pick(['active', 'active', 'dropped'] as const),
        assessed: r.next() < 0.7,
      }));
      const appts = Array.from({ length: r.int(0, 3) }, () => ({
        startsAt: between(o.from + 20 * 24 * H, o.now + 3 * 24 * H),
        status: r.pick(['attended', 'attended', 'no_show', 'cancelled', 'scheduled'] as const),
        response: r.pick([null, null, 'confirmed', 'cant_come', 'needs_other_time'] as const),
      }));
      out.push({
        ref: `C-2026-${++n}`,
        worker,
        priority: r.pick(PRIORITIES),
        phase: closed ? 'closed' : r.pick(PHASES),
        category: r.pick(CATS),
        openedAt,
        closedAt,
        plan: r.next() < 0.6,
        selfHelp: r.next() < 0.6,
        goals: gs,
        notes: ns,
        escs,
        appts,
      });
    }
  }
  return out;
}

const d = (ms: number) => new Date(ms);
const lastNoteAt = (c: SeedCase) => (c.notes.length ? Math.max(...c.notes.map((x) => x.createdAt)) : null);

/** Cases, clients, goals, notes and appointments straight into the tables; escalations too (acknowledgements and snoozes go through the services, see the test). */
export async function writeQuarter(deps: TestDeps, seed: SeedCase[]): Promise<void> {
  const enc = (s: string, aad: string) => deps.cipher.encrypt(s, aad);
  for (const c of seed) {
    const cl = await makeClient(deps.db, { language: 'en', timeZone: 'Europe/London', createdAt: d(c.openedAt), updatedAt: d(c.openedAt) });
    const [row] = await deps.db
      .insert(cases)
      .values({
        reference: c.ref,
        clientId: cl.id,
        priority: c.priority as 'normal',
        phase: c.phase as 'intake',
        category: c.category as 'family',
        status: c.closedAt ? 'closed' : 'open',
        closedAt: c.closedAt ? d(c.closedAt) : null,
        evaluationEnc: c.closedAt ? enc('evaluation', 'cases.evaluation') : null,
        assignedWorkerId: c.worker,
        assignedAt: d(c.openedAt),
        openedAt: d(c.openedAt),
        createdAt: d(c.openedAt),
        updatedAt: d(c.openedAt),
        planEnc: c.plan ? enc('plan', 'cases.plan') : null,
        selfHelpFocusEnc: c.selfHelp ? enc('self help', 'cases.self_help_focus') : null,
        lastNoteAt: lastNoteAt(c) ? d(lastNoteAt(c)!) : null,
      })
      .returning();
    c.id = row!.id;
    if (c.goals.length) {
      await deps.db.insert(goals).values(
        c.goals.map((g) => ({
          caseId: c.id!,
          descriptionEnc: enc('goal', 'goals.description'),
          assessmentEnc: g.assessed ? enc('how', 'goals.assessment') : null,
          status: g.status as 'active',
        })),
      );
    }
    if (c.notes.length) {
      await deps.db.insert(notes).values(
        c.notes.map((x) => ({
          caseId: c.id!,
          authorStaffId: c.worker,
          kind: x.kind as 'phone',
          direction: x.kind === 'message' ? ('to_client' as const) : null,
          bodyEnc: enc('note', 'notes.body'),
          contactAt: d(x.contactAt),
          createdAt: d(x.createdAt),
        })),
      );
    }
    if (c.appts.length) {
      await deps.db.insert(appointments).values(
        c.appts.map((a) => ({
          caseId: c.id!,
          workerId: c.worker,
          startsAt: d(a.startsAt),
          durationMin: 45,
          mode: 'phone' as const,
          status: a.status as 'attended',
          clientResponse: a.response as 'confirmed' | null,
        })),
      );
    }
    for (const e of c.escs) {
      const [er] = await deps.db
        .insert(escalations)
        .values({ caseId: c.id!, reason: e.reason, level: 0, openedAt: d(e.openedAt), nextAt: d(e.openedAt) })
        .returning();
      e.id = er!.id;
    }
  }
}

// ---- the expected figures, computed from the seed ---------------------------------------------

const THRESHOLD_DAYS: Record<string, number> = { crisis: 2, high: 7, normal: 14, low: 30 };
const r1 = (x: number) => Math.round(x * 10) / 10;
const inP = (t: number, p: { start: number; end: number }) => t >= p.start && t < p.end;

/** The CSV's figure rows (section, worker, item → value) a correct report must contain, for these workers. */
export function expectedCsv(
  seed: SeedCase[],
  workers: Array<{ id: string; name: string }>,
  p: { start: number; end: number },
  now: number,
  limit: number,
): Map<string, string> {
  const m = new Map<string, string>();
  const put = (section: string, worker: string, item: string, v: string | number | null) => m.set(`${section}|${worker}|${item}`, v === null ? '' : String(v));
  const ids = new Set(workers.map((w) => w.id));
  for (const w of workers) {
    const n = w.name;
    const mine = seed.filter((c) => c.worker === w.id);
    const open = mine.filter((c) => !c.closedAt);
    put('caseload', n, 'open', open.length);
    put('caseload', n, 'at_or_over_limit', open.length >= limit ? 'yes' : 'no');
    for (const ph of PHASES) put('caseload', n, `phase:${ph}`, open.filter((c) => c.phase === ph).length);
    for (const pr of PRIORITIES) put('caseload', n, `priority:${pr}`, open.filter((c) => c.priority === pr).length);
    const lags = mine
      .flatMap((c) => c.notes)
      .filter((x) => ['interview', 'phone', 'home_visit', 'collateral'].includes(x.kind) && inP(x.contactAt, p))
      .map((x) => (x.createdAt - x.contactAt) / (24 * H));
    put('timeliness', n, 'contact_notes', lags.length);
    put('timeliness', n, 'mean_days_contact_to_note', lags.length ? r1(lags.reduce((s, x) => s + x, 0) / lags.length) : null);
    put('timeliness', n, 'max_days_contact_to_note', lags.length ? r1(Math.max(...lags)) : null);
    put('timeliness', n, 'notes_written:within_1_day', lags.filter((x) => x <= 1).length);
    put('timeliness', n, 'notes_written:1_to_2_days', lags.filter((x) => x > 1 && x <= 2).length);
    put('timeliness', n, 'notes_written:2_to_7_days', lags.filter((x) => x > 2 && x <= 7).length);
    put('timeliness', n, 'notes_written:over_7_days', lags.filter((x) => x > 7).length);
    const since = (c: SeedCase) => lastNoteAt(c) ?? c.openedAt;
    const bySince = [...open].sort((a, b) => since(a) - since(b) || a.ref.localeCompare(b.ref));
    const quiet = bySince.filter((c) => now >= since(c) + THRESHOLD_DAYS[c.priority]! * 24 * H);
    put('timeliness', n, 'quiet_cases', quiet.length);
    for (const c of quiet) put('quiet_case', n, c.ref, 'quiet');
    for (const c of bySince.slice(0, 3)) put('oldest_silent', n, c.ref, Math.floor((now - since(c)) / (24 * H)));
    const el = open.map((c) => {
      const live = c.goals.filter((g) => g.status !== 'dropped');
      return { goal: live.length > 0, plan: c.plan, assessment: live.length > 0 && live.every((g) => g.assessed), selfHelp: c.selfHelp };
    });
    put('completeness', n, 'open', open.length);
    put('completeness', n, 'complete', el.filter((e) => e.goal && e.plan && e.assessment && e.selfHelp).length);
    for (const k of ['goal', 'plan', 'assessment', 'selfHelp'] as const) put('completeness', n, `missing:${k}`, el.filter((e) => !e[k]).length);
    const escs = mine.flatMap((c) => c.escs).filter((e) => inP(e.openedAt, p));
    const acked = escs.filter((e) => e.ackAfterH !== null);
    put('escalations', n, 'opened', escs.length);
    put('escalations', n, 'acknowledged', acked.length);
    put('escalations', n, 'mean_hours_to_acknowledge', acked.length ? r1(acked.reduce((s, e) => s + e.ackAfterH!, 0) / acked.length) : null);
    put(
      'escalations',
      n,
      'snoozes',
      mine
        .flatMap((c) => c.escs)
        .flatMap((e) => e.snoozes.map((h) => e.openedAt + h * H))
        .filter((t) => inP(t, p)).length,
    );
    const appts = mine.flatMap((c) => c.appts).filter((a) => inP(a.startsAt, p));
    put('appointments', n, 'kept', appts.filter((a) => a.status === 'attended').length);
    put('appointments', n, 'no_show', appts.filter((a) => a.status === 'no_show').length);
    put('appointments', n, 'cancelled', appts.filter((a) => a.status === 'cancelled').length);
    put('appointments', n, 'client_cant_come', appts.filter((a) => a.response === 'cant_come').length);
  }
  const team = seed.filter((c) => ids.has(c.worker));
  for (const reason of ['follow_up_overdue', 'quiet_case', 'unassigned_intake', 'crisis', 'no_show_repeat']) {
    const es = team.flatMap((c) => c.escs).filter((e) => e.reason === reason);
    const opened = es.filter((e) => inP(e.openedAt, p));
    const snoozes = es.flatMap((e) => e.snoozes.map((h) => e.openedAt + h * H)).filter((t) => inP(t, p)).length;
    if (!opened.length && !snoozes) continue;
    put('escalations_by_reason', '', `${reason}:opened`, opened.length);
    put('escalations_by_reason', '', `${reason}:acknowledged`, opened.filter((e) => e.ackAfterH !== null).length);
    put('escalations_by_reason', '', `${reason}:snoozes`, snoozes);
  }
  for (const cat of ['family', 'emotions', 'elderly', 'disability', 'children', 'housing', 'work_money', 'health', 'legal', 'other']) {
    const closed = team.filter((c) => c.category === cat && c.closedAt !== null && inP(c.closedAt, p));
    if (!closed.length) continue;
    const gs = closed.flatMap((c) => c.goals);
    put('outcomes', '', `${cat}:cases_closed`, closed.length);
    put('outcomes', '', `${cat}:goal_achieved`, gs.filter((g) => g.status === 'achieved').length);
    put('outcomes', '', `${cat}:goal_partly_achieved`, gs.filter((g) => g.status === 'partly_achieved').length);
    put('outcomes', '', `${cat}:goal_not_achieved`, gs.filter((g) => g.status === 'not_achieved').length);
  }
  return m;
}

/** Parse the uploaded CSV (RFC 4180, as written) into the same shape, leaving out the report's own header rows. */
export function parseCsv(text: string): Map<string, string> {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (q) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') q = false;
      else cell += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r') continue;
    else if (ch === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  const m = new Map<string, string>();
  for (const [section, worker, item, value] of rows.slice(1)) if (section !== 'report') m.set(`${section}|${worker}|${item}`, value!);
  return m;
}

export const utc = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' });
