import { and, eq, isNull } from 'drizzle-orm';
import type { DateTime } from 'luxon';
import type { Db } from '../db/client.js';
import { escalations, type ESCALATION_REASONS } from '../db/schema.js';

export type EscalationRow = typeof escalations.$inferSelect;
export type EscalationReason = (typeof ESCALATION_REASONS)[number];

/**
 * Open an escalation unless one is already open for (case, reason): the partial
 * unique index makes this safe under concurrency. Returns the open row and
 * whether this call created it.
 */
export async function openEscalation(
  tx: Db,
  input: { caseId: string; reason: EscalationReason; level?: number; nextAt?: DateTime | null },
  now: DateTime,
): Promise<{ row: EscalationRow; created: boolean }> {
  const at = now.toJSDate();
  const inserted = await tx
    .insert(escalations)
    .values({
      caseId: input.caseId,
      reason: input.reason,
      level: input.level ?? 0,
      openedAt: at,
      nextAt: input.nextAt === undefined ? at : (input.nextAt?.toJSDate() ?? null),
      createdAt: at,
      updatedAt: at,
    })
    .onConflictDoNothing()
    .returning();
  if (inserted[0]) return { row: inserted[0], created: true };
  const [existing] = await tx
    .select()
    .from(escalations)
    .where(and(eq(escalations.caseId, input.caseId), eq(escalations.reason, input.reason), isNull(escalations.resolvedAt)))
    .limit(1);
  if (!existing) throw new Error('escalation conflict without an open row');
  return { row: existing, created: false };
}
