import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.js';
import { cases, staff } from '../db/schema.js';

/**
 * Caseload-aware assignment (issue 17): how many open cases each person
 * carries against CASELOAD_LIMIT. At or over the limit, a new case needs the
 * assigner's reason (stored encrypted in caseload_overrides, audited).
 */
export const overLimitReason = z
  .string()
  .trim()
  .min(3, 'Please say why this person should take it anyway (at least 3 characters).')
  .max(500, 'Please keep the reason under 500 characters.');

export const atOrOverLimit = (open: number, limit: number) => open >= limit;

export async function openCaseCounts(db: Db, staffIds: string[]): Promise<Map<string, number>> {
  if (staffIds.length === 0) return new Map();
  const rows = await db
    .select({ id: cases.assignedWorkerId, n: sql<number>`count(*)::int` })
    .from(cases)
    .where(and(eq(cases.status, 'open'), inArray(cases.assignedWorkerId, staffIds)))
    .groupBy(cases.assignedWorkerId);
  return new Map(rows.map((r) => [r.id!, Number(r.n)]));
}

export interface PickerEntry {
  slackUserId: string;
  name: string;
  open: number;
  atOrOver: boolean;
}

/** Everyone who can take a case, with their open caseload, by name (the intake card's picker). */
export async function assignablePicker(db: Db, limit: number): Promise<PickerEntry[]> {
  const people = await db
    .select()
    .from(staff)
    .where(and(eq(staff.active, true), inArray(staff.role, ['worker', 'supervisor'])))
    .orderBy(staff.displayName);
  const counts = await openCaseCounts(
    db,
    people.map((p) => p.id),
  );
  return people.map((p) => {
    const open = counts.get(p.id) ?? 0;
    return { slackUserId: p.slackUserId, name: p.displayName, open, atOrOver: atOrOverLimit(open, limit) };
  });
}
