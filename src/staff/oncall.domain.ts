import { type DateTime, Interval } from 'luxon';

/**
 * The on-call rota, as pure rules (time passed in).
 * - Who is on call at a moment: everyone whose override covers it; if no
 *   override does, everyone whose rota shift covers it; and always anyone with
 *   the standing on-call flag.
 * - A gap is time that nobody covers.
 * - A weekly rotation hands over at the same local time every week in the
 *   zone of the person who set it (DST-correct: luxon adds calendar weeks).
 */
type ShiftKind = 'rota' | 'override';

export interface Shift {
  id?: string;
  staffId: string;
  startsAt: DateTime;
  endsAt: DateTime;
  kind: ShiftKind;
  /** The team this shift covers (its supervisor's id); null or absent: the whole agency. */
  teamId?: string | null;
}

const covers = (s: Shift, t: DateTime) => s.startsAt <= t && t < s.endsAt;

/**
 * Staff ids on call at `t` for a team (standing flag holders included), without duplicates: the
 * team's own cover or rota when it has one at `t`, else the agency's.
 */
export function onCallAt(shifts: readonly Shift[], standing: readonly string[], t: DateTime, teamId?: string | null): string[] {
  const pick = (list: readonly Shift[]) => {
    const overrides = list.filter((s) => s.kind === 'override' && covers(s, t));
    return overrides.length ? overrides : list.filter((s) => s.kind === 'rota' && covers(s, t));
  };
  const team = teamId ? pick(shifts.filter((s) => s.teamId === teamId)) : [];
  const chosen = team.length ? team : pick(shifts.filter((s) => !s.teamId));
  return [...new Set([...chosen.map((s) => s.staffId), ...standing])];
}

/** Periods within [from, to) that the agency-wide rota and cover leave uncovered (none when someone holds the standing flag). */
export function coverageGaps(shifts: readonly Shift[], standing: readonly string[], from: DateTime, to: DateTime): Interval[] {
  if (standing.length || !(from < to)) return [];
  const covered = Interval.merge(
    shifts
      .filter((s) => !s.teamId)
      .map((s) => Interval.fromDateTimes(s.startsAt, s.endsAt))
      .filter((i) => i.isValid),
  );
  return Interval.fromDateTimes(from, to)
    .difference(...covered)
    .filter((i) => i.isValid && i.length('milliseconds') > 0);
}

/** One person a week, in the given order, repeating, for `weeks` weeks from `start`. */
export function weeklyRotation(staffIds: readonly string[], start: DateTime, weeks: number, teamId: string | null = null): Shift[] {
  const out: Shift[] = [];
  for (let w = 0; w < weeks; w++) {
    out.push({ staffId: staffIds[w % staffIds.length]!, startsAt: start.plus({ weeks: w }), endsAt: start.plus({ weeks: w + 1 }), kind: 'rota', teamId });
  }
  return out;
}

/** The next rota shift of `staffId` that has not ended by `now` (the one a swap exchanges). */
export function nextShiftOf(shifts: readonly Shift[], staffId: string, now: DateTime): Shift | undefined {
  return shifts.filter((s) => s.kind === 'rota' && s.staffId === staffId && s.endsAt > now).sort((a, b) => +a.startsAt - +b.startsAt)[0];
}

// ---- changes to the rota (read from `/case oncall …` in src/slack/commands/oncall.parse.ts) ----

export type RotaChange =
  | { op: 'set'; userId: string; from: DateTime; to: DateTime; teamUserId: string | null }
  | { op: 'rotate'; userIds: string[]; from: DateTime; weeks: number; teamUserId: string | null }
  | { op: 'swap'; a: string; b: string };

/** Longest override and rotation accepted (a typo of a year is refused, not stored). */
export const MAX_OVERRIDE_DAYS = 31;
export const MAX_ROTATION_WEEKS = 26;
