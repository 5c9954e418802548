import { DateTime } from 'luxon';
import { MAX_COVER_DAYS } from '../../handover/handover.domain.js';
import { isUuid } from '../../lib/uuid.js';
import { userOf } from './mention.js';

/**
 * `/case handover …` (pure): who covers whom and until when. Mentions arrive
 * escaped (`<@U123|name>`); dates are the asker's calendar dates (YYYY-MM-DD).
 */
export type HandoverCommand =
  | { op: 'start'; fromUserId: string; toUserId: string; untilOn: string | null }
  | { op: 'undo'; handoverId: string }
  | { op: 'list' }
  | { op: 'invalid'; message: string };

export const HANDOVER_USAGE =
  'Usage: `/case handover @from @to [until YYYY-MM-DD]` (leave cover: the cases go back on that date), `/case handover list`, `/case handover undo <id>`.';

export function parseHandoverCommand(args: string[], zone: string, now: DateTime): HandoverCommand {
  const [first, second, third, fourth, ...rest] = args;
  const op = (first ?? '').toLowerCase();
  if (op === 'list' || op === '') return { op: 'list' };
  if (op === 'undo') {
    const id = (second ?? '').trim();
    if (!isUuid(id))
      return { op: 'invalid', message: `Give the handover's id, as shown when it was made (\`/case handover list\` shows them). ${HANDOVER_USAGE}` };
    return { op: 'undo', handoverId: id.toLowerCase() };
  }
  const fromUserId = userOf(first);
  const toUserId = userOf(second);
  if (!fromUserId || !toUserId)
    return { op: 'invalid', message: `Mention the worker whose cases move and the one who takes them, like \`/case handover @ana @ben\`. ${HANDOVER_USAGE}` };
  if (fromUserId === toUserId) return { op: 'invalid', message: 'The two people must be different.' };
  if (rest.length) return { op: 'invalid', message: `I did not understand \`${rest.join(' ').slice(0, 40)}\`. ${HANDOVER_USAGE}` };
  if (third === undefined) return { op: 'start', fromUserId, toUserId, untilOn: null };
  if (third.toLowerCase() !== 'until' || !fourth) return { op: 'invalid', message: `Write the end of the cover as \`until 2026-12-24\`. ${HANDOVER_USAGE}` };
  const until = checkUntil(fourth, zone, now);
  if ('message' in until) return { op: 'invalid', message: until.message };
  return { op: 'start', fromUserId, toUserId, untilOn: until.date };
}

function checkUntil(text: string, zone: string, now: DateTime): { date: string } | { message: string } {
  const d = DateTime.fromFormat(text.trim(), 'yyyy-MM-dd', { zone });
  if (!d.isValid) return { message: `\`${text.slice(0, 20)}\` is not a date; write it as YYYY-MM-DD, for example 2026-12-24.` };
  const today = now.setZone(zone).startOf('day');
  if (d <= today) return { message: `The cover must end after today (${today.toISODate()}): the cases go back to their worker on that date.` };
  if (d > today.plus({ days: MAX_COVER_DAYS })) return { message: `A cover can last at most ${MAX_COVER_DAYS} days; for longer, reassign the cases.` };
  return { date: d.toISODate()! };
}
