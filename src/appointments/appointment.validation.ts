import { DateTime } from 'luxon';
import type { FieldError } from '../cases/case.domain.js';
import { APPOINTMENT_MODES } from '../db/schema.js';
import { resolveWallTime } from '../lib/working-time.js';

/** What staff type for an appointment, checked field by field (pure). */

export type AppointmentMode = (typeof APPOINTMENT_MODES)[number];

export interface AppointmentFields {
  date: string;
  time: string;
  durationMin: number;
  mode: string;
  /**
   * Where the client should come (address or room). The Slack modal always
   * sends it (possibly empty) and an in-person appointment then needs one;
   * callers without the field (imports, benchmarks) may leave it out.
   */
  location?: string;
}

const LOCATION_MAX = 300;

/** Pure: the fields → a UTC start, or what is wrong, field by field. */
export function validateAppointment(f: AppointmentFields, zone: string, now: DateTime): { ok: true; startsAt: DateTime } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!/^\d{4}-\d{2}-\d{2}$/.test(f.date)) errors.push({ field: 'date', message: 'Choose a date.' });
  if (!/^\d{2}:\d{2}$/.test(f.time)) errors.push({ field: 'time', message: 'Choose a time.' });
  if (!Number.isInteger(f.durationMin) || f.durationMin < 5 || f.durationMin > 480)
    errors.push({ field: 'duration', message: 'The duration must be between 5 and 480 minutes.' });
  if (!(APPOINTMENT_MODES as readonly string[]).includes(f.mode)) errors.push({ field: 'mode', message: 'Choose in person, phone or video.' });
  let startsAt: DateTime = DateTime.invalid('unset');
  if (errors.every((e) => e.field !== 'date' && e.field !== 'time')) {
    const at = wallStart(f.date, f.time, zone);
    if ('field' in at) errors.push(at);
    else if ((startsAt = at.startsAt) <= now)
      errors.push({
        field: 'date',
        message: `That time (${startsAt.setZone(zone).toFormat('d LLL yyyy HH:mm')}, ${zone}) is in the past. Choose a future date and time.`,
      });
    else if (startsAt > now.plus({ years: 1 })) errors.push({ field: 'date', message: 'Appointments can be booked at most a year ahead.' });
  }
  // Last: a wrong time is the more important thing to say first.
  if (f.location !== undefined) {
    const where = f.location.trim();
    if (f.mode === 'in_person' && !where)
      errors.push({ field: 'location', message: 'Say where the client should come for an in-person appointment (an address or a room).' });
    if ([...where].length > LOCATION_MAX) errors.push({ field: 'location', message: `Please keep the place under ${LOCATION_MAX} characters.` });
  }
  return errors.length ? { ok: false, errors } : { ok: true, startsAt: startsAt.toUTC() };
}

/**
 * The typed local date and time as an instant. A time the clocks skip (spring)
 * is refused with the nearest time that exists, never silently moved an hour;
 * a time that happens twice (autumn) is its first occurrence, as everywhere
 * (src/lib/working-time.ts), and is shown to client and staff with its offset.
 */
function wallStart(date: string, time: string, zone: string): { startsAt: DateTime } | FieldError {
  const day = DateTime.fromISO(date, { zone: 'utc' });
  const [h, m] = time.split(':').map(Number) as [number, number];
  if (!day.isValid) return { field: 'date', message: 'That date does not exist.' };
  if (h > 23 || m > 59) return { field: 'time', message: 'That time does not exist. Use 00:00 to 23:59.' };
  const wall = resolveWallTime(zone, { year: day.year, month: day.month, day: day.day }, h * 60 + m);
  if (wall.kind !== 'gap') return { startsAt: wall.instant };
  const next = wall.nextValid.setZone(zone).toFormat('HH:mm');
  return {
    field: 'time',
    message: `${time} does not exist on ${day.toFormat('d LLL yyyy')} in ${zone}: the clocks go forward then. The nearest time that exists is ${next}; choose ${next} or another time.`,
  };
}
