import { DateTime } from 'luxon';
import { MAX_OVERRIDE_DAYS, MAX_ROTATION_WEEKS, type RotaChange } from '../../staff/oncall.domain.js';
import { userOf } from './mention.js';

/** `/case oncall …` (pure): who is on call when, as people type it, in their zone. */
export type OncallCommand = { op: 'show' } | RotaChange | { op: 'invalid'; message: string };

const ONCALL_USAGE = [
  '`/case oncall` — who is on call now and the next two weeks',
  '`/case oncall set @user from 2026-12-01 18:00 to 2026-12-02 09:00 [team @lead]` — cover for a period (overrides the rota)',
  '`/case oncall rotate @a @b @c from 2026-12-07 09:00 [weeks 8] [team @lead]` — a weekly rotation, handing over at that time',
  "   (with `team @lead`: for that supervisor's team only; its crises page the team's rota first, others the agency's)",
  '`/case oncall swap @a @b` — exchange their next rota shifts',
].join('\n');

/**
 * A time as people type it, in their zone: `2026-12-01 18:00`, `2026-12-01T18:00`, `2026-12-01`
 * (midnight), `today 18:00`, `tomorrow 9:00`. A local time that does not exist (spring DST gap)
 * is refused rather than moved.
 */
function parseWhen(words: string[], zone: string, now: DateTime, defaultTime = '00:00'): DateTime | string {
  const [d, t] = words;
  if (!d) return 'a date is missing';
  let day: DateTime;
  const local = now.setZone(zone);
  if (/^today$/i.test(d)) day = local.startOf('day');
  else if (/^tomorrow$/i.test(d)) day = local.plus({ days: 1 }).startOf('day');
  else {
    const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{1,2}:\d{2}))?$/.exec(d);
    if (!m) return `\`${d.slice(0, 20)}\` is not a date like 2026-12-01`;
    day = DateTime.fromISO(m[1]!, { zone });
    if (!day.isValid) return `\`${d.slice(0, 20)}\` is not a real date`;
    if (m[2]) return atTime(day, m[2], zone);
  }
  return atTime(day, t && /^\d{1,2}:\d{2}$/.test(t) ? t : defaultTime, zone);
}

function atTime(day: DateTime, hhmm: string, zone: string): DateTime | string {
  const [h, min] = hhmm.split(':').map(Number) as [number, number];
  if (h > 23 || min > 59) return `\`${hhmm}\` is not a time of day`;
  const dt = DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour: h, minute: min }, { zone });
  if (!dt.isValid || dt.hour !== h || dt.minute !== min)
    return `${day.toISODate()} ${hhmm} does not exist in ${zone} (the clocks change then); choose another time`;
  return dt;
}

/** Words up to the next keyword. */
function until(words: string[], from: number, stop: string[]): string[] {
  const out: string[] = [];
  for (let i = from; i < words.length && !stop.includes(words[i]!.toLowerCase()); i++) out.push(words[i]!);
  return out;
}

export function parseOncallCommand(args: string[], zone: string, now: DateTime): OncallCommand {
  const [op, ...all] = args;
  // `team @lead` may end `set` and `rotate`.
  const t = all.map((w) => w.toLowerCase()).lastIndexOf('team');
  const teamUserId = t >= 0 ? userOf(all[t + 1]) : null;
  if (t >= 0 && (!teamUserId || all.length !== t + 2)) return { op: 'invalid', message: `Write the team last, as \`team @supervisor\`.\n${ONCALL_USAGE}` };
  const rest = t >= 0 ? all.slice(0, t) : all;
  const lower = rest.map((w) => w.toLowerCase());
  switch ((op ?? '').toLowerCase()) {
    case '':
    case 'show':
    case 'list':
      return { op: 'show' };
    case 'set': {
      const userId = userOf(rest[0]);
      if (!userId) return { op: 'invalid', message: `Mention who is on call, like \`@name\`.\n${ONCALL_USAGE}` };
      const f = lower.indexOf('from');
      const t = lower.indexOf('to');
      if (f < 0 || t < 0 || t < f) return { op: 'invalid', message: `Say when: \`from … to …\`.\n${ONCALL_USAGE}` };
      const from = parseWhen(until(rest, f + 1, ['to']), zone, now);
      const to = parseWhen(until(rest, t + 1, []), zone, now);
      if (typeof from === 'string') return { op: 'invalid', message: `From: ${from}.` };
      if (typeof to === 'string') return { op: 'invalid', message: `To: ${to}.` };
      if (!(to > from)) return { op: 'invalid', message: 'The end must be after the start.' };
      if (!(to > now)) return { op: 'invalid', message: 'That period is already over.' };
      if (to.diff(from, 'days').days > MAX_OVERRIDE_DAYS)
        return { op: 'invalid', message: `Cover is at most ${MAX_OVERRIDE_DAYS} days at a time; use \`rotate\` for a standing rota.` };
      return { op: 'set', userId, from, to, teamUserId };
    }
    case 'rotate': {
      const f = lower.indexOf('from');
      const people = (f < 0 ? rest : rest.slice(0, f)).map(userOf);
      if (!people.length || people.some((p) => !p))
        return { op: 'invalid', message: `Mention the people in order, then \`from <date> [time]\`.\n${ONCALL_USAGE}` };
      if (f < 0) return { op: 'invalid', message: `Say when the rotation starts: \`from 2026-12-07 09:00\`.\n${ONCALL_USAGE}` };
      const w = lower.indexOf('weeks');
      const from = parseWhen(until(rest, f + 1, ['weeks']), zone, now, '09:00');
      if (typeof from === 'string') return { op: 'invalid', message: `From: ${from}.` };
      const weeks = w < 0 ? 8 : Number(rest[w + 1]);
      if (!Number.isInteger(weeks) || weeks < 1 || weeks > MAX_ROTATION_WEEKS)
        return { op: 'invalid', message: `Weeks must be a whole number from 1 to ${MAX_ROTATION_WEEKS}.` };
      if (!(from.plus({ weeks }) > now)) return { op: 'invalid', message: 'That rotation would already be over.' };
      return { op: 'rotate', userIds: people as string[], from, weeks, teamUserId };
    }
    case 'swap': {
      const a = userOf(rest[0]);
      const b = userOf(rest[1]);
      if (!a || !b || a === b) return { op: 'invalid', message: `Mention two different people: \`/case oncall swap @a @b\`.\n${ONCALL_USAGE}` };
      return { op: 'swap', a, b };
    }
    default:
      return { op: 'invalid', message: ONCALL_USAGE };
  }
}
