import { eq, sql } from 'drizzle-orm';
import type { Deps } from '../deps.js';
import { inTransaction, type Db } from '../db/client.js';
import { caseloadOverrides, cases, staff } from '../db/schema.js';
import { atOrOverLimit, openCaseCounts, overLimitReason } from './caseload-limit.js';
import { intakeWatchers, planCardRefresh } from './case-card-refresh.js';
import type { DateTime } from 'luxon';
import { scheduleAfterCommit, planDeliveries, type DeliveryRow } from '../delivery/ledger.js';
import type { Actor } from '../audit/audit.service.js';
import { canAssign } from './case-access.js';
import type { CaseRefusal } from './case-refusals.js';
import type { StaffRow } from '../staff/staff.repo.js';
import type { CaseRow } from './cases.repo.js';
import { followNewWorker } from './worker-follow.js';

/**
 * Assign or reassign a case. The new worker gets the full case card in a DM
 * (an 'assignment_dm' delivery, planned in the same transaction); the case
 * leaves intake for assessment on its first assignment. Each assignment bumps
 * the case version, so assigning the same person again later DMs them again.
 */
const ASSIGNMENT_DM_KIND = 'assignment_dm';

export type AssignResult =
  | { ok: true; status: 'assigned' | 'reassigned' | 'already'; case: CaseRow; previousWorkerId: string | null }
  | ({ ok: false } & CaseRefusal)
  | { ok: false; code: 'invalid_reason'; message: string; open: number; limit: number };

/**
 * `overLimitReason`: needed when the target already carries CASELOAD_LIMIT or
 * more open cases; without it the answer is `over_limit` (the Slack side asks
 * for one). The count is taken under the case's row lock, inside the transaction.
 */
export async function assignCase(deps: Deps, actor: StaffRow, caseId: string, target: StaffRow, o: { overLimitReason?: string } = {}): Promise<AssignResult> {
  const now = deps.clock.now();
  const limit = deps.config.CASELOAD_LIMIT;
  const out = await inTransaction(deps.db, async (tx) => {
    const [c] = await tx.select().from(cases).where(eq(cases.id, caseId)).for('update').limit(1);
    if (!c) return { r: { ok: false as const, code: 'unavailable' as const }, rows: [] };
    if (c.status !== 'open') return { r: { ok: false as const, code: 'closed' as const }, rows: [] };
    if (c.assignedWorkerId === target.id)
      return { r: { ok: true as const, status: 'already' as const, case: c, previousWorkerId: c.assignedWorkerId }, rows: [] };
    const refusal = await canAssign(tx, actor, c, target);
    if (refusal) return { r: { ok: false as const, ...refusal }, rows: [] };
    const open = (await openCaseCounts(tx, [target.id])).get(target.id) ?? 0;
    let override: { reason: string } | null = null;
    if (atOrOverLimit(open, limit)) {
      const over = { self: target.id === actor.id, targetSlackUserId: target.slackUserId, open, limit, reference: c.reference };
      if (o.overLimitReason === undefined) return { r: { ok: false as const, code: 'over_limit' as const, ...over }, rows: [] };
      const reason = overLimitReason.safeParse(o.overLimitReason);
      if (!reason.success)
        return { r: { ok: false as const, code: 'invalid_reason' as const, message: reason.error.issues[0]!.message, open, limit }, rows: [] };
      override = { reason: reason.data };
    }
    const status = c.assignedWorkerId ? ('reassigned' as const) : ('assigned' as const);
    const { updated, rows } = await moveAssignment(deps, tx, c, target.id, now, {
      actor: { type: 'staff', id: actor.id },
      action: `case.${status}`,
      details: { previous: c.assignedWorkerId ?? null, ...(override ? { overLimit: true } : {}) },
    });
    // A reassignment moves the worker's side of the case too: future appointments and the messages still planned
    // for the previous worker about it (reminders, outcome questions, client answers, nudges, referral follow-ups).
    if (c.assignedWorkerId) rows.push(...(await followNewWorker(tx, [c.id], c.assignedWorkerId, target.id, now, deps.config.DELIVERY_CLAIM_LEASE_SECONDS)));
    if (override) {
      const [row] = await tx
        .insert(caseloadOverrides)
        .values({
          caseId: c.id,
          workerId: target.id,
          assignedBy: actor.id,
          openCases: open,
          caseloadLimit: limit,
          reasonEnc: deps.cipher.encrypt(override.reason, 'caseload_overrides.reason'),
          createdAt: now.toJSDate(),
        })
        .returning({ id: caseloadOverrides.id });
      await deps.audit.record(
        {
          actor: { type: 'staff', id: actor.id },
          action: 'case.assigned_over_limit',
          caseId: c.id,
          subjectType: 'caseload_override',
          subjectId: row!.id,
          details: { worker: target.id, open, limit },
        },
        tx,
      );
    }
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
  deps: Pick<Deps, 'audit'>,
  tx: Db,
  c: CaseRow,
  targetId: string,
  now: DateTime,
  audit: { actor: Actor; action: string; details?: Record<string, string | number | boolean | null> },
): Promise<{ updated: CaseRow; rows: DeliveryRow[] }> {
  const [updated] = await tx
    .update(cases)
    .set({
      assignedWorkerId: targetId,
      assignedAt: now.toJSDate(),
      phase: c.phase === 'intake' ? 'assessment' : c.phase,
      // The new worker's DM gets its own card; client replies thread under it.
      slackChannel: null,
      slackThreadTs: null,
      version: sql`${cases.version} + 1`,
      updatedAt: now.toJSDate(),
    })
    .where(eq(cases.id, c.id))
    .returning();
  await deps.audit.record({ ...audit, caseId: c.id, subjectType: 'staff', subjectId: targetId }, tx);
  const rows = await planDeliveries(
    tx,
    [
      {
        kind: ASSIGNMENT_DM_KIND,
        subjectId: c.id,
        version: updated!.version,
        recipient: `staff:${targetId}`,
        channel: 'slack',
        caseId: c.id,
        dueAt: now,
      },
    ],
    now,
  );
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
