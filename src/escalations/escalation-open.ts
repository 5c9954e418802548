import { and, eq, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Deps } from '../deps.js';
import type { Db } from '../db/client.js';
import { cases, escalations } from '../db/schema.js';
import { openEscalation, type EscalationReason } from './escalations.repo.js';
import { intakeTeamHours, policyFromConfig } from './escalation-config.js';
import { followUpOverdue, isQuiet, unassignedIntakeDue } from './policy.domain.js';

/**
 * Find what needs an escalation now and open it (at most one open per case and
 * reason — the database guarantees it). Each kind of trouble opens once per
 * occurrence: an overdue follow-up once per follow-up date, a quiet case once
 * per silence, an unassigned intake once, a crisis once per flag.
 */
const dt = (d: Date | null) => (d ? DateTime.fromJSDate(d, { zone: 'utc' }) : null);

export async function openDueEscalations(deps: Deps): Promise<number> {
  const now = deps.clock.now();
  const policy = policyFromConfig(deps.config);
  const at = now.toJSDate();
  let opened = 0;
  const open = async (caseId: string, reason: EscalationReason, since: Date | null) => {
    // Once per occurrence: an escalation (even resolved) opened after `since` already covered it.
    const [prior] = await deps.db.select({ id: escalations.id }).from(escalations)
      .where(and(eq(escalations.caseId, caseId), eq(escalations.reason, reason), since ? sql`${escalations.openedAt} >= ${since}` : sql`true`))
      .limit(1);
    if (prior) return;
    await deps.db.transaction(async (t) => {
      const tx = t as unknown as Db;
      const r = await openEscalation(tx, { caseId, reason }, now);
      if (!r.created) return;
      opened++;
      await deps.audit.record({ actor: { type: 'system' }, action: 'escalation.opened', caseId, subjectType: 'escalation', subjectId: r.row.id, details: { reason } }, tx);
    });
  };

  const overdue = await deps.db.select().from(cases)
    .where(and(eq(cases.status, 'open'), isNotNull(cases.nextFollowUpAt), lt(cases.nextFollowUpAt, at)));
  for (const c of overdue) {
    if (followUpOverdue({ nextFollowUpAt: dt(c.nextFollowUpAt), lastNoteAt: dt(c.lastNoteAt), followUpSetAt: dt(c.followUpSetAt), status: c.status }, now)) {
      await open(c.id, 'follow_up_overdue', c.followUpSetAt ?? c.nextFollowUpAt);
    }
  }

  // Quiet: the smallest threshold bounds the query; the pure rule decides per priority.
  const minDays = Math.min(...Object.values(policy.quietThresholdsDays));
  const quietBefore = now.minus({ days: minDays }).toJSDate();
  const quiet = await deps.db.select().from(cases)
    .where(and(eq(cases.status, 'open'), isNotNull(cases.assignedWorkerId), sql`coalesce(${cases.lastNoteAt}, ${cases.openedAt}) <= ${quietBefore}`));
  for (const c of quiet) {
    if (isQuiet({ priority: c.priority, lastNoteAt: dt(c.lastNoteAt), openedAt: dt(c.openedAt)!, status: c.status }, now, policy.quietThresholdsDays)) {
      await open(c.id, 'quiet_case', c.lastNoteAt ?? c.openedAt);
    }
  }

  const unassigned = await deps.db.select().from(cases).where(and(eq(cases.status, 'open'), isNull(cases.assignedWorkerId)));
  for (const c of unassigned) {
    const due = unassignedIntakeDue({ createdAt: dt(c.createdAt)!, assignedAt: null }, intakeTeamHours(deps.config), policy.unassignedIntakeAfterWorkingHours, now);
    if (due.due) await open(c.id, 'unassigned_intake', c.createdAt);
  }

  const crises = await deps.db.select().from(cases).where(and(eq(cases.status, 'open'), eq(cases.crisis, true)));
  for (const c of crises) await open(c.id, 'crisis', null);
  return opened;
}
