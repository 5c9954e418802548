import { DateTime } from 'luxon';
import { resolveWallTime } from '../lib/working-time.js';

/*
 * Leave cover (pure): how long a cover may last, the moment it ends, and which
 * offered cases move. The `/case handover …` command is read on the Slack side
 * (src/slack/commands/handover.parse.ts).
 */

/** A cover longer than this is a reassignment, not leave cover. */
export const MAX_COVER_DAYS = 366;

/**
 * When the cases go back: the start of the returning worker's working day on
 * the until date, in their zone (a day that is not a working day still counts:
 * the date is what the supervisor chose). A start time the clocks skip moves
 * to the next time that exists.
 */
export function handBackAt(untilOn: string, worker: { timeZone: string; workingHours: { start: string } }): DateTime {
  const day = DateTime.fromISO(untilOn, { zone: 'utc' });
  const [h, m] = worker.workingHours.start.split(':').map(Number) as [number, number];
  const wall = resolveWallTime(worker.timeZone, { year: day.year, month: day.month, day: day.day }, h * 60 + m);
  return (wall.kind === 'gap' ? wall.nextValid : wall.instant).toUTC();
}
