import { and, asc, desc, eq, inArray, or, sql } from 'drizzle-orm';
import type { Deps } from '../deps.js';
import type { Db } from '../db/client.js';
import { cases, handovers } from '../db/schema.js';
import type { CaseRow } from '../cases/cases.repo.js';
import type { StaffRow } from '../staff/staff.repo.js';

/** What the handover screen reads: a worker's open cases, recent handovers. */

export type HandoverRow = typeof handovers.$inferSelect;

/** @from's open cases, oldest first (what the handover modal offers). */
export async function openCasesOf(db: Db, workerId: string): Promise<Array<Pick<CaseRow, 'id' | 'reference' | 'phase' | 'priority' | 'crisis'>>> {
  return db
    .select({ id: cases.id, reference: cases.reference, phase: cases.phase, priority: cases.priority, crisis: cases.crisis })
    .from(cases)
    .where(and(eq(cases.assignedWorkerId, workerId), eq(cases.status, 'open')))
    .orderBy(asc(cases.openedAt));
}

/** Recent handovers the asker may see: all for an admin, those involving their team (or them) for a supervisor. */
export async function recentHandovers(deps: Deps, actor: StaffRow, teamIds: string[]): Promise<Array<HandoverRow & { cases: number }>> {
  const people = [actor.id, ...teamIds];
  const rows = await deps.db
    .select({ h: handovers, n: sql<number>`(select count(*)::int from handover_cases hc where hc.handover_id = ${handovers.id})` })
    .from(handovers)
    .where(actor.role === 'admin' ? sql`true` : or(inArray(handovers.fromStaffId, people), inArray(handovers.toStaffId, people)))
    .orderBy(desc(handovers.createdAt))
    .limit(20);
  return rows.map((r) => ({ ...r.h, cases: r.n }));
}
