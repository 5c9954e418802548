import { DateTime } from 'luxon';
import { eq } from 'drizzle-orm';
import type { Deps } from '../deps.js';
import { cases, escalations, staff } from '../db/schema.js';
import type { DeliveryRow } from '../delivery/ledger.js';
import { policyFromConfig } from './escalation-config.js';
import { staffTime } from '../appointments/appointment.format.js';

/** Shared by the escalation kinds: the escalation a row names, whether it is still current, and what it is about, for staff. */
export const ESC_ACTIONS = {
  ack: 'esc_ack',
  snooze: 'esc_snooze',
  snoozeDay: 'esc_snooze_day',
  notNeeded: 'esc_not_needed',
  logNote: 'case_log_note',
  reassign: 'case_reassign',
  openCase: 'case_open',
} as const;

export type EscalationContext = {
  e: typeof escalations.$inferSelect;
  c: typeof cases.$inferSelect;
  worker: typeof staff.$inferSelect | undefined;
};

export async function loadEscalation(deps: Deps, row: DeliveryRow): Promise<EscalationContext | { skip: string }> {
  const [hit] = await deps.db
    .select({ e: escalations, c: cases })
    .from(escalations)
    .innerJoin(cases, eq(cases.id, escalations.caseId))
    .where(eq(escalations.id, row.subjectId))
    .limit(1);
  if (!hit) return { skip: 'escalation_not_found' };
  if (hit.e.resolvedAt) return { skip: 'resolved' };
  // An acknowledged crisis pages again only while its safety-plan note is overdue.
  if (hit.e.acknowledgedAt && !safetyPlanOverdue(hit.e, deps.clock.now())) return { skip: 'acknowledged' };
  // A later step of the ladder replaces this one.
  if (hit.e.notifications !== row.version) return { skip: 'superseded' };
  const [worker] = hit.c.assignedWorkerId ? await deps.db.select().from(staff).where(eq(staff.id, hit.c.assignedWorkerId)).limit(1) : [];
  return { ...hit, worker };
}

export function safetyPlanOverdue(e: typeof escalations.$inferSelect, now: DateTime): boolean {
  return e.reason === 'crisis' && !!e.acknowledgedAt && !!e.safetyPlanDueAt && !e.safetyPlanNoteId && e.safetyPlanDueAt.getTime() <= now.toMillis();
}

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
