import { inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { goals } from '../db/schema.js';
import { fourElements, type FourElements } from './case.domain.js';

/**
 * The four elements of a case read from its rows (no decryption: only
 * whether each value is there). The one way the case card, the weekly digest
 * and the supervision reports decide completeness: they all call
 * `elementsOfCase`, which applies the rule in `fourElements`.
 */
export interface GoalFlags {
  status: string;
  hasAssessment: boolean;
}

export function elementsOfCase(c: { planEnc: string | null; selfHelpFocusEnc: string | null }, goalFlags: GoalFlags[]): FourElements {
  return fourElements({ goals: goalFlags, hasPlan: !!c.planEnc, hasSelfHelp: !!c.selfHelpFocusEnc });
}

/** Goal flags for many cases in one query (chunked: a team's open cases). */
export async function goalFlagsByCase(db: Db, caseIds: string[]): Promise<Map<string, GoalFlags[]>> {
  const out = new Map<string, GoalFlags[]>();
  for (let i = 0; i < caseIds.length; i += 5000) {
    const ids = caseIds.slice(i, i + 5000);
    const rows = await db
      .select({ caseId: goals.caseId, status: goals.status, assessmentEnc: goals.assessmentEnc })
      .from(goals)
      .where(inArray(goals.caseId, ids));
    for (const r of rows) out.set(r.caseId, [...(out.get(r.caseId) ?? []), { status: r.status, hasAssessment: !!r.assessmentEnc }]);
  }
  return out;
}
