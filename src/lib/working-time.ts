import { DateTime } from 'luxon';
import { z } from 'zod';
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

export const DEFAULT_QUIET_START = '21:00';
export const DEFAULT_QUIET_END = '08:00';

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

// ---- local calendar helpers -------------------------------------------------

export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

function localDateOf(instant: DateTime, zone: string): LocalDate {
  const l = instant.setZone(zone);
  return { year: l.year, month: l.month, day: l.day };
}

function addDays(d: LocalDate, n: number): LocalDate {
  // Plain calendar arithmetic (no zone involved): Date.UTC normalises day overflow.
  const u = new Date(Date.UTC(d.year, d.month - 1, d.day + n));
  return { year: u.getUTCFullYear(), month: u.getUTCMonth() + 1, day: u.getUTCDate() };
}

function weekdayOf(d: LocalDate): number {
  return DateTime.utc(d.year, d.month, d.day).weekday;
}

/**
 * resolveLocal is pure (zone rules do not change within a process) and costs
 * several Intl offset look-ups; every quiet-hours check of every reminder
 * resolves the same few local times, so answers are remembered (DateTime is
 * immutable). Bounded: cleared when it grows past RESOLVED_MAX entries.
 */
const resolved = new Map<string, DateTime>();
const RESOLVED_MAX = 10_000;

/** The instant a local wall time happens on a local date (DST rules above). */
function resolveLocal(zone: string, d: LocalDate, minuteOfDay: number): DateTime {
  const key = `${zone}|${d.year}-${d.month}-${d.day}|${minuteOfDay}`;
  let r = resolved.get(key);
  if (!r) {
    if (resolved.size >= RESOLVED_MAX) resolved.clear();
    resolved.set(key, (r = resolveLocalUncached(zone, d, minuteOfDay)));
  }
  return r;
}

function resolveLocalUncached(zone: string, d: LocalDate, minuteOfDay: number): DateTime {
  const w = resolveWallTime(zone, d, minuteOfDay);
  return w.kind === 'gap' ? w.nextValid : w.instant;
}

/**
 * A local wall time in a zone, as DST makes it:
 * - 'ok': it happens once;
 * - 'ambiguous': it happens twice (autumn); `instant` is the FIRST occurrence
 *   (the earlier UTC instant, i.e. the larger offset), `second` the other;
 * - 'gap': it does not exist (spring); `nextValid` is the instant the clocks
 *   jump (the nearest local time that exists after it, e.g. 03:00 for 02:30),
 *   `lastBefore` the minute before the jump.
 * The first occurrence is chosen explicitly from getPossibleOffsets(): Luxon's
 * own pick for an ambiguous time depends on the offset it guesses from the
 * current date, so the same typed time could be stored an hour apart
 * depending on the day it was typed.
 */
export type WallTime =
  | { kind: 'ok'; instant: DateTime }
  | { kind: 'ambiguous'; instant: DateTime; second: DateTime }
  | { kind: 'gap'; nextValid: DateTime; lastBefore: DateTime };

export function resolveWallTime(zone: string, d: LocalDate, minuteOfDay: number): WallTime {
  const hour = Math.floor(minuteOfDay / 60);
  const minute = minuteOfDay % 60;
  const dt = DateTime.fromObject({ ...d, hour, minute }, { zone });
  if (dt.hour !== hour || dt.minute !== minute) {
    // Spring gap: Luxon moved us forward by the gap; find the jump itself.
    // It lies in the few hours before `dt`; offsets change on whole minutes.
    let lo = Math.floor(dt.toMillis() / 60_000) - 180; // offset differs here
    let hi = Math.floor(dt.toMillis() / 60_000); // offset equals dt.offset here
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (DateTime.fromMillis(mid * 60_000, { zone }).offset === dt.offset) hi = mid;
      else lo = mid;
    }
    return { kind: 'gap', nextValid: DateTime.fromMillis(hi * 60_000, { zone: 'utc' }), lastBefore: DateTime.fromMillis((hi - 1) * 60_000, { zone: 'utc' }) };
  }
  const candidates = dt
    .getPossibleOffsets()
    .filter((c) => c.hour === hour && c.minute === minute)
    .sort((a, b) => a.toMillis() - b.toMillis());
  if (candidates.length > 1) return { kind: 'ambiguous', instant: candidates[0]!.toUTC(), second: candidates.at(-1)!.toUTC() };
  return { kind: 'ok', instant: (candidates[0] ?? dt).toUTC() };
}

/** True when this instant's local wall time in `zone` happens twice (the autumn overlap): show it with its offset. */
export function isAmbiguousLocal(instant: DateTime, zone: string): boolean {
  const local = instant.setZone(zone);
  return resolveWallTime(zone, { year: local.year, month: local.month, day: local.day }, local.hour * 60 + local.minute).kind === 'ambiguous';
}

function later(a: DateTime, b: DateTime): DateTime {
  return a.toMillis() >= b.toMillis() ? a : b;
}

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
