/**
 * Why a staff member's request about a case was refused, as a code and the
 * data the words need. The rules decide the code (cases/, handover/); the
 * platform turns it into words (src/slack/access.ts: refusalText), so mentions and
 * Slack formatting stay on the Slack side.
 */
export type CaseRefusal =
  /** No such case, or one the asker may not see: the same answer for both (see findCaseForActor). */
  | { code: 'unavailable'; reference?: string }
  | { code: 'closed' }
  /** The person a case would go to has left the directory. */
  | { code: 'target_inactive'; targetSlackUserId: string }
  /** A worker tried to give a case to someone else. */
  | { code: 'not_supervisor' }
  /** A supervisor tried to give a case to someone outside their team. */
  | { code: 'not_in_team'; targetSlackUserId: string }
  /** The case has another worker, and the asker is neither their supervisor nor an admin. */
  | { code: 'assigned_elsewhere' }
  /** The target carries CASELOAD_LIMIT or more open cases: a reason is needed. */
  | { code: 'over_limit'; self: boolean; targetSlackUserId: string; open: number; limit: number; reference: string };

/**
 * The plain words (no platform formatting) for the two refusals every case
 * change can end in. They travel with the code in a `Mutation` refusal, because
 * services return them to callers that are not a platform too (imports, tests);
 * src/slack/access.ts exposes them as REFUSE.unavailable and REFUSE.closed.
 */
export const CASE_REFUSAL_WORDS = {
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
