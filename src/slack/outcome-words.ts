/**
 * The words on Slack for what the staff-side services did: they answer with
 * codes and the data the words need (who, when, how many); mentions, slash
 * commands and formatting are added here.
 */
import type { DateTime } from 'luxon';
import { periodDay, type PeriodError } from '../reports/period.js';
import { ADMINS_ONLY, type RemoveResult } from '../referrals/resources.service.js';
import type { OncallResult } from '../staff/oncall.service.js';
import type { StaffResult } from '../staff/staff.service.js';

/** The words for a change to the staff directory (src/staff/staff.service.ts answers with codes). */
export function staffResultText(r: StaffResult): string {
  switch (r.code) {
    case 'admins_only':
      return 'Only an admin can change the staff directory.';
    case 'not_in_workspace':
      return `I could not find <@${r.userId}> in this Slack workspace.`;
    case 'supervisor_not_in_directory':
      return `<@${r.supervisorUserId}> is not in the staff directory yet. Add them first.`;
    case 'supervisor_is_worker':
      return `<@${r.supervisorUserId}> is a worker; a supervisor must have the role supervisor or admin.`;
    case 'only_admin':
      return `<@${r.userId}> is the only admin: make someone else an admin first (\`/case staff add @name admin\`), or nobody could manage the staff directory.`;
    case 'not_in_directory':
      return `<@${r.userId}> is not in the staff directory.`;
    case 'last_admin':
      return 'This is the last admin; add another admin first.';
    case 'added':
    case 'unchanged': {
      const sup = r.supervisorUserId ? `, supervised by <@${r.supervisorUserId}>` : '';
      return r.code === 'unchanged'
        ? `<@${r.userId}> is already a ${r.role}${sup}: nothing changed.`
        : `<@${r.userId}> is now a ${r.role}${sup} (time zone ${r.row.timeZone}).`;
    }
    case 'removed': {
      const n = r.openCases;
      const warn = n > 0 ? ` They still hold ${n} open case${n === 1 ? '' : 's'}: please reassign ${n === 1 ? 'it' : 'them'} (\`/case team\`).` : '';
      return `<@${r.userId}> has been removed from the staff directory.${warn}`;
    }
  }
}

const fmt = (t: DateTime, zone: string) => t.setZone(zone).toFormat('ccc d LLL HH:mm ZZZZ');
const forTeam = (lead: string | null) => (lead ? ` for <@${lead}>'s team` : '');

/** The words for a change to the on-call rota (src/staff/oncall.service.ts answers with codes). */
export function oncallResultText(r: OncallResult): string {
  switch (r.code) {
    case 'supervisors_only':
      return 'Sorry, only supervisors and admins can change the on-call rota. `/case oncall` shows who is on call.';
    case 'not_in_directory':
      return `<@${r.slackUserId}> is not in the staff directory.`;
    case 'is_worker':
      return `<@${r.slackUserId}> is a worker; only supervisors and admins ${r.as === 'team_lead' ? 'lead a team' : 'can be on call'}.`;
    case 'no_shift_to_swap':
      return `To swap, both need a rota shift ahead: <@${r.slackUserId}> has none. Use \`/case oncall set\` for one-off cover.`;
    case 'override_set':
      return `<@${r.slackUserId}> is on call${forTeam(r.teamSlackUserId)} from ${fmt(r.from, r.zone)} to ${fmt(r.to, r.zone)} (instead of the rota).`;
    case 'rota_set': {
      const order = r.slackUserIds.map((u) => `<@${u}>`).join(' → ');
      return `Weekly on-call rota set${forTeam(r.teamSlackUserId)}: ${order}, handing over ${r.from.setZone(r.zone).toFormat("cccc 'at' HH:mm ZZZZ")}, ${r.weeks} weeks from ${fmt(r.from, r.zone)}.`;
    }
    case 'swapped':
      return `Swapped: <@${r.b.slackUserId}> now covers ${fmt(r.b.startsAt, r.zone)}–${fmt(r.b.endsAt, r.zone)}, <@${r.a.slackUserId}> covers ${fmt(r.a.startsAt, r.zone)}–${fmt(r.a.endsAt, r.zone)}.`;
  }
}

/** The words for `/case resources remove` (src/referrals/resources.service.ts). */
export function removeResourceText(r: RemoveResult): string {
  switch (r.code) {
    case 'admins_only':
      return ADMINS_ONLY;
    case 'not_found':
      return `I can't find a resource “${r.query.slice(0, 60)}”. \`/case resources list\` shows them.`;
    case 'removed':
      return `Removed “${r.name}” from the directory. Referrals already made to it keep its name.`;
  }
}

/** The forms of a report period (src/reports/period.ts), told with every period that could not be read. */
export const PERIOD_HELP =
  'Periods: `30d`, `12w`, `6m`, `week`, `month`, `quarter`, `year`, `last-month`, `last-quarter`, `2026-Q3`, `2026-09`, `2026`, or days `2026-09-01..2026-09-30`. Without one: the last 30 days.';

/** The words for a period that could not be read, with the forms it knows. */
export function periodErrorText(e: PeriodError): string {
  return `${periodProblem(e)}\n${PERIOD_HELP}`;
}

function periodProblem(e: PeriodError): string {
  switch (e.code) {
    case 'no_such_date':
      return 'That date does not exist.';
    case 'ends_before_start':
      return 'The period ends before it starts.';
    case 'in_future':
      return `The period starts in the future (${periodDay(e.start)}); reports cover what has happened.`;
    case 'too_long':
      return 'Please ask for at most three years at a time.';
    case 'unreadable':
      return 'I could not read that period.';
    case 'empty':
      return 'The period needs at least one day.';
    case 'no_such_month':
      return `There is no month ${e.text}.`;
    case 'not_a_date':
      return `${e.text} is not a date (use year-month-day, e.g. 2026-09-01).`;
    case 'unreadable_text':
      return `I could not read \`${e.text}\` as a period.`;
  }
}
