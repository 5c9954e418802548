import { DateTime } from 'luxon';

/**
 * The period of a supervision report, parsed forgivingly from what a person
 * types (pure: `now` and the asker's zone are parameters). Days and months
 * start at midnight in the asker's zone; `end` is exclusive.
 *
 *   (nothing)              the last 30 days
 *   30d, 12w, 6m           the last 30 days / 12 weeks / 6 months, up to now
 *   week, month, quarter, year            this one so far
 *   last-week, last-month, last-quarter, last-year   the previous whole one
 *   2026-Q3, 2026q3, Q3 2026              that quarter
 *   2026-09                               that month
 *   2026                                  that year
 *   2026-09-01..2026-09-30 (or "to", "–") those days, both included
 */
export interface ReportPeriod {
  start: DateTime;
  end: DateTime;
  label: string;
}

/** Why a period could not be read (the platform words it, with the forms it knows: src/slack/outcome-words.ts). */
export type PeriodError =
  | { code: 'no_such_date' | 'ends_before_start' | 'too_long' | 'empty' | 'unreadable' }
  | { code: 'in_future'; start: DateTime }
  | { code: 'unreadable_text' | 'no_such_month' | 'not_a_date'; text: string };

export type PeriodResult = { ok: true; period: ReportPeriod } | { ok: false; error: PeriodError };

const MAX_DAYS = 3 * 366;

const fail = (error: PeriodError): PeriodResult => ({ ok: false, error });
/** A day as periods name it (`1 Sep 2026`). */
export const periodDay = (d: DateTime) => d.toFormat('d LLL yyyy');
const day = periodDay;

function made(start: DateTime, end: DateTime, label: string, now: DateTime): PeriodResult {
  if (!start.isValid || !end.isValid) return fail({ code: 'no_such_date' });
  if (end <= start) return fail({ code: 'ends_before_start' });
  if (start > now) return fail({ code: 'in_future', start });
  if (end.diff(start, 'days').days > MAX_DAYS) return fail({ code: 'too_long' });
  return { ok: true, period: { start, end, label } };
}

const UNITS = { d: 'days', w: 'weeks', m: 'months' } as const;
const SPANS = { week: 'week', month: 'month', quarter: 'quarter', year: 'year' } as const;

export function parsePeriod(input: string | undefined, zone: string, now: DateTime): PeriodResult {
  const local = now.setZone(zone);
  const raw = (input ?? '')
    .trim()
    .toLowerCase()
    .replace(/[–—]/g, '..')
    .replace(/\s+to\s+/g, '..')
    .replace(/\s+/g, ' ');
  if (!raw) return made(local.minus({ days: 30 }), local, 'last 30 days', now);
  if (raw.length > 40) return fail({ code: 'unreadable' });

  let m = /^(\d{1,4}) ?(d|w|m|days?|weeks?|months?)$/.exec(raw);
  if (m) {
    const n = Number(m[1]);
    const unit = UNITS[m[2]![0] as keyof typeof UNITS];
    if (n < 1) return fail({ code: 'empty' });
    return made(local.minus({ [unit]: n }), local, `last ${n} ${n === 1 ? unit.slice(0, -1) : unit}`, now);
  }
  m = /^(this[- ])?(week|month|quarter|year)$/.exec(raw);
  if (m) {
    const unit = SPANS[m[2] as keyof typeof SPANS];
    return made(local.startOf(unit), local, `this ${unit} so far`, now);
  }
  m = /^(last|previous)[- ](week|month|quarter|year)$/.exec(raw);
  if (m) {
    const unit = SPANS[m[2] as keyof typeof SPANS];
    const start = local.minus({ [`${unit}s`]: 1 }).startOf(unit);
    return made(start, start.plus({ [`${unit}s`]: 1 }), `last ${unit} (${labelOf(start, unit)})`, now);
  }
  const q =
    /^(\d{4}) ?-? ?q([1-4])$/.exec(raw) ??
    (() => {
      const r = /^q([1-4]) ?-? ?(\d{4})$/.exec(raw);
      return r ? [r[0], r[2], r[1]] : null;
    })();
  if (q) {
    const start = DateTime.fromObject({ year: Number(q[1]), month: (Number(q[2]) - 1) * 3 + 1, day: 1 }, { zone });
    return made(start, start.plus({ months: 3 }), `${q[1]}-Q${q[2]}`, now);
  }
  m = /^(\d{4})-(\d{1,2})$/.exec(raw);
  if (m) {
    const month = Number(m[2]);
    if (month < 1 || month > 12) return fail({ code: 'no_such_month', text: m[2]! });
    const start = DateTime.fromObject({ year: Number(m[1]), month, day: 1 }, { zone });
    return made(start, start.plus({ months: 1 }), start.toFormat('LLLL yyyy'), now);
  }
  m = /^(\d{4})$/.exec(raw);
  if (m) {
    const start = DateTime.fromObject({ year: Number(m[1]), month: 1, day: 1 }, { zone });
    return made(start, start.plus({ years: 1 }), m[1]!, now);
  }
  m = /^(\d{4}-\d{1,2}-\d{1,2}) ?\.\.\.? ?(\d{4}-\d{1,2}-\d{1,2})$/.exec(raw);
  if (m) {
    const a = dateOf(m[1]!, zone);
    const b = dateOf(m[2]!, zone);
    if (!a || !b) return fail({ code: 'not_a_date', text: (!a ? m[1] : m[2])! });
    return made(a, b.plus({ days: 1 }), `${day(a)} – ${day(b)}`, now);
  }
  m = /^(\d{4}-\d{1,2}-\d{1,2})$/.exec(raw);
  if (m) {
    const a = dateOf(m[1]!, zone);
    if (!a) return fail({ code: 'not_a_date', text: m[1]! });
    return made(a, a.plus({ days: 1 }), day(a), now);
  }
  return fail({ code: 'unreadable_text', text: raw.slice(0, 40) });
}

function dateOf(s: string, zone: string): DateTime | null {
  const [y, mo, d] = s.split('-').map(Number);
  const x = DateTime.fromObject({ year: y, month: mo, day: d }, { zone });
  return x.isValid ? x : null;
}

function labelOf(start: DateTime, unit: string): string {
  if (unit === 'quarter') return `${start.year}-Q${start.quarter}`;
  if (unit === 'month') return start.toFormat('LLLL yyyy');
  if (unit === 'year') return String(start.year);
  return `week of ${day(start)}`;
}
