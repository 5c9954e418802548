import { and, eq, inArray, isNull } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Deps } from '../deps.js';
import type { Db } from '../db/client.js';
import { cases, escalations, staff } from '../db/schema.js';
import { planDeliveries, scheduleDeliveries, type DeliveryRow, type PlannedDelivery, type Recipient } from '../delivery/ledger.js';
import { policyFromConfig, staffHours } from './escalation-config.js';
import { nextEscalationStep, shouldResolve, type EscalationTarget, type TargetWorkingHours } from './policy.domain.js';
import type { EscalationRow } from './escalations.repo.js';

/**
 * Move every open escalation one step: resolve it when the trouble is gone
 * (note logged, case closed, intake assigned), otherwise ask the pure policy
 * what is next and, when a notification is due, take that step exactly once
 * (an optimistic update on `notifications`, so two sweeps at once cannot both
 * notify) and plan its messages in the same transaction. Message version =
 * the notification's sequence number, so each step is one ledger row per recipient.
 */
const dt = (d: Date | null) => (d ? DateTime.fromJSDate(d, { zone: 'utc' }) : null);

export const KIND_FOR_TARGET: Record<EscalationTarget, string> = {
  worker: 'follow_up_nudge',
  supervisor: 'escalation',
  supervision_channel: 'escalation',
  oncall_supervisors: 'crisis_page',
};

export interface LadderResult {
  notified: number;
  resolved: number;
}

export async function advanceEscalations(deps: Deps): Promise<LadderResult> {
  const now = deps.clock.now();
  const policy = policyFromConfig(deps.config).escalation;
  const result: LadderResult = { notified: 0, resolved: 0 };
  const open = await deps.db.select({ e: escalations, c: cases }).from(escalations)
    .innerJoin(cases, eq(cases.id, escalations.caseId))
    .where(isNull(escalations.resolvedAt));
  const toSchedule: DeliveryRow[] = [];
  for (const { e, c } of open) {
    const resolve = shouldResolve({ reason: e.reason, lastNoteAt: dt(c.lastNoteAt), openedAt: dt(e.openedAt)!, caseStatus: c.status, assignedAt: dt(c.assignedAt) });
    if (resolve.resolve) {
      if (await resolveAutomatically(deps, e, resolve.why)) result.resolved++;
      continue;
    }
    const worker = c.assignedWorkerId ? await staffRow(deps.db, c.assignedWorkerId) : undefined;
    const supervisor = worker?.supervisorId ? await staffRow(deps.db, worker.supervisorId) : undefined;
    const hours: TargetWorkingHours = {
      ...(worker?.active ? { worker: staffHours(worker) } : {}),
      ...(supervisor?.active ? { supervisor: staffHours(supervisor) } : {}),
    };
    const step = nextEscalationStep({
      escalation: {
        reason: e.reason, level: e.level, openedAt: dt(e.openedAt)!, lastNotifiedAt: dt(e.lastNotifiedAt),
        acknowledgedAt: dt(e.acknowledgedAt), snoozedUntil: dt(e.snoozedUntil), resolvedAt: null,
      },
      policy, now, workingHours: hours,
    });
    if (step.action === 'none') {
      if (e.nextAt) await deps.db.update(escalations).set({ nextAt: null, updatedAt: now.toJSDate() }).where(eq(escalations.id, e.id));
      continue;
    }
    if (step.action === 'wait') {
      if (e.nextAt?.getTime() !== step.until.toMillis()) {
        await deps.db.update(escalations).set({ nextAt: step.until.toJSDate(), updatedAt: now.toJSDate() }).where(eq(escalations.id, e.id));
      }
      continue;
    }
    const recipients = await recipientsFor(deps, step.target, worker, supervisor);
    const rows = await deps.db.transaction(async (t) => {
      const tx = t as unknown as Db;
      const [taken] = await tx.update(escalations)
        .set({ level: step.level, lastNotifiedAt: now.toJSDate(), notifications: e.notifications + 1, nextAt: null, updatedAt: now.toJSDate() })
        .where(and(eq(escalations.id, e.id), eq(escalations.notifications, e.notifications), isNull(escalations.resolvedAt)))
        .returning();
      if (!taken) return [];
      await deps.audit.record({
        actor: { type: 'system' }, action: 'escalation.notified', caseId: e.caseId, subjectType: 'escalation', subjectId: e.id,
        details: { reason: e.reason, level: step.level, target: step.target, recipients: recipients.length, notification: taken.notifications },
      }, tx);
      const items: PlannedDelivery[] = recipients.map((r) => ({
        kind: KIND_FOR_TARGET[step.target], subjectId: e.id, version: taken.notifications, recipient: r,
        channel: 'slack', caseId: e.caseId, dueAt: now,
      }));
      return planDeliveries(tx, items, now);
    });
    if (rows.length) result.notified++;
    toSchedule.push(...rows);
  }
  await scheduleDeliveries(deps.queues, toSchedule, now);
  return result;
}

async function resolveAutomatically(deps: Deps, e: EscalationRow, why: string): Promise<boolean> {
  const now = deps.clock.now();
  return deps.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const [done] = await tx.update(escalations)
      .set({ resolvedAt: now.toJSDate(), resolution: why, nextAt: null, updatedAt: now.toJSDate() })
      .where(and(eq(escalations.id, e.id), isNull(escalations.resolvedAt)))
      .returning({ id: escalations.id });
    if (!done) return false;
    await deps.audit.record({ actor: { type: 'system' }, action: 'escalation.resolved', caseId: e.caseId, subjectType: 'escalation', subjectId: e.id, details: { reason: e.reason, why } }, tx);
    return true;
  });
}

type StaffRow = typeof staff.$inferSelect;

async function staffRow(db: Db, id: string): Promise<StaffRow | undefined> {
  const [s] = await db.select().from(staff).where(eq(staff.id, id)).limit(1);
  return s;
}

/**
 * Who hears about a step. Nobody is ever left out: a case with no worker goes
 * to the supervisors; a worker without an active supervisor escalates to every
 * supervisor; no supervision channel configured → the supervisors' DMs; nobody
 * on call → every supervisor.
 */
async function recipientsFor(deps: Deps, target: EscalationTarget, worker?: StaffRow, supervisor?: StaffRow): Promise<Recipient[]> {
  const supervisors = async (): Promise<Recipient[]> => {
    if (supervisor?.active) return [`staff:${supervisor.id}`];
    const all = await deps.db.select({ id: staff.id }).from(staff).where(and(eq(staff.active, true), inArray(staff.role, ['supervisor', 'admin'])));
    return all.map((s) => `staff:${s.id}` as const);
  };
  switch (target) {
    case 'worker':
      return worker?.active ? [`staff:${worker.id}`] : supervisors();
    case 'supervisor':
      return supervisors();
    case 'supervision_channel':
      return deps.config.SLACK_SUPERVISION_CHANNEL ? [`channel:${deps.config.SLACK_SUPERVISION_CHANNEL}`] : supervisors();
    case 'oncall_supervisors': {
      const oncall = await deps.db.select({ id: staff.id }).from(staff).where(and(eq(staff.active, true), eq(staff.onCall, true)));
      if (oncall.length) return oncall.map((s) => `staff:${s.id}` as const);
      const all = await deps.db.select({ id: staff.id }).from(staff).where(and(eq(staff.active, true), inArray(staff.role, ['supervisor', 'admin'])));
      return all.map((s) => `staff:${s.id}` as const);
    }
  }
}
