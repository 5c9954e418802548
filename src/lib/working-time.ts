import type { DateTime } from 'luxon';
import { z } from 'zod';
import { addDays, later, localDateOf, resolveLocal, weekdayOf, type LocalDate } from './wall-time.js';
import { isValidZone } from './time-zone.js';

/**
 * Working hours and quiet hours, computed in the person's own zone.
 *
 * Everything here is pure: instants come in as parameters and go out as UTC
 * DateTimes. Local dates are handled as plain {year, month, day} (calendar
 * arithmetic done in UTC), so a DST change never shifts which *day* we are on.
 *
 * DST rules, applied to every 'HH:mm' boundary (start/end of a period):
 * - a wall time that does not exist (spring gap) resolves to the instant the
 *   clocks jump, i.e. the first minute that exists after it (Luxon alone would
 *   shift it forward by the gap size, which wastes part of the period);
 * - a wall time that happens twice (autumn overlap) resolves to its FIRST
 *   occurrence, chosen explicitly with getPossibleOffsets() because Luxon's
 *   own pick depends on the offset guessed at process start.
 * Membership is then "start(D) <= instant < end(D)" over those instants.
 */

/** 1 = Monday … 7 = Sunday (ISO, as Luxon's `weekday`). */
export interface WorkingHours {
  days: number[];
  start: string;
  end: string;
  zone: string;
}

/** May cross midnight (start > end), e.g. 21:00–08:00. */
export interface QuietHours {
  start: string;
  end: string;
  zone: string;
}

const DEFAULT_QUIET_START = '21:00';
const DEFAULT_QUIET_END = '08:00';

export function defaultQuietHours(zone: string): QuietHours {
  return { start: DEFAULT_QUIET_START, end: DEFAULT_QUIET_END, zone };
}

export class WorkingTimeError extends Error {
  readonly code = 'INVALID_WORKING_TIME';
  constructor(message: string) {
    super(message);
    this.name = 'WorkingTimeError';
  }
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** 'HH:mm' → minutes after local midnight. Strict two-digit 24 h format. */
export function parseTimeOfDay(value: string, field = 'time'): number {
  const m = HHMM.exec(value);
  if (!m) {
    throw new WorkingTimeError(`${field}: "${value}" is not a time of day; expected HH:mm, 00:00–23:59 (e.g. "09:00")`);
  }
  return Number(m[1]) * 60 + Number(m[2]);
}

function assertZone(zone: string, field: string): void {
  if (!isValidZone(zone)) throw new WorkingTimeError(`${field}: "${zone}" is not a valid IANA time zone`);
}

interface NormalizedWorkingHours {
  days: ReadonlySet<number>;
  start: number;
  end: number;
  zone: string;
}

function normalizeWorkingHours(wh: WorkingHours): NormalizedWorkingHours {
  assertZone(wh.zone, 'workingHours.zone');
  const start = parseTimeOfDay(wh.start, 'workingHours.start');
  const end = parseTimeOfDay(wh.end, 'workingHours.end');
  // Overnight shifts are not a case-work pattern; refusing them keeps every
  // working period inside one local date.
  if (start >= end) throw new WorkingTimeError(`workingHours: start ${wh.start} must be before end ${wh.end}`);
  if (wh.days.length === 0 || wh.days.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) {
    throw new WorkingTimeError(`workingHours.days must be a non-empty list of 1 (Mon) … 7 (Sun), got [${wh.days.join(',')}]`);
  }
  return { days: new Set(wh.days), start, end, zone: wh.zone };
}

interface NormalizedQuietHours {
  start: number;
  end: number;
  zone: string;
}

function normalizeQuietHours(q: QuietHours): NormalizedQuietHours {
  assertZone(q.zone, 'quietHours.zone');
  const start = parseTimeOfDay(q.start, 'quietHours.start');
  const end = parseTimeOfDay(q.end, 'quietHours.end');
  if (start === end) throw new WorkingTimeError(`quietHours: start and end are both ${q.start}; use no quiet hours instead`);
  return { start, end, zone: q.zone };
}

export { isAmbiguousLocal, resolveWallTime } from './wall-time.js';

// ---- working hours ----------------------------------------------------------

interface Period {
  start: DateTime;
  end: DateTime;
}

function workingPeriodOn(n: NormalizedWorkingHours, d: LocalDate): Period | null {
  if (!n.days.has(weekdayOf(d))) return null;
  return { start: resolveLocal(n.zone, d, n.start), end: resolveLocal(n.zone, d, n.end) };
}

/** Inside means start <= instant < end on a working day (end is exclusive). */
export function isWithinWorkingHours(wh: WorkingHours, instant: DateTime): boolean {
  const n = normalizeWorkingHours(wh);
  const p = workingPeriodOn(n, localDateOf(instant, n.zone));
  return p !== null && p.start <= instant && instant < p.end;
}

function nextWorkingPeriod(n: NormalizedWorkingHours, instant: DateTime): { at: DateTime; period: Period } {
  let d = localDateOf(instant, n.zone);
  // Days is non-empty, so a working day is at most 7 local days away.
  for (let i = 0; i < 8; i++, d = addDays(d, 1)) {
    const p = workingPeriodOn(n, d);
    if (p && instant < p.end) return { at: later(instant.toUTC(), p.start), period: p };
  }
  throw new WorkingTimeError('no working day found within a week (unreachable with valid working hours)');
}

/** The same instant if inside working hours, otherwise the next start. */
export function nextWorkingMoment(wh: WorkingHours, instant: DateTime): DateTime {
  return nextWorkingPeriod(normalizeWorkingHours(wh), instant).at;
}

/**
 * `from` plus `hours` of working time (fractions allowed). Only real time inside
 * working periods counts. A result that lands exactly on the end of a period
 * stays there ("by close of business Friday"), rather than rolling to Monday.
 * Zero hours from outside working time gives the next working moment.
 */
export function addWorkingHours(wh: WorkingHours, from: DateTime, hours: number): DateTime {
  if (!Number.isFinite(hours) || hours < 0) throw new WorkingTimeError(`addWorkingHours: hours must be >= 0, got ${hours}`);
  const n = normalizeWorkingHours(wh);
  let remaining = Math.round(hours * 3_600_000);
  let { at, period } = nextWorkingPeriod(n, from);
  for (;;) {
    const available = period.end.toMillis() - at.toMillis();
    if (remaining <= available) return at.plus({ milliseconds: remaining });
    remaining -= available;
    ({ at, period } = nextWorkingPeriod(n, period.end));
  }
}

/**
 * `time` (HH:mm, local) on the first working day strictly after the local date
 * of `instant`. "Next working day" means tomorrow or later, even if today is a
 * working day that has not started yet.
 */
export function nextWorkingDayAt(wh: WorkingHours, instant: DateTime, time: string): DateTime {
  const n = normalizeWorkingHours(wh);
  const minute = parseTimeOfDay(time, 'nextWorkingDayAt.time');
  let d = addDays(localDateOf(instant, n.zone), 1);
  while (!n.days.has(weekdayOf(d))) d = addDays(d, 1);
  return resolveLocal(n.zone, d, minute);
}

// ---- quiet hours ------------------------------------------------------------

function quietPeriodOn(n: NormalizedQuietHours, d: LocalDate): Period {
  const endDate = n.start < n.end ? d : addDays(d, 1);
  return { start: resolveLocal(n.zone, d, n.start), end: resolveLocal(n.zone, endDate, n.end) };
}

/** The quiet period containing `instant`, as UTC instants, or null. */
export function quietPeriodAt(q: QuietHours, instant: DateTime): { start: DateTime; end: DateTime } | null {
  const n = normalizeQuietHours(q);
  const today = localDateOf(instant, n.zone);
  // A period that crosses midnight began on the previous local date.
  for (const d of [addDays(today, -1), today]) {
    const p = quietPeriodOn(n, d);
    if (p.start <= instant && instant < p.end) return p;
  }
  return null;
}

export function isInQuietHours(q: QuietHours, instant: DateTime): boolean {
  return quietPeriodAt(q, instant) !== null;
}

/**
 * Move a send EARLIER out of quiet hours: the instant itself if allowed,
 * otherwise the last minute before the quiet period began (20:59 for 21:00).
 * Earlier rather than later, because a reminder must arrive before the event.
 */
export function latestAllowedAtOrBefore(q: QuietHours, instant: DateTime): DateTime {
  const p = quietPeriodAt(q, instant);
  return p ? p.start.minus({ minutes: 1 }) : instant.toUTC();
}

/** The first instant at or after `instant` outside quiet hours. */
export function earliestAllowedAtOrAfter(q: QuietHours, instant: DateTime): DateTime {
  const p = quietPeriodAt(q, instant);
  return p ? p.end : instant.toUTC();
}

// ---- config schemas ---------------------------------------------------------

const timeOfDay = z.string().regex(HHMM, 'expected HH:mm, 00:00–23:59');
const ianaZone = z.string().refine((s) => isValidZone(s), 'not a valid IANA time zone');

export const workingHoursSchema = z
  .object({
    days: z.array(z.number().int().min(1).max(7)).min(1),
    start: timeOfDay,
    end: timeOfDay,
    zone: ianaZone,
  })
  .refine((w) => w.start < w.end, { message: 'start must be before end', path: ['end'] });

export const quietHoursSchema = z
  .object({ start: timeOfDay, end: timeOfDay, zone: ianaZone })
  .refine((q) => q.start !== q.end, { message: 'start and end must differ', path: ['end'] });
