import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  type QuietHours,
  type WorkingHours,
  WorkingTimeError,
  addWorkingHours,
  defaultQuietHours,
  earliestAllowedAtOrAfter,
  isInQuietHours,
  isWithinWorkingHours,
  latestAllowedAtOrBefore,
  nextWorkingDayAt,
  nextWorkingMoment,
  parseTimeOfDay,
  quietPeriodAt,
  quietHoursSchema,
  workingHoursSchema,
} from '../../src/lib/working-time.js';

const at = (iso: string): DateTime => DateTime.fromISO(iso, { zone: 'utc' });
const z = (dt: DateTime): string | null => dt.toUTC().toISO();
const weekdays = (zone: string): WorkingHours => ({ days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', zone });

describe('parseTimeOfDay and validation', () => {
  it('parses HH:mm into minutes after midnight', () => {
    expect(parseTimeOfDay('09:00')).toBe(540);
    expect(parseTimeOfDay('23:59')).toBe(1439);
    expect(parseTimeOfDay('00:00')).toBe(0);
  });

  it.each(['9:00', '24:00', '12:60', '0900', '09:00:00', ''])('rejects %j with a clear error', (bad) => {
    expect(() => parseTimeOfDay(bad, 'workingHours.start')).toThrow(WorkingTimeError);
    expect(() => parseTimeOfDay(bad, 'workingHours.start')).toThrow(/workingHours\.start.*expected HH:mm/);
  });

  it('rejects bad working hours and quiet hours', () => {
    const now = at('2026-06-01T10:00:00Z');
    expect(() => isWithinWorkingHours({ ...weekdays('Europe/London'), zone: 'Mars/Base' }, now)).toThrow(/IANA/);
    expect(() => isWithinWorkingHours({ ...weekdays('Europe/London'), start: '17:00', end: '09:00' }, now)).toThrow(/before end/);
    expect(() => isWithinWorkingHours({ ...weekdays('Europe/London'), days: [0, 1] }, now)).toThrow(/days/);
    expect(() => isWithinWorkingHours({ ...weekdays('Europe/London'), days: [] }, now)).toThrow(/days/);
    expect(() => isInQuietHours({ start: '21:00', end: '21:00', zone: 'UTC' }, now)).toThrow(/both 21:00/);
  });

  it('zod schemas accept valid config and reject malformed config', () => {
    expect(workingHoursSchema.safeParse(weekdays('Asia/Kolkata')).success).toBe(true);
    expect(workingHoursSchema.safeParse({ ...weekdays('Asia/Kolkata'), start: '9:00' }).success).toBe(false);
    expect(workingHoursSchema.safeParse({ ...weekdays('Asia/Kolkata'), start: '18:00' }).success).toBe(false);
    expect(quietHoursSchema.safeParse(defaultQuietHours('Australia/Sydney')).success).toBe(true);
    expect(quietHoursSchema.safeParse({ start: '21:00', end: '08:00', zone: 'Nowhere/City' }).success).toBe(false);
  });
});

describe('working hours', () => {
  const london = weekdays('Europe/London');

  it('end is exclusive; weekends are outside', () => {
    expect(isWithinWorkingHours(london, at('2026-03-27T16:59:00Z'))).toBe(true); // Fri 16:59 GMT
    expect(isWithinWorkingHours(london, at('2026-03-27T17:00:00Z'))).toBe(false);
    expect(isWithinWorkingHours(london, at('2026-03-28T12:00:00Z'))).toBe(false); // Saturday
  });

  it('follows BST after the spring change (Mon 30 Mar 2026: 09:00 local = 08:00Z)', () => {
    expect(isWithinWorkingHours(london, at('2026-03-30T07:59:00Z'))).toBe(false);
    expect(isWithinWorkingHours(london, at('2026-03-30T08:00:00Z'))).toBe(true);
    expect(isWithinWorkingHours(london, at('2026-03-30T16:30:00Z'))).toBe(false); // 17:30 BST
  });

  it('nextWorkingMoment returns the same instant inside, the next start outside', () => {
    expect(z(nextWorkingMoment(london, at('2026-03-30T10:15:00Z')))).toBe('2026-03-30T10:15:00.000Z');
    // Saturday before the spring change → Monday 09:00 BST.
    expect(z(nextWorkingMoment(london, at('2026-03-28T12:00:00Z')))).toBe('2026-03-30T08:00:00.000Z');
    // New York Friday 18:00 EDT → Monday 09:00 EST after the autumn change.
    expect(z(nextWorkingMoment(weekdays('America/New_York'), at('2026-10-30T22:00:00Z')))).toBe('2026-11-02T14:00:00.000Z');
    // Kolkata (+05:30) early morning → 09:00 IST the same day.
    expect(z(nextWorkingMoment(weekdays('Asia/Kolkata'), at('2026-06-02T02:00:00Z')))).toBe('2026-06-02T03:30:00.000Z');
  });

  it('addWorkingHours counts only working time: Friday 16:00 + 4 h → Monday 12:00 (across the London spring change)', () => {
    expect(z(addWorkingHours(london, at('2026-03-27T16:00:00Z'), 4))).toBe('2026-03-30T11:00:00.000Z');
  });

  it('addWorkingHours ending exactly at close stays at close; zero hours from a weekend is Monday start', () => {
    expect(z(addWorkingHours(london, at('2026-03-27T16:00:00Z'), 1))).toBe('2026-03-27T17:00:00.000Z');
    expect(z(addWorkingHours(london, at('2026-03-28T12:00:00Z'), 0))).toBe('2026-03-30T08:00:00.000Z');
    expect(() => addWorkingHours(london, at('2026-03-28T12:00:00Z'), -1)).toThrow(WorkingTimeError);
  });

  it('addWorkingHours across the New York autumn change and in Shanghai (no DST)', () => {
    // Fri 16:00 EDT + 4 h → Mon 12:00 EST.
    expect(z(addWorkingHours(weekdays('America/New_York'), at('2026-10-30T20:00:00Z'), 4))).toBe('2026-11-02T17:00:00.000Z');
    // Mon 09:00 CST + 10 h → Tue 11:00 CST.
    expect(z(addWorkingHours(weekdays('Asia/Shanghai'), at('2026-06-01T01:00:00Z'), 10))).toBe('2026-06-02T03:00:00.000Z');
    // Fractions: Mon 09:00 CST + 1.5 h → 10:30 CST.
    expect(z(addWorkingHours(weekdays('Asia/Shanghai'), at('2026-06-01T01:00:00Z'), 1.5))).toBe('2026-06-01T02:30:00.000Z');
  });

  it('addWorkingHours in Adelaide (half-hour zone) across its autumn change', () => {
    // Fri 3 Apr 16:00 ACDT (+10:30) + 4 h → Mon 6 Apr 12:00 ACST (+09:30).
    expect(z(addWorkingHours(weekdays('Australia/Adelaide'), at('2026-04-03T05:30:00Z'), 4))).toBe('2026-04-06T02:30:00.000Z');
  });

  it("nextWorkingDayAt is tomorrow or later, even before today's start", () => {
    // Fri 16:00 BST → Mon 09:00 GMT (after the autumn change).
    expect(z(nextWorkingDayAt(london, at('2026-10-23T15:00:00Z'), '09:00'))).toBe('2026-10-26T09:00:00.000Z');
    // Mon 06:00 GMT, before work → Tuesday, not today.
    expect(z(nextWorkingDayAt(london, at('2026-10-26T06:00:00Z'), '09:00'))).toBe('2026-10-27T09:00:00.000Z');
    // Sydney Saturday → Monday 09:00 AEDT (+11).
    expect(z(nextWorkingDayAt(weekdays('Australia/Sydney'), at('2026-10-03T02:00:00Z'), '09:00'))).toBe('2026-10-04T22:00:00.000Z');
  });

  it('a working week of Sat–Sun only is honoured', () => {
    const weekend: WorkingHours = { days: [6, 7], start: '10:00', end: '14:00', zone: 'Asia/Shanghai' };
    // Mon 1 Jun 2026 → Sat 6 Jun 10:00 CST.
    expect(z(nextWorkingMoment(weekend, at('2026-06-01T03:00:00Z')))).toBe('2026-06-06T02:00:00.000Z');
  });
});

describe('quiet hours (21:00–08:00 unless stated)', () => {
  it('crosses midnight over the London spring change (the night is an hour shorter)', () => {
    const q = defaultQuietHours('Europe/London');
    expect(isInQuietHours(q, at('2026-03-28T20:59:00Z'))).toBe(false);
    expect(isInQuietHours(q, at('2026-03-28T21:00:00Z'))).toBe(true);
    expect(isInQuietHours(q, at('2026-03-29T06:59:00Z'))).toBe(true); // 07:59 BST
    expect(isInQuietHours(q, at('2026-03-29T07:00:00Z'))).toBe(false); // 08:00 BST
    const p = quietPeriodAt(q, at('2026-03-29T00:30:00Z'));
    expect(p && [z(p.start), z(p.end)]).toEqual(['2026-03-28T21:00:00.000Z', '2026-03-29T07:00:00.000Z']);
  });

  it('London autumn change: the night is an hour longer; move earlier to 20:59 BST', () => {
    const q = defaultQuietHours('Europe/London');
    const p = quietPeriodAt(q, at('2026-10-25T05:00:00Z'));
    expect(p && [z(p.start), z(p.end)]).toEqual(['2026-10-24T20:00:00.000Z', '2026-10-25T08:00:00.000Z']);
    expect(z(latestAllowedAtOrBefore(q, at('2026-10-25T05:00:00Z')))).toBe('2026-10-24T19:59:00.000Z');
    expect(z(earliestAllowedAtOrAfter(q, at('2026-10-25T05:00:00Z')))).toBe('2026-10-25T08:00:00.000Z');
  });

  it('an instant outside quiet hours is left alone', () => {
    const q = defaultQuietHours('Europe/London');
    expect(z(latestAllowedAtOrBefore(q, at('2026-10-25T12:34:00Z')))).toBe('2026-10-25T12:34:00.000Z');
    expect(quietPeriodAt(q, at('2026-10-25T12:34:00Z'))).toBeNull();
  });

  it('New York spring (8 Mar 2026): 21:00 EST → 08:00 EDT', () => {
    const p = quietPeriodAt(defaultQuietHours('America/New_York'), at('2026-03-08T09:00:00Z'));
    expect(p && [z(p.start), z(p.end)]).toEqual(['2026-03-08T02:00:00.000Z', '2026-03-08T12:00:00.000Z']);
  });

  it('Sydney (southern hemisphere): spring forward 4 Oct and fall back 5 Apr', () => {
    const q = defaultQuietHours('Australia/Sydney');
    // 07:30 AEDT on 4 Oct is quiet; move back to 20:59 AEST on 3 Oct.
    expect(isInQuietHours(q, at('2026-10-03T20:30:00Z'))).toBe(true);
    expect(z(latestAllowedAtOrBefore(q, at('2026-10-03T20:30:00Z')))).toBe('2026-10-03T10:59:00.000Z');
    expect(isInQuietHours(q, at('2026-10-03T21:00:00Z'))).toBe(false); // 08:00 AEDT
    const p = quietPeriodAt(q, at('2026-04-04T16:30:00Z'));
    expect(p && [z(p.start), z(p.end)]).toEqual(['2026-04-04T10:00:00.000Z', '2026-04-04T22:00:00.000Z']);
  });

  it('Kolkata (+05:30): boundaries on the half hour in UTC', () => {
    const q = defaultQuietHours('Asia/Kolkata');
    expect(isInQuietHours(q, at('2026-06-01T15:29:00Z'))).toBe(false);
    expect(isInQuietHours(q, at('2026-06-01T15:30:00Z'))).toBe(true);
    expect(isInQuietHours(q, at('2026-06-02T02:29:00Z'))).toBe(true);
    expect(isInQuietHours(q, at('2026-06-02T02:30:00Z'))).toBe(false);
  });

  it('quiet hours that do not cross midnight (Shanghai 13:00–15:00)', () => {
    const q: QuietHours = { start: '13:00', end: '15:00', zone: 'Asia/Shanghai' };
    expect(isInQuietHours(q, at('2026-06-01T04:59:00Z'))).toBe(false);
    expect(isInQuietHours(q, at('2026-06-01T05:00:00Z'))).toBe(true);
    expect(isInQuietHours(q, at('2026-06-01T07:00:00Z'))).toBe(false);
    expect(z(latestAllowedAtOrBefore(q, at('2026-06-01T06:00:00Z')))).toBe('2026-06-01T04:59:00.000Z');
  });

  it('a boundary inside the spring gap starts at the jump, not an hour late', () => {
    // London 01:30 does not exist on 29 Mar 2026; the clocks jump 01:00 GMT → 02:00 BST.
    const q: QuietHours = { start: '01:30', end: '06:00', zone: 'Europe/London' };
    expect(isInQuietHours(q, at('2026-03-29T00:59:00Z'))).toBe(false);
    expect(isInQuietHours(q, at('2026-03-29T01:15:00Z'))).toBe(true); // 02:15 BST, after 01:30 on the wall
  });

  it('a boundary inside the repeated autumn hour uses its first occurrence', () => {
    // New York 01:30 happens twice on 1 Nov 2026: 05:30Z (EDT) and 06:30Z (EST).
    const q: QuietHours = { start: '01:30', end: '06:00', zone: 'America/New_York' };
    expect(isInQuietHours(q, at('2026-11-01T05:29:00Z'))).toBe(false);
    const p = quietPeriodAt(q, at('2026-11-01T05:30:00Z'));
    expect(p && [z(p.start), z(p.end)]).toEqual(['2026-11-01T05:30:00.000Z', '2026-11-01T11:00:00.000Z']);
  });
});
