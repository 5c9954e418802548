import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { Deps } from '../deps.js';
import { caseAccessGrants, staff } from '../db/schema.js';
import { isUuid } from '../lib/uuid.js';
import type { StaffRow } from '../staff/staff.repo.js';
import { findCaseById, findCaseByReference, type CaseRow } from './cases.repo.js';
import type { CaseRefusal } from './case-refusals.js';

/**
 * Who may see and change a case, decided from PostgreSQL rows (never from what
 * a button or form claims):
 * - workers: their own cases;
 * - supervisors: their own, their team's (staff.supervisor_id = them) and unassigned intakes;
 * - admins: every case;
 * - anyone with an open access grant on the case (someone from another team
 *   who acknowledged a crisis on it, until the crisis is resolved).
 */
async function supervises(db: Db, supervisorId: string, workerId: string): Promise<boolean> {
  const [row] = await db.select({ supervisorId: staff.supervisorId }).from(staff).where(eq(staff.id, workerId)).limit(1);
  return !!row && row.supervisorId === supervisorId;
}

async function hasAccessGrant(db: Db, staffId: string, caseId: string): Promise<boolean> {
  const [g] = await db
    .select({ id: caseAccessGrants.id })
    .from(caseAccessGrants)
    .where(and(eq(caseAccessGrants.caseId, caseId), eq(caseAccessGrants.staffId, staffId), isNull(caseAccessGrants.revokedAt)))
    .limit(1);
  return !!g;
}

/** By role and team only (no grants): whether someone needs a grant to act on the case. */
export async function canAccessByRole(db: Db, actor: StaffRow, c: Pick<CaseRow, 'assignedWorkerId'>): Promise<boolean> {
  if (!actor.active) return false;
  if (actor.role === 'admin') return true;
  if (c.assignedWorkerId === actor.id) return true;
  if (actor.role !== 'supervisor') return false;
  if (!c.assignedWorkerId) return true;
  return supervises(db, actor.id, c.assignedWorkerId);
}

export async function canAccessCase(db: Db, actor: StaffRow, c: Pick<CaseRow, 'assignedWorkerId'> & { id?: string }): Promise<boolean> {
  if (await canAccessByRole(db, actor, c)) return true;
  return !!c.id && actor.active && hasAccessGrant(db, actor.id, c.id);
}

/**
 * Moving a worker's cases to someone else (leave cover, `/case handover`): an admin, or a supervisor
 * who supervises both people (or is one of them). Workers never hand over, not even their own cases.
 */
export async function canHandOver(db: Db, actor: StaffRow, fromId: string, toId: string): Promise<boolean> {
  if (!actor.active) return false;
  if (actor.role === 'admin') return true;
  if (actor.role !== 'supervisor') return false;
  const mine = async (id: string) => id === actor.id || supervises(db, actor.id, id);
  return (await mine(fromId)) && (await mine(toId));
}

/**
 * What a lookup that found nothing is checked against, so that a missing case
 * and someone else's case take the same way through canAccessCase (the same
 * queries: "do I supervise its worker?", "do I hold a grant on it?") before
 * they get the same answer.
 */
export const NO_CASE = { id: '00000000-0000-0000-0000-000000000000', assignedWorkerId: '00000000-0000-0000-0000-000000000000' } as const;

const REFERENCE = /^C-\d{4}-\d{4,12}$/;

/**
 * A staff member was refused a case (one that is not theirs, or one that does
 * not exist: they get the same answer). Recorded on the audit log (the case's,
 * when it exists) with the reference or id tried, and logged; nothing else is
 * kept (a forged value that is neither a reference nor an id is not stored).
 */
export async function recordAccessRefused(
  deps: Pick<Deps, 'audit' | 'logger'>,
  actor: Pick<StaffRow, 'id'>,
  x: { attempted: string; caseId?: string | null; via: string; subjectType?: string },
  tx?: Db,
): Promise<void> {
  const attempted = isUuid(x.attempted) || REFERENCE.test(x.attempted) ? x.attempted : 'invalid';
  await deps.audit.record(
    {
      actor: { type: 'staff', id: actor.id },
      action: 'case.access_refused',
      caseId: x.caseId ?? null,
      ...(x.subjectType ? { subjectType: x.subjectType, subjectId: attempted } : {}),
      details: { attempted, via: x.via.slice(0, 60) },
    },
    tx,
  );
  deps.logger.info({ staffId: actor.id, attempted, via: x.via.slice(0, 60) }, 'case access refused');
}

export type CaseLookup = { id: string } | { reference: string };
export type CaseForActor = { ok: true; case: CaseRow } | ({ ok: false } & Extract<CaseRefusal, { code: 'unavailable' }>);

/**
 * Load a case by id or reference and check the actor may use it. A missing
 * case is checked as if it were someone else's (NO_CASE: the same queries),
 * and both are refused with the same code ('unavailable'), audited
 * ('case.access_refused') and logged without personal data. `via` says where
 * the lookup came from.
 */
export async function findCaseForActor(deps: Pick<Deps, 'db' | 'audit' | 'logger'>, actor: StaffRow, by: CaseLookup, via = 'slack'): Promise<CaseForActor> {
  const c = 'id' in by ? (isUuid(by.id) ? await findCaseById(deps.db, by.id) : undefined) : await findCaseByReference(deps.db, by.reference);
  const allowed = await canAccessCase(deps.db, actor, c ?? NO_CASE);
  if (c && allowed) return { ok: true, case: c };
  const attempted = 'id' in by ? by.id : by.reference;
  await recordAccessRefused(deps, actor, { attempted, caseId: c?.id ?? null, via });
  return { ok: false, code: 'unavailable', ...('reference' in by ? { reference: by.reference } : {}) };
}

/**
 * Assigning: anyone in the directory may take an unassigned case; giving it to
 * someone else needs a supervisor (of that person) or an admin; reassigning
 * needs the current assignee's supervisor or an admin. Null when allowed.
 */
export async function canAssign(db: Db, actor: StaffRow, c: Pick<CaseRow, 'assignedWorkerId'>, target: StaffRow): Promise<CaseRefusal | null> {
  if (!target.active) return { code: 'target_inactive', targetSlackUserId: target.slackUserId };
  if (actor.role === 'admin') return null;
  const selfTake = target.id === actor.id;
  if (!selfTake) {
    if (actor.role !== 'supervisor') return { code: 'not_supervisor' };
    if (!(await supervises(db, actor.id, target.id))) return { code: 'not_in_team', targetSlackUserId: target.slackUserId };
  }
  if (!c.assignedWorkerId || c.assignedWorkerId === actor.id) return null;
  if (actor.role === 'supervisor' && (await supervises(db, actor.id, c.assignedWorkerId))) return null;
  return { code: 'assigned_elsewhere' };
}
