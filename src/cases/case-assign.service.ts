import { eq, sql } from 'drizzle-orm';
import type { Deps } from '../deps.js';
import type { Db } from '../db/client.js';
import { cases, staff } from '../db/schema.js';
import { intakeWatchers, planCardRefresh } from './case-card-refresh.js';
import type { DateTime } from 'luxon';
import { planDeliveries, type DeliveryRow } from '../delivery/ledger.js';
import type { Actor } from '../audit/audit.service.js';
import { scheduleAfterCommit } from './case-mutation.js';
import { canAssign, REFUSE } from '../slack/access.js';
import type { StaffRow } from '../staff/staff.repo.js';
import type { CaseRow } from './cases.repo.js';

/**
 * Assign or reassign a case. The new worker gets the full case card in a DM
 * (an 'assignment_dm' delivery, planned in the same transaction); the case
 * leaves intake for assessment on its first assignment. Each assignment bumps
 * the case version, so assigning the same person again later DMs them again.
 */
export const ASSIGNMENT_DM_KIND = 'assignment_dm';

export type AssignResult =
  | { ok: true; status: 'assigned' | 'reassigned' | 'already'; case: CaseRow; previousWorkerId: string | null }
  | { ok: false; message: string };

export async function assignCase(deps: Deps, actor: StaffRow, caseId: string, target: StaffRow): Promise<AssignResult> {
  const now = deps.clock.now();
  const out = await deps.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const [c] = await tx.select().from(cases).where(eq(cases.id, caseId)).for('update').limit(1);
    if (!c) return { r: { ok: false as const, message: REFUSE.unavailable() }, rows: [] };
    if (c.status !== 'open') return { r: { ok: false as const, message: REFUSE.closed }, rows: [] };
    if (c.assignedWorkerId === target.id) return { r: { ok: true as const, status: 'already' as const, case: c, previousWorkerId: c.assignedWorkerId }, rows: [] };
    const refusal = await canAssign(tx, actor, c, target);
    if (refusal) return { r: { ok: false as const, message: refusal }, rows: [] };
    const status = c.assignedWorkerId ? ('reassigned' as const) : ('assigned' as const);
    const { updated, rows } = await moveAssignment(deps, tx, c, target.id, now, {
      actor: { type: 'staff', id: actor.id }, action: `case.${status}`, details: { previous: c.assignedWorkerId ?? null },
    });
    return { r: { ok: true as const, status, case: updated, previousWorkerId: c.assignedWorkerId }, rows };
  });
  await scheduleAfterCommit(deps, out.rows);
  return out.r;
}

/**
 * The move itself, inside the caller's transaction with the case row locked
 * (an assignment, a handover, a hand-back): the case gets its new worker (and
 * leaves intake), the change is audited, the new worker gets the case card in
 * a DM (which becomes the thread for the client's messages), and the cards and
 * App Homes that change are refreshed. Returns the rows to schedule after commit.
 */
export async function moveAssignment(
  deps: Pick<Deps, 'audit'>, tx: Db, c: CaseRow, targetId: string, now: DateTime,
  audit: { actor: Actor; action: string; details?: Record<string, string | number | boolean | null> },
): Promise<{ updated: CaseRow; rows: DeliveryRow[] }> {
  const [updated] = await tx.update(cases).set({
    assignedWorkerId: targetId,
    assignedAt: now.toJSDate(),
    phase: c.phase === 'intake' ? 'assessment' : c.phase,
    // The new worker's DM gets its own card; client replies thread under it.
    slackChannel: null,
    slackThreadTs: null,
    version: sql`${cases.version} + 1`,
    updatedAt: now.toJSDate(),
  }).where(eq(cases.id, c.id)).returning();
  await deps.audit.record({ ...audit, caseId: c.id, subjectType: 'staff', subjectId: targetId }, tx);
  const rows = await planDeliveries(tx, [{
    kind: ASSIGNMENT_DM_KIND, subjectId: c.id, version: updated!.version, recipient: `staff:${targetId}`, channel: 'slack', caseId: c.id, dueAt: now,
  }], now);
  // App Homes that change: the new worker's (and supervisor's), the previous worker's (and theirs), and,
  // when the case leaves the unassigned list, everyone who sees that list.
  const alsoHome = [...(c.assignedWorkerId ? [c.assignedWorkerId] : []), ...(c.assignedWorkerId ? [] : await intakeWatchers(tx))];
  if (c.assignedWorkerId) {
    const [prev] = await tx.select({ supervisorId: staff.supervisorId }).from(staff).where(eq(staff.id, c.assignedWorkerId));
    if (prev?.supervisorId) alsoHome.push(prev.supervisorId);
  }
  rows.push(...(await planCardRefresh(tx, c.id, now, { alsoHome, versionBumped: true })));
  return { updated: updated!, rows };
}
