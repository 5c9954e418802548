import { and, eq, gt, inArray, isNull, like, lt, or } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Db } from '../db/client.js';
import { appointments, deliveries } from '../db/schema.js';
import { planDeliveries, type DeliveryRow, type PlannedDelivery } from '../delivery/ledger.js';
import type { LedgerKind } from '../delivery/kinds/names.js';

/**
 * What follows a case to its new worker when it moves (a reassignment, a
 * handover, a hand-back, an undo): the worker's side of its future appointments, and the messages
 * already planned for the old worker about these cases that are still to go
 * (appointment reminders, the outcome question, a client's answer, a
 * follow-up nudge, a referral follow-up). Each such row is skipped for the
 * old worker ('handed_over') and the same message planned for the new one,
 * due at the same time; a row skipped that way earlier for the new worker
 * (the cases coming back) is simply made pending again, since the ledger
 * allows one row per message and recipient. The escalation ladder needs
 * nothing: it reads the case's worker at every step.
 */
const HANDED_OVER = 'handed_over';
const FOLLOWING_KINDS = ['appointment_reminder', 'outcome_question', 'appointment_response', 'follow_up_nudge', 'referral_followup'] as const;

export async function followNewWorker(tx: Db, caseIds: string[], fromId: string, toId: string, now: DateTime, leaseSeconds: number): Promise<DeliveryRow[]> {
  if (caseIds.length === 0) return [];
  const at = now.toJSDate();
  await tx
    .update(appointments)
    .set({ workerId: toId, updatedAt: at })
    .where(and(inArray(appointments.caseId, caseIds), eq(appointments.workerId, fromId), eq(appointments.status, 'scheduled'), gt(appointments.startsAt, at)));
  // A row being sent right now (live claim) finishes; the sender re-checks nothing about the worker, which is fine: it was due.
  const leaseCutoff = now.minus({ seconds: leaseSeconds }).toJSDate();
  const moved = await tx
    .update(deliveries)
    .set({ status: 'skipped', reason: HANDED_OVER, claimedAt: null, claimToken: null, updatedAt: at })
    .where(
      and(
        inArray(deliveries.caseId, caseIds),
        eq(deliveries.recipient, `staff:${fromId}`),
        eq(deliveries.status, 'pending'),
        or(...FOLLOWING_KINDS.map((k) => or(eq(deliveries.kind, k), like(deliveries.kind, `${k}.%`)))),
        or(isNull(deliveries.claimedAt), lt(deliveries.claimedAt, leaseCutoff)),
      ),
    )
    .returning();
  if (moved.length === 0) return [];
  const items: PlannedDelivery[] = moved.map((r) => ({
    kind: r.kind as LedgerKind, // a planned row's own kind, checked when it was planned
    subjectId: r.subjectId,
    version: r.version,
    recipient: `staff:${toId}`,
    channel: r.channel,
    caseId: r.caseId,
    dueAt: dtOf(r.dueAt),
    notBefore: r.notBefore ? dtOf(r.notBefore) : null,
  }));
  const planned = await planDeliveries(tx, items, now);
  const revive = planned.filter((r) => r.status === 'skipped' && r.reason === HANDED_OVER).map((r) => r.id);
  const revived = revive.length
    ? await tx.update(deliveries).set({ status: 'pending', reason: null, attempts: 0, updatedAt: at }).where(inArray(deliveries.id, revive)).returning()
    : [];
  const byId = new Map(revived.map((r) => [r.id, r]));
  return planned.map((r) => byId.get(r.id) ?? r).filter((r) => r.status === 'pending');
}

const dtOf = (d: Date) => DateTime.fromJSDate(d, { zone: 'utc' });
