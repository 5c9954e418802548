import { and, eq, isNull } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { inTransaction, type Db } from '../db/client.js';
import { cases, escalations, staff } from '../db/schema.js';
import { cancelCrisisCheckin, crisisOutcomeInput, followUpCrisis, resolveCrisis, type CrisisFollowUp } from './crisis-followup.service.js';
import { planCardRefresh } from '../cases/case-card-refresh.js';
import { scheduleAfterCommit, type DeliveryRow } from '../delivery/ledger.js';
import { staffEscalationEntry } from './escalation-audit.js';

/**
 * What a person does with an escalation from Slack: acknowledge, snooze (a
 * reason is required, stored encrypted), or — for a follow-up nudge — say no
 * follow-up is needed (reason required; clears the case's follow-up date and
 * resolves the escalation). Every action is audited in its transaction.
 * Results say plainly what happened so the Slack handler can show it.
 */
export type ActionResult =
  | { ok: true; status: 'acknowledged' | 'snoozed' | 'resolved' | 'already' | 'cancelled'; until?: DateTime; crisis?: CrisisFollowUp }
  | { ok: false; error: 'not_found' | 'resolved' | 'not_allowed' | 'invalid'; message: string };

const snoozeReason = z.string().trim().min(3, 'Please say why (at least 3 characters).').max(500, 'Please keep the reason under 500 characters.');

async function load(db: Db, id: string) {
  const [row] = await db
    .select({ e: escalations, c: cases })
    .from(escalations)
    .innerJoin(cases, eq(cases.id, escalations.caseId))
    .where(eq(escalations.id, id))
    .for('update', { of: escalations })
    .limit(1);
  return row;
}

async function actor(db: Db, staffId: string) {
  const [s] = await db
    .select()
    .from(staff)
    .where(and(eq(staff.id, staffId), eq(staff.active, true)))
    .limit(1);
  return s;
}

/** Supervisors and admins act on any escalation; a worker only on their own case's. */
function allowed(s: typeof staff.$inferSelect, c: typeof cases.$inferSelect): boolean {
  return s.role !== 'worker' || c.assignedWorkerId === s.id;
}

type Locked = { e: typeof escalations.$inferSelect; c: typeof cases.$inferSelect; who: typeof staff.$inferSelect; tx: Db };

/**
 * The part every action shares: in one transaction, lock the escalation, check
 * the person may act on it and that it is still open, then run the action.
 */
async function onOpenEscalation(
  deps: Deps,
  input: { escalationId: string; staffId: string },
  act: (l: Locked) => Promise<ActionResult>,
): Promise<ActionResult> {
  let refresh: DeliveryRow[] = [];
  const result = await inTransaction(deps.db, async (tx) => {
    const row = await load(tx, input.escalationId);
    if (!row) return notFound;
    const who = await actor(tx, input.staffId);
    if (!who || !allowed(who, row.c)) return denied;
    if (row.e.resolvedAt) return closed;
    const r = await act({ ...row, who, tx });
    // The case card and the App Homes listing open escalations show the change at once.
    if (r.ok && r.status !== 'already') refresh = await planCardRefresh(tx, row.c.id, deps.clock.now(), { alsoHome: [who.id] });
    return r;
  });
  await scheduleAfterCommit(deps, refresh);
  return result;
}

const notFound: ActionResult = { ok: false, error: 'not_found', message: 'This escalation no longer exists.' };
const closed: ActionResult = { ok: false, error: 'resolved', message: 'This has already been resolved; nothing more to do.' };
const denied: ActionResult = { ok: false, error: 'not_allowed', message: 'Only the assigned worker or a supervisor can do this.' };

export async function acknowledgeEscalation(deps: Deps, input: { escalationId: string; staffId: string }): Promise<ActionResult> {
  const now = deps.clock.now();
  let followUpRows: DeliveryRow[] = [];
  return onOpenEscalation(deps, input, async ({ tx, who, ...row }) => {
    if (row.e.acknowledgedAt) return { ok: true, status: 'already' };
    await tx
      .update(escalations)
      .set({ acknowledgedAt: now.toJSDate(), acknowledgedBy: who.id, nextAt: null, updatedAt: now.toJSDate() })
      .where(eq(escalations.id, row.e.id));
    await deps.audit.record(staffEscalationEntry(who.id, 'escalation.acknowledged', row.c.id, row.e.id, { reason: row.e.reason, level: row.e.level }), tx);
    if (row.e.reason !== 'crisis') return { ok: true, status: 'acknowledged' };
    const { followUp, rows } = await followUpCrisis(deps, tx, row.e, row.c, who, now);
    followUpRows = rows;
    return { ok: true, status: 'acknowledged', crisis: followUp };
  }).then((r) => {
    // After commit, in the background (the acknowledger's answer does not wait for Redis).
    void scheduleAfterCommit(deps, followUpRows);
    return r;
  });
}

/** [Cancel check-in] on an acknowledged crisis. */
export async function cancelCheckin(deps: Deps, input: { escalationId: string; staffId: string }): Promise<ActionResult> {
  return onOpenEscalation(deps, input, async ({ tx, who, ...row }) => {
    if (row.e.reason !== 'crisis') return denied;
    const n = await cancelCrisisCheckin(deps, tx, row.e.id, row.c.id, who.id);
    return n
      ? { ok: true, status: 'cancelled' }
      : { ok: false, error: 'resolved', message: 'There is no check-in waiting to go out (it was already sent or cancelled).' };
  });
}

/** [Record outcome]: the only way a crisis ends. */
export async function recordCrisisOutcome(deps: Deps, input: { escalationId: string; staffId: string; outcome: string; note: string }): Promise<ActionResult> {
  const parsed = crisisOutcomeInput.safeParse({ outcome: input.outcome, note: input.note });
  if (!parsed.success) return { ok: false, error: 'invalid', message: parsed.error.issues[0]!.message };
  return onOpenEscalation(deps, input, async ({ tx, who, ...row }) => {
    if (row.e.reason !== 'crisis') return denied;
    await resolveCrisis(deps, tx, row.e, who, parsed.data);
    return { ok: true, status: 'resolved' };
  });
}

/** `once`: a one-press snooze (the [Snooze 1 day] button) does nothing while the escalation is still snoozed, so a replay cannot push it on. */
export async function snoozeEscalation(
  deps: Deps,
  input: { escalationId: string; staffId: string; until: DateTime; reason: string; once?: boolean },
): Promise<ActionResult> {
  const reason = snoozeReason.safeParse(input.reason);
  if (!reason.success) return { ok: false, error: 'invalid', message: reason.error.issues[0]!.message };
  const now = deps.clock.now();
  if (!(input.until > now) || input.until > now.plus({ days: 30 })) return { ok: false, error: 'invalid', message: 'Choose a time in the next 30 days.' };
  return onOpenEscalation(deps, input, async ({ tx, who, ...row }) => {
    if (row.e.reason === 'crisis')
      return { ok: false, error: 'not_allowed', message: 'A crisis cannot be snoozed: please acknowledge it, or hand it to someone who can act now.' };
    if (input.once && row.e.snoozedUntil && row.e.snoozedUntil > now.toJSDate())
      return { ok: true, status: 'already', until: DateTime.fromJSDate(row.e.snoozedUntil) };
    await tx
      .update(escalations)
      .set({
        snoozedUntil: input.until.toJSDate(),
        snoozeReason: deps.cipher.encrypt(reason.data, 'escalations.snooze_reason'),
        nextAt: input.until.toJSDate(),
        updatedAt: now.toJSDate(),
      })
      .where(eq(escalations.id, row.e.id));
    await deps.audit.record(
      staffEscalationEntry(who.id, 'escalation.snoozed', row.c.id, row.e.id, { reason: row.e.reason, until: input.until.toUTC().toISO() }),
      tx,
    );
    return { ok: true, status: 'snoozed', until: input.until };
  });
}

/** "No follow-up needed — reason": the worker closes the nudge; the case keeps no follow-up date. */
export async function dismissFollowUp(deps: Deps, input: { escalationId: string; staffId: string; reason: string }): Promise<ActionResult> {
  const reason = snoozeReason.safeParse(input.reason);
  if (!reason.success) return { ok: false, error: 'invalid', message: reason.error.issues[0]!.message };
  const now = deps.clock.now();
  return onOpenEscalation(deps, input, async ({ tx, who, ...row }) => {
    if (row.e.reason === 'crisis') return denied;
    await tx
      .update(escalations)
      .set({
        resolvedAt: now.toJSDate(),
        resolvedBy: who.id,
        resolution: deps.cipher.encrypt(`no_follow_up_needed: ${reason.data}`, 'escalations.resolution'),
        nextAt: null,
        updatedAt: now.toJSDate(),
      })
      .where(and(eq(escalations.id, row.e.id), isNull(escalations.resolvedAt)));
    if (row.e.reason === 'follow_up_overdue') {
      await tx.update(cases).set({ nextFollowUpAt: null, updatedAt: now.toJSDate() }).where(eq(cases.id, row.c.id));
    }
    await deps.audit.record(staffEscalationEntry(who.id, 'escalation.resolved', row.c.id, row.e.id, { reason: row.e.reason, why: 'no_follow_up_needed' }), tx);
    return { ok: true, status: 'resolved' };
  });
}
