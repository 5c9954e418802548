import { and, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import type { Deps } from '../deps.js';
import type { Db } from '../db/client.js';
import { appointments, type CASE_TYPES, cases, escalations, goals, notes } from '../db/schema.js';
import { APPOINTMENT_NOTICE_KIND } from '../appointments/appointments.service.js';
import { scheduleAfterCommit, planDeliveries, type DeliveryRow } from '../delivery/ledger.js';
import type { StaffRow } from '../staff/staff.repo.js';
import { AAD } from './case-aad.js';
import { type GOAL_OUTCOMES, PHASE_LABELS, phaseMove } from './case.domain.js';
import { type CloseInput, type GoalsPlanInput, validateClosure, validateGoalsPlan } from './case-plan.validation.js';
import { FieldRefusal, mutateCase, type Mutation } from './case-mutation.js';

/**
 * Goals & plan (the four elements), phase moves, and closure. Every change is
 * audited in its transaction; free text is encrypted with its column's AAD.
 */

export async function saveGoalsPlan(deps: Deps, actor: StaffRow, input: GoalsPlanInput): Promise<Mutation<{ goals: number }>> {
  const now = deps.clock.now();
  const errs = validateGoalsPlan(input, now.setZone(actor.timeZone).toISODate()!);
  if (errs.length) return { ok: false, message: errs[0]!.message, field: errs[0]!.field };
  return mutateCase(deps, actor, input.caseId, { dedupeKey: input.dedupeKey }, async (tx, c) => {
    const at = now.toJSDate();
    const existing = await tx.select().from(goals).where(eq(goals.caseId, c.id));
    const byId = new Map(existing.map((g) => [g.id, g]));
    let live = 0;
    for (const [i, g] of input.goals.entries()) {
      const description = g.description.trim();
      const assessmentEnc = deps.cipher.seal(g.assessment.trim() || null, AAD.goalAssessment);
      if (g.goalId) {
        const old = byId.get(g.goalId);
        // A goal id from the modal must belong to this case.
        if (!old) throw new FieldRefusal({ field: `goals[${i}].description`, message: 'This goal no longer exists; please reopen Goals & plan.' });
        if (!description) {
          await tx.update(goals).set({ status: 'dropped', updatedAt: at }).where(eq(goals.id, old.id));
          continue;
        }
        await tx
          .update(goals)
          .set({ descriptionEnc: deps.cipher.encrypt(description, AAD.goalDescription), assessmentEnc, targetDate: g.targetDate || null, updatedAt: at })
          .where(eq(goals.id, old.id));
        live++;
      } else if (description) {
        await tx.insert(goals).values({
          caseId: c.id,
          descriptionEnc: deps.cipher.encrypt(description, AAD.goalDescription),
          assessmentEnc,
          targetDate: g.targetDate || null,
          createdAt: at,
          updatedAt: at,
        });
        live++;
      }
    }
    await tx
      .update(cases)
      .set({
        planEnc: deps.cipher.seal(input.plan.trim() || null, AAD.plan),
        selfHelpFocusEnc: deps.cipher.seal(input.selfHelpFocus.trim() || null, AAD.selfHelp),
        type: (input.caseType as (typeof CASE_TYPES)[number] | null) ?? c.type,
        updatedAt: at,
      })
      .where(eq(cases.id, c.id));
    await deps.audit.record(
      { actor: { type: 'staff', id: actor.id }, action: 'case.plan_updated', caseId: c.id, details: { goals: live, type: input.caseType ?? c.type ?? null } },
      tx,
    );
    return { goals: live };
  });
}

export async function movePhase(
  deps: Deps,
  actor: StaffRow,
  input: { caseId: string; target: string; reason: string; dedupeKey: string },
): Promise<Mutation<{ from: string; to: string }>> {
  const now = deps.clock.now();
  return mutateCase(deps, actor, input.caseId, { dedupeKey: input.dedupeKey }, async (tx, c) => {
    const r = phaseMove(c.phase, input.target, input.reason);
    if (!r.ok) throw new FieldRefusal(r.error);
    await tx
      .update(cases)
      .set({ phase: input.target as typeof c.phase, updatedAt: now.toJSDate() })
      .where(eq(cases.id, c.id));
    const reason = input.reason.trim();
    let noteId: string | null = null;
    if (reason) {
      // The reason is part of the record (encrypted), not of the audit log.
      const [n] = await tx
        .insert(notes)
        .values({
          caseId: c.id,
          authorStaffId: actor.id,
          kind: 'system',
          contactAt: now.toJSDate(),
          createdAt: now.toJSDate(),
          bodyEnc: deps.cipher.encrypt(
            `Phase moved ${r.direction === 'back' ? 'back ' : ''}from ${PHASE_LABELS[c.phase]} to ${PHASE_LABELS[input.target]}: ${reason}`,
            AAD.noteBody,
          ),
        })
        .returning({ id: notes.id });
      noteId = n!.id;
    }
    await deps.audit.record(
      {
        actor: { type: 'staff', id: actor.id },
        action: 'case.phase_moved',
        caseId: c.id,
        ...(noteId ? { subjectType: 'note', subjectId: noteId } : {}),
        details: { from: c.phase, to: input.target, direction: r.direction },
      },
      tx,
    );
    return { from: c.phase, to: input.target };
  });
}

/**
 * Closing ends the service agreement: appointments still ahead are cancelled
 * in the same transaction (version bumped, so their reminders are skipped as
 * 'cancelled') and the client is told of each in their language, so nobody
 * comes to an appointment that no longer exists.
 */
export async function closeCase(deps: Deps, actor: StaffRow, input: CloseInput): Promise<Mutation<{ reference: string; cancelledAppointments: number }>> {
  const errs = validateClosure(input);
  if (errs.length) return { ok: false, message: errs[0]!.message, field: errs[0]!.field };
  const now = deps.clock.now();
  let notices: DeliveryRow[] = [];
  const res = await mutateCase(deps, actor, input.caseId, { dedupeKey: input.dedupeKey }, async (tx: Db, c) => {
    const at = now.toJSDate();
    const ids = input.outcomes.map((o) => o.goalId);
    // The form asked about the goals it showed: a goal added (or reopened) since, still active, has no outcome and the case must not close with it.
    const live = await tx
      .select({ id: goals.id, status: goals.status })
      .from(goals)
      .where(and(eq(goals.caseId, c.id), ne(goals.status, 'dropped')));
    const own = live.filter((g) => ids.includes(g.id));
    const unanswered = live.filter((g) => g.status === 'active' && !ids.includes(g.id));
    if (own.length !== ids.length || unanswered.length > 0)
      throw new FieldRefusal({
        field: 'evaluation',
        message: 'The goals changed while this was open; please close this form and open Close case again, so every goal gets an outcome.',
      });
    for (const o of input.outcomes)
      await tx
        .update(goals)
        .set({ status: o.outcome as (typeof GOAL_OUTCOMES)[number], updatedAt: at })
        .where(eq(goals.id, o.goalId));
    const detail = input.reasonDetail.trim();
    const evaluation = detail ? `${input.evaluation.trim()}\n\nClosure reason: ${detail}` : input.evaluation.trim();
    await tx
      .update(cases)
      .set({
        status: 'closed',
        phase: 'closed',
        closedAt: at,
        closureReason: input.reason,
        evaluationEnc: deps.cipher.encrypt(evaluation, AAD.evaluation),
        nextFollowUpAt: null,
        updatedAt: at,
      })
      .where(eq(cases.id, c.id));
    const cancelled = await tx
      .update(appointments)
      .set({ status: 'cancelled', version: sql`${appointments.version} + 1`, clientResponse: null, clientRespondedAt: null, updatedAt: at })
      .where(and(eq(appointments.caseId, c.id), eq(appointments.status, 'scheduled'), gt(appointments.startsAt, at)))
      .returning({ id: appointments.id, version: appointments.version });
    // A closed case has nothing left to escalate: its open escalations are resolved with it.
    const resolved = await tx
      .update(escalations)
      .set({ resolvedAt: at, resolvedBy: actor.id, resolution: 'case_closed', updatedAt: at })
      .where(and(eq(escalations.caseId, c.id), isNull(escalations.resolvedAt)))
      .returning({ id: escalations.id, reason: escalations.reason });
    notices = await planDeliveries(
      tx,
      cancelled.map((a) => ({
        kind: APPOINTMENT_NOTICE_KIND,
        subjectId: a.id,
        version: a.version,
        recipient: `client:${c.clientId}` as const,
        channel: 'telegram' as const,
        caseId: c.id,
        dueAt: now,
      })),
      now,
    );
    await deps.audit.recordMany(
      [
        ...cancelled.map((a) => ({
          actor: { type: 'staff' as const, id: actor.id },
          action: 'appointment.cancelled',
          caseId: c.id,
          subjectType: 'appointment',
          subjectId: a.id,
          details: { version: a.version, because: 'case_closed' },
        })),
        ...resolved.map((e) => ({
          actor: { type: 'staff' as const, id: actor.id },
          action: 'escalation.resolved',
          caseId: c.id,
          subjectType: 'escalation',
          subjectId: e.id,
          details: { reason: e.reason, resolution: 'case_closed' },
        })),
        {
          actor: { type: 'staff', id: actor.id },
          action: 'case.closed',
          caseId: c.id,
          details: { reason: input.reason, goals: ids.length, cancelledAppointments: cancelled.length },
        },
      ],
      tx,
    );
    return { reference: c.reference, cancelledAppointments: cancelled.length };
  });
  await scheduleAfterCommit(deps, notices);
  return res;
}
