import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { Deps } from '../deps.js';
import { caseAccessGrants, staff } from '../db/schema.js';
import type { StaffRow } from '../staff/staff.repo.js';
import type { CaseRow } from './cases.repo.js';

/**
 * Who may see and change a case, decided from PostgreSQL rows (never from what
 * a button or form claims):
 * - workers: their own cases;
 * - supervisors: their own, their team's (staff.supervisor_id = them) and unassigned intakes;
 * - admins: every case;
 * - anyone with an open access grant on the case (someone from another team
 *   who acknowledged a crisis on it, until the crisis is resolved).
 */
export async function supervises(db: Db, supervisorId: string, workerId: string): Promise<boolean> {
  const [row] = await db.select({ supervisorId: staff.supervisorId }).from(staff).where(eq(staff.id, workerId)).limit(1);
  return !!row && row.supervisorId === supervisorId;
}

export async function hasAccessGrant(db: Db, staffId: string, caseId: string): Promise<boolean> {
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
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
  const attempted = UUID.test(x.attempted) || REFERENCE.test(x.attempted) ? x.attempted : 'invalid';
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
