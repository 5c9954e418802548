import { DateTime } from 'luxon';

/**
 * Local calendar dates and wall times in a zone, with the DST rules of working-time.ts:
 * local dates as plain {year, month, day} (calendar arithmetic in UTC); a wall time in
 * the spring gap resolves to the instant the clocks jump, one in the autumn overlap to
 * its FIRST occurrence.
 */

export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

export function localDateOf(instant: DateTime, zone: string): LocalDate {
  const l = instant.setZone(zone);
  return { year: l.year, month: l.month, day: l.day };
}

export function addDays(d: LocalDate, n: number): LocalDate {
  // Plain calendar arithmetic (no zone involved): Date.UTC normalises day overflow.
  const u = new Date(Date.UTC(d.year, d.month - 1, d.day + n));
  return { year: u.getUTCFullYear(), month: u.getUTCMonth() + 1, day: u.getUTCDate() };
}

export function weekdayOf(d: LocalDate): number {
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
export function resolveLocal(zone: string, d: LocalDate, minuteOfDay: number): DateTime {
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

export function later(a: DateTime, b: DateTime): DateTime {
  return a.toMillis() >= b.toMillis() ? a : b;
}
