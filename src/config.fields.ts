import { isValidZone } from './lib/time-zone.js';
import { Duration } from 'luxon';
import { z } from 'zod';

/** The value types of the environment variables (config.ts): booleans, URLs, zones, lists, durations. */

export const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no', '']).transform((v) => v === 'true' || v === '1' || v === 'yes');

export const optionalString = z
  .string()
  .transform((v) => (v.trim() === '' ? undefined : v.trim()))
  .optional();

export const url = (protocols: string[]) =>
  z.string().refine(
    (v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
  );

export const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .transform((v) => v.trim())
    .pipe(z.union([z.literal(''), url(protocols)]))
    .transform((v) => (v === '' ? undefined : v))
    .optional();

export const zone = z.string().refine(isValidZone, 'must be an IANA time zone such as Europe/London');

export const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time as HH:mm');

export const list = z.string().transform((v) =>
  v
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean),
);

/** Extra crisis phrases: a phrase of one or two letters ("a", "ok") would match almost every message. */
export const crisisList = list.refine(
  (l) => l.every((p) => /\p{Script=Han}/u.test(p) || p.replace(/[^\p{L}\p{N}]/gu, '').length >= 3),
  'each phrase needs at least 3 letters or digits (or one Chinese character), e.g. "red flag,救救我"',
);

export const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const isIsoDuration = (v: string) => {
  const d = Duration.fromISO(v);
  return d.isValid && d.years === 0 && d.months === 0 && d.quarters === 0 && d.as('milliseconds') >= 0;
};
export const isoDuration = z.string().trim().refine(isIsoDuration, 'must be an ISO-8601 duration without months/years, e.g. PT24H or PT30M');
export const isoList = list.refine((l) => l.every(isIsoDuration), 'must be a comma-separated list of ISO-8601 durations, e.g. PT24H,PT2H');
export const validPolicyJson = (v: string) => {
  try {
    const o: unknown = JSON.parse(v);
    return typeof o === 'object' && o !== null && !Array.isArray(o);
  } catch {
    return false;
  }
};
