import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { isAmbiguousLocal, resolveWallTime } from '../../src/lib/working-time.js';
import { validateAppointment } from '../../src/appointments/appointments.service.js';
import { clientTime, staffTime } from '../../src/appointments/appointment.format.js';

/**
 * Local times around DST changes, at fixed instants: a time the clocks skip is
 * refused with the nearest one that exists; a time that happens twice is its
 * FIRST occurrence whatever the day it is typed on, and shown with its offset.
 */
const BERLIN = 'Europe/Berlin';
const at = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' });
const fields = (date: string, time: string) => ({ date, time, durationMin: 60, mode: 'phone' });

describe('resolveWallTime', () => {
  it('an ordinary time happens once', () => {
    const w = resolveWallTime(BERLIN, { year: 2027, month: 6, day: 1 }, 10 * 60);
    expect(w.kind).toBe('ok');
    expect(w.kind === 'ok' && w.instant.toISO()).toBe('2027-06-01T08:00:00.000Z');
  });

  it('02:30 on 28 Mar 2027 in Berlin does not exist: the nearest valid time is 03:00 CEST (01:00Z)', () => {
    const w = resolveWallTime(BERLIN, { year: 2027, month: 3, day: 28 }, 2 * 60 + 30);
    expect(w.kind).toBe('gap');
    if (w.kind !== 'gap') return;
    expect(w.nextValid.toISO()).toBe('2027-03-28T01:00:00.000Z');
    expect(w.nextValid.setZone(BERLIN).toFormat('HH:mm')).toBe('03:00');
    expect(w.lastBefore.setZone(BERLIN).toFormat('HH:mm')).toBe('01:59');
  });

  it('02:30 on 31 Oct 2027 in Berlin happens twice: the first occurrence is 00:30Z (CEST), the second 01:30Z (CET)', () => {
    const w = resolveWallTime(BERLIN, { year: 2027, month: 10, day: 31 }, 2 * 60 + 30);
    expect(w.kind).toBe('ambiguous');
    if (w.kind !== 'ambiguous') return;
    expect(w.instant.toISO()).toBe('2027-10-31T00:30:00.000Z');
    expect(w.second.toISO()).toBe('2027-10-31T01:30:00.000Z');
    // New York's overlap is the other side of UTC: 01:30 on 1 Nov 2026 is 05:30Z (EDT) first.
    const ny = resolveWallTime('America/New_York', { year: 2026, month: 11, day: 1 }, 90);
    expect(ny.kind === 'ambiguous' && ny.instant.toISO()).toBe('2026-11-01T05:30:00.000Z');
  });

  it('isAmbiguousLocal tells both occurrences from ordinary times', () => {
    expect(isAmbiguousLocal(at('2027-10-31T00:30:00Z'), BERLIN)).toBe(true);
    expect(isAmbiguousLocal(at('2027-10-31T01:30:00Z'), BERLIN)).toBe(true);
    expect(isAmbiguousLocal(at('2027-10-31T02:30:00Z'), BERLIN)).toBe(false);
  });
});

describe('booking times around DST changes', () => {
  it('refuses a time the clocks skip, on the time field, suggesting the nearest one that exists', () => {
    const v = validateAppointment(fields('2027-03-28', '02:30'), BERLIN, at('2027-03-01T09:00:00Z'));
    expect(v).toEqual({
      ok: false,
      errors: [
        {
          field: 'time',
          message:
            '02:30 does not exist on 28 Mar 2027 in Europe/Berlin: the clocks go forward then. The nearest time that exists is 03:00; choose 03:00 or another time.',
        },
      ],
    });
  });

  it('stores a time that happens twice as its first occurrence, whether booked in summer or winter', () => {
    for (const booked of ['2027-07-01T09:00:00Z', '2027-01-15T09:00:00Z']) {
      const v = validateAppointment(fields('2027-10-31', '02:30'), BERLIN, at(booked));
      expect(v.ok && v.startsAt.toISO()).toBe('2027-10-31T00:30:00.000Z');
    }
  });

  it('refuses times and dates that do not exist at all', () => {
    expect(validateAppointment(fields('2027-02-30', '10:00'), BERLIN, at('2027-01-01T09:00:00Z'))).toMatchObject({ ok: false, errors: [{ field: 'date' }] });
    expect(validateAppointment(fields('2027-02-10', '24:30'), BERLIN, at('2027-01-01T09:00:00Z'))).toMatchObject({ ok: false, errors: [{ field: 'time' }] });
  });

  it('shows an ambiguous time to the client and the worker with its zone abbreviation or offset; ordinary times as before', () => {
    const first = new Date('2027-10-31T00:30:00Z');
    expect(clientTime(first, BERLIN, 'en', "cccc d LLLL 'at' HH:mm")).toBe('Sunday 31 October at 02:30 CEST');
    expect(clientTime(new Date('2027-10-31T01:30:00Z'), BERLIN, 'en', "cccc d LLLL 'at' HH:mm")).toBe('Sunday 31 October at 02:30 CET');
    expect(clientTime(first, BERLIN, 'zh', 'M月d日 cccc HH:mm')).toBe('10月31日 星期日 02:30 GMT+2');
    expect(clientTime(new Date('2027-06-01T08:00:00Z'), BERLIN, 'en', "cccc d LLLL 'at' HH:mm")).toBe('Tuesday 1 June at 10:00');
    expect(staffTime(first, BERLIN)).toBe('Sun 31 Oct 02:30 GMT+2');
  });
});
