import type { DateTime } from 'luxon';
import { eq } from 'drizzle-orm';
import type { Deps } from '../deps.js';
import { cases, escalations, staff } from '../db/schema.js';
import type { DeliveryRow } from '../delivery/ledger.js';

/** Shared by the escalation kinds: the escalation a row names, whether it is still current, and what it is about. */
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
