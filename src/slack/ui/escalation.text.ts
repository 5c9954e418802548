import { DateTime } from 'luxon';
import type { Deps } from '../../deps.js';
import { staffTime } from '../../appointments/appointment.format.js';
import { policyFromConfig } from '../../escalations/escalation-config.js';
import type { EscalationContext } from '../../escalations/escalation-context.js';

/** What an escalation is about, in words for staff (the ladder's messages and the buttons' updates). */
function ago(from: Date | null, now: DateTime): string {
  if (!from) return 'never';
  const days = Math.floor(now.diff(DateTime.fromJSDate(from), 'days').days);
  if (days >= 1) return `${days} day${days === 1 ? '' : 's'} ago`;
  const hours = Math.floor(now.diff(DateTime.fromJSDate(from), 'hours').hours);
  return `${hours} hour${hours === 1 ? '' : 's'} ago`;
}

/** One line saying what is wrong, in the reader's zone. No client personal data: the case reference only. */
export function describeTrouble(deps: Deps, x: EscalationContext, zone: string): string {
  const now = deps.clock.now();
  const fmt = (d: Date | null) => (d ? staffTime(d, zone) : 'unknown');
  const ref = x.c.reference;
  switch (x.e.reason) {
    case 'follow_up_overdue':
      return `The follow-up for ${ref} was due ${fmt(x.c.nextFollowUpAt)} and no note has been logged since. Last note: ${ago(x.c.lastNoteAt, now)}.`;
    case 'quiet_case': {
      const days = policyFromConfig(deps.config).quietThresholdsDays[x.c.priority];
      // A case with no note at all must not read as if it had one: say when it was opened instead.
      const since = x.c.lastNoteAt ? `last note: ${ago(x.c.lastNoteAt, now)}` : `no note yet; opened ${ago(x.c.openedAt, now)}`;
      return `${ref} has had no case note for too long (${since}; ${x.c.priority} priority allows ${days} days).`;
    }
    case 'unassigned_intake':
      return `The intake ${ref} has not been assigned to a worker (received ${fmt(x.c.createdAt)}).`;
    case 'no_show_repeat':
      return `The client of ${ref} has missed ${x.c.consecutiveNoShows} appointments in a row.`;
    case 'crisis':
      return `CRISIS reported on ${ref} (${fmt(x.e.openedAt)}). Please make sure someone contacts the client now.`;
  }
}
