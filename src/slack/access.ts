import type { Db } from '../db/client.js';
import type { Deps } from '../deps.js';
import { type CaseLookup, findCaseForActor } from '../cases/case-access.js';
import { CASE_REFUSAL_WORDS, type CaseRefusal } from '../cases/case-refusals.js';
import type { CaseRow } from '../cases/cases.repo.js';
import type { ReportRefusal } from '../reports/report.access.js';
import { findActiveStaffBySlack, type StaffRow } from '../staff/staff.repo.js';

/**
 * Who may see and do what is decided on the server from PostgreSQL rows, never
 * from what a button value or a modal's private_metadata claims; the rules live
 * in src/cases/case-access.ts and answer with codes (src/cases/case-refusals.ts).
 * This file gives those codes their words on Slack. Anyone not in the directory
 * (or removed from it) is refused politely.
 */
export const REFUSE = {
  notStaff: "Sorry, you're not in this service's staff directory, so I can't show or change anything here. Please ask an admin to add you (`/case staff add`).",
  role: (who: string) => `Sorry, only ${who}.`,
  ...CASE_REFUSAL_WORDS,
} as const;

/** The words for a refusal: a code with its data (see CaseRefusal), or a service's own message (validation). */
export function refusalText(r: CaseRefusal | { message: string }): string {
  if ('message' in r) return r.message;
  switch (r.code) {
    case 'unavailable':
      return REFUSE.unavailable(r.reference);
    case 'closed':
      return REFUSE.closed;
    case 'target_inactive':
      return `<@${r.targetSlackUserId}> is no longer in the staff directory.`;
    case 'not_supervisor':
      return 'Sorry, only supervisors and admins can give a case to someone else. Use Assign to me to take it yourself.';
    case 'not_in_team':
      return `<@${r.targetSlackUserId}> is not in your team; only their own supervisor or an admin can give them cases.`;
    case 'assigned_elsewhere':
      return 'This case is already assigned to someone else; only their supervisor or an admin can reassign it.';
    case 'over_limit': {
      const who = r.self ? 'You already have' : `<@${r.targetSlackUserId}> already has`;
      return `${who} ${r.open} open case${r.open === 1 ? '' : 's'} (the limit is ${r.limit}). Assigning ${r.reference} needs a reason.`;
    }
  }
}

/** The words for a refused report (src/reports/report.access.ts). */
export function reportRefusalText(r: ReportRefusal): string {
  switch (r.code) {
    case 'own_only':
      return "Sorry, a worker can see only their own report (`/case report`). Your supervisor can see the team's.";
    case 'not_in_directory':
      return `<@${r.targetSlackUserId}> is not in the staff directory.`;
    case 'not_in_team':
      return `Sorry, <@${r.targetSlackUserId}> is not in your team; only their own supervisor or an admin can see their report.`;
    case 'team_needs_supervisor':
      return "Sorry, only supervisors (for their team) and admins can see a team's report. `/case report` shows your own.";
    case 'all_needs_admin':
      return 'Sorry, only admins can see the whole agency; `/case report team` shows your team.';
  }
}

export async function staffFor(db: Db, slackUserId: string | undefined): Promise<StaffRow | undefined> {
  if (!slackUserId) return undefined;
  return findActiveStaffBySlack(db, slackUserId);
}

// The rules live in the cases feature; re-exported for the Slack handlers.
export { canAccessCase } from '../cases/case-access.js';
export type { CaseLookup } from '../cases/case-access.js';

export type CaseAccess = { ok: true; case: CaseRow } | { ok: false; message: string; field?: string };

/**
 * Load a case by id or reference for a Slack handler (findCaseForActor: a
 * missing case and someone else's are refused alike, audited and logged), with
 * the refusal in words, on the modal's 'case' field.
 */
export async function caseForActor(deps: Pick<Deps, 'db' | 'audit' | 'logger'>, actor: StaffRow, by: CaseLookup, via = 'slack'): Promise<CaseAccess> {
  const r = await findCaseForActor(deps, actor, by, via);
  return r.ok ? r : { ok: false, message: refusalText(r), field: 'case' };
}
