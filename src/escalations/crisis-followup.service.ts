import { and, eq, gte, isNull, sql } from 'drizzle-orm';
import type { DateTime } from 'luxon';
import { z } from 'zod';
import type { Db } from '../db/client.js';
import { caseAccessGrants, type cases, clients, deliveries, escalations, notes, type staff } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { canAccessByRole } from '../cases/case-access.js';
import { planDeliveries, type DeliveryRow } from '../delivery/ledger.js';
import { metrics } from '../lib/metrics.js';
import { staffEscalationEntry } from './escalation-audit.js';

/**
 * What follows the acknowledgement of a crisis (CASEWORK: the supervisor shares
 * responsibility; a crisis is followed through, not just answered):
 * - the acknowledger may open the case, even from another team (an access grant,
 *   audited, revoked when the crisis is resolved);
 * - a safety-plan note is due within CRISIS_SAFETY_PLAN_HOURS; if none is logged
 *   the crisis pages again up the tiers (policy.domain.ts crisisStep);
 * - a check-in message to the client is planned for the next day at
 *   CRISIS_CHECKIN_LOCAL_TIME in their zone, unless someone cancels it;
 * - the crisis resolves only when a worker or supervisor records its outcome.
 */
export const CRISIS_CHECKIN_KIND = 'crisis_checkin';

export const CRISIS_OUTCOMES = {
  client_safe: 'Client is safe now; plan in place',
  emergency_services: 'Emergency services involved',
  hospital: 'Client admitted to hospital',
  referred: 'Referred to a specialist service',
  not_reached: 'Could not reach the client (still worried)',
  other: 'Other (see note)',
} as const;
export type CrisisOutcome = keyof typeof CRISIS_OUTCOMES;

export interface CrisisFollowUp {
  safetyPlanDueAt: DateTime;
  checkinAt: DateTime | null;
  accessGranted: boolean;
}

type Esc = typeof escalations.$inferSelect;
type CaseRow = typeof cases.$inferSelect;
type StaffRow = typeof staff.$inferSelect;

/** The next day at `hhmm` in `zone`, as UTC. */
function nextDayAt(now: DateTime, zone: string, hhmm: string): DateTime {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return now.setZone(zone).plus({ days: 1 }).set({ hour: h, minute: m, second: 0, millisecond: 0 }).toUTC();
}

/** In the acknowledgement's transaction. Returns the follow-up and the ledger rows to schedule after commit. */
export async function followUpCrisis(
  deps: Deps,
  tx: Db,
  e: Esc,
  c: CaseRow,
  who: StaffRow,
  now: DateTime,
): Promise<{ followUp: CrisisFollowUp; rows: DeliveryRow[] }> {
  const safetyPlanDueAt = now.plus({ hours: deps.config.CRISIS_SAFETY_PLAN_HOURS });
  // A safety plan logged while the pages were still going counts.
  const [plan] = await tx
    .select({ id: notes.id })
    .from(notes)
    .where(and(eq(notes.caseId, c.id), eq(notes.kind, 'safety_plan'), gte(notes.createdAt, e.openedAt)))
    .limit(1);
  await tx
    .update(escalations)
    .set({ safetyPlanDueAt: safetyPlanDueAt.toJSDate(), safetyPlanNoteId: plan?.id ?? null, nextAt: plan ? null : safetyPlanDueAt.toJSDate() })
    .where(eq(escalations.id, e.id));
  let accessGranted = false;
  if (!(await canAccessByRole(tx, who, c))) {
    await tx
      .insert(caseAccessGrants)
      .values({ caseId: c.id, staffId: who.id, reason: 'crisis_acknowledged', escalationId: e.id, grantedAt: now.toJSDate() })
      .onConflictDoNothing();
    await deps.audit.record(staffEscalationEntry(who.id, 'case.access_granted', c.id, e.id, { reason: 'crisis_acknowledged' }), tx);
    accessGranted = true;
  }
  const [client] = await tx.select({ id: clients.id, timeZone: clients.timeZone }).from(clients).where(eq(clients.id, c.clientId)).limit(1);
  let checkinAt: DateTime | null = null;
  let rows: DeliveryRow[] = [];
  if (client) {
    checkinAt = nextDayAt(now, client.timeZone, deps.config.CRISIS_CHECKIN_LOCAL_TIME);
    rows = await planDeliveries(
      tx,
      [{ kind: CRISIS_CHECKIN_KIND, subjectId: e.id, recipient: `client:${client.id}`, channel: 'telegram', caseId: c.id, dueAt: checkinAt }],
      now,
    );
  }
  await deps.audit.record(
    staffEscalationEntry(who.id, 'crisis.follow_up_planned', c.id, e.id, {
      safetyPlanDueAt: safetyPlanDueAt.toUTC().toISO(),
      checkinAt: checkinAt?.toISO() ?? null,
      safetyPlanAlready: !!plan,
    }),
    tx,
  );
  metrics.crisisTimeToAcknowledge.observe(Math.max(0, now.toMillis() - e.openedAt.getTime()) / 1000);
  return { followUp: { safetyPlanDueAt, checkinAt, accessGranted }, rows };
}

/** A note of kind safety_plan answers the open, acknowledged crisis of its case (in the note's transaction). */
export async function attachSafetyPlan(deps: Deps, tx: Db, caseId: string, noteId: string, staffId: string): Promise<void> {
  const done = await tx
    .update(escalations)
    .set({ safetyPlanNoteId: noteId, nextAt: null, updatedAt: deps.clock.now().toJSDate() })
    .where(
      and(
        eq(escalations.caseId, caseId),
        eq(escalations.reason, 'crisis'),
        isNull(escalations.resolvedAt),
        isNull(escalations.safetyPlanNoteId),
        sql`${escalations.acknowledgedAt} is not null`,
      ),
    )
    .returning({ id: escalations.id });
  for (const d of done) await deps.audit.record(staffEscalationEntry(staffId, 'crisis.safety_plan_logged', caseId, d.id), tx);
}

/** [Cancel check-in]: the planned message to the client is skipped, with who and why in the ledger and audit. */
export async function cancelCrisisCheckin(deps: Deps, tx: Db, escalationId: string, caseId: string, staffId: string): Promise<number> {
  const now = deps.clock.now().toJSDate();
  const rows = await tx
    .update(deliveries)
    .set({ status: 'skipped', reason: 'cancelled_by_staff', updatedAt: now })
    .where(
      and(eq(deliveries.kind, CRISIS_CHECKIN_KIND), eq(deliveries.subjectId, escalationId), eq(deliveries.status, 'pending'), isNull(deliveries.claimToken)),
    )
    .returning({ id: deliveries.id });
  if (rows.length) await deps.audit.record(staffEscalationEntry(staffId, 'crisis.checkin_cancelled', caseId, escalationId), tx);
  return rows.length;
}

export const crisisOutcomeInput = z.object({
  outcome: z.enum(Object.keys(CRISIS_OUTCOMES) as [CrisisOutcome, ...CrisisOutcome[]], { error: 'Choose what happened.' }),
  note: z
    .string()
    .trim()
    .min(3, 'Please say in a few words what happened.')
    .max(2000, 'Please keep this under 2,000 characters; the full record belongs in a case note.'),
});

/** Resolve the crisis with its outcome (encrypted note), revoke the temporary access it gave. */
export async function resolveCrisis(deps: Deps, tx: Db, e: Esc, who: StaffRow, input: z.infer<typeof crisisOutcomeInput>): Promise<void> {
  const now = deps.clock.now().toJSDate();
  await tx
    .update(escalations)
    .set({
      resolvedAt: now,
      resolvedBy: who.id,
      outcome: input.outcome,
      nextAt: null,
      updatedAt: now,
      resolution: deps.cipher.encrypt(input.note, 'escalations.resolution'),
      ...(e.acknowledgedAt ? {} : { acknowledgedAt: now, acknowledgedBy: who.id }),
    })
    .where(and(eq(escalations.id, e.id), isNull(escalations.resolvedAt)));
  const revoked = await tx
    .update(caseAccessGrants)
    .set({ revokedAt: now })
    .where(and(eq(caseAccessGrants.escalationId, e.id), isNull(caseAccessGrants.revokedAt)))
    .returning({ staffId: caseAccessGrants.staffId });
  await deps.audit.record(staffEscalationEntry(who.id, 'crisis.resolved', e.caseId, e.id, { outcome: input.outcome, accessRevoked: revoked.length }), tx);
  if (!e.acknowledgedAt) metrics.crisisTimeToAcknowledge.observe(Math.max(0, now.getTime() - e.openedAt.getTime()) / 1000);
}
