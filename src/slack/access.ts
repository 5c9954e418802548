import type { Db } from '../db/client.js';
import type { Deps } from '../deps.js';
import { canAccessCase, NO_CASE, recordAccessRefused, supervises } from '../cases/case-access.js';
import type { CaseRow } from '../cases/cases.repo.js';
import { findCaseById, findCaseByReference } from '../cases/cases.repo.js';
import { findActiveStaffBySlack, type StaffRow } from '../staff/staff.repo.js';

/**
 * Who may see and do what, decided on the server from PostgreSQL rows — never
 * from what a button value or a modal's private_metadata claims.
 * - workers: their own cases;
 * - supervisors: their own, their team's (staff.supervisor_id = them) and
 *   unassigned intakes (they assign them);
 * - admins: every case.
 * Anyone not in the directory (or removed from it) is refused politely.
 */
export const REFUSE = {
  notStaff: "Sorry, you're not in this service's staff directory, so I can't show or change anything here. Please ask an admin to add you (`/case staff add`).",
  role: (who: string) => `Sorry, only ${who}.`,
  closed: 'This case is closed; it can no longer be changed.',
  /**
   * Everywhere a case is looked up by reference or id for staff (commands,
   * buttons, modal metadata): a case that does not exist and one the asker may
   * not see get the very same words, so the answer does not tell anyone that a
   * reference or id is real (references are sequential: they could be counted).
   */
  unavailable: (ref = '') =>
    `I can't show case${ref ? ` ${ref}` : ''}: there is no such case among the ones you can see. Check the reference (it looks like C-2026-0042); if it is a colleague's case, ask your supervisor.`,
} as const;

export async function staffFor(db: Db, slackUserId: string | undefined): Promise<StaffRow | undefined> {
  if (!slackUserId) return undefined;
  return findActiveStaffBySlack(db, slackUserId);
}

// The rules live in the cases feature; re-exported for the Slack handlers.
export { canAccessCase, supervises } from '../cases/case-access.js';

export type CaseAccess = { ok: true; case: CaseRow } | { ok: false; message: string; field?: string };

export type CaseLookup = { id: string } | { reference: string };

/**
 * Load a case by id or reference and check the actor may use it. A missing
 * case is checked as if it were someone else's (NO_CASE: the same queries),
 * and both are refused with REFUSE.unavailable, audited ('case.access_refused')
 * and logged without personal data. `via` says where the lookup came from.
 */
export async function caseForActor(deps: Pick<Deps, 'db' | 'audit' | 'logger'>, actor: StaffRow, by: CaseLookup, via = 'slack'): Promise<CaseAccess> {
  const c = 'id' in by ? (/^[0-9a-f-]{36}$/i.test(by.id) ? await findCaseById(deps.db, by.id) : undefined) : await findCaseByReference(deps.db, by.reference);
  const allowed = await canAccessCase(deps.db, actor, c ?? NO_CASE);
  if (c && allowed) return { ok: true, case: c };
  const attempted = 'id' in by ? by.id : by.reference;
  await recordAccessRefused(deps, actor, { attempted, caseId: c?.id ?? null, via });
  return { ok: false, message: REFUSE.unavailable('reference' in by ? by.reference : ''), field: 'case' };
}

/** Assigning: anyone in the directory may take an unassigned case; reassigning needs the assignee's supervisor or an admin. */
export async function canAssign(db: Db, actor: StaffRow, c: Pick<CaseRow, 'assignedWorkerId'>, target: StaffRow): Promise<string | null> {
  if (!target.active) return `<@${target.slackUserId}> is no longer in the staff directory.`;
  if (actor.role === 'admin') return null;
  const selfTake = target.id === actor.id;
  if (!selfTake) {
    if (actor.role !== 'supervisor') return 'Sorry, only supervisors and admins can give a case to someone else. Use Assign to me to take it yourself.';
    if (!(await supervises(db, actor.id, target.id)))
      return `<@${target.slackUserId}> is not in your team; only their own supervisor or an admin can give them cases.`;
  }
  if (!c.assignedWorkerId || c.assignedWorkerId === actor.id) return null;
  if (actor.role === 'supervisor' && (await supervises(db, actor.id, c.assignedWorkerId))) return null;
  return 'This case is already assigned to someone else; only their supervisor or an admin can reassign it.';
}
