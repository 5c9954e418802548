import { and, eq, inArray, isNull, lte, ne } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { DateTime } from 'luxon';
import { z } from 'zod';
import { inTransaction, type Db } from '../db/client.js';
import { cases, clients, erasureRequests, staff } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { scheduleAfterCommit, planDeliveries, type DeliveryRow, type Recipient } from '../delivery/ledger.js';
import { erasureRunJob } from '../jobs/erasure-run.job.js';
import { isUuid } from '../lib/uuid.js';

/**
 * Erasure requests: opened by the client (/forget) or by staff on their
 * behalf; decided by the case's supervisor ([Erase now] / [Hold — reason
 * required]); climbing a ladder when nobody decides before the deadline:
 * level 0 the case's supervisor(s), level 1 the supervision channel
 * (ERASURE_WARN_DAYS_BEFORE days before the deadline), level 2 every admin
 * (at the deadline). A hold comes back for review after ERASURE_HOLD_REVIEW_DAYS.
 */
export type ErasureRow = typeof erasureRequests.$inferSelect;
export const ERASURE_REQUEST_KIND = 'erasure_request';
const HOLD_REASON_AAD = 'erasure_requests.hold_reason';

const holdReason = z
  .string()
  .trim()
  .min(3, 'Please say why the data must be kept (at least 3 characters).')
  .max(1000, 'Please keep the reason under 1,000 characters.');

export type Requester = { type: 'client' } | { type: 'staff'; staffId: string };

/** Open (or return the unfinished) request for this client, and plan the first notices. Call inside the caller's transaction. */
export async function openErasureRequest(
  deps: Deps,
  tx: Db,
  clientId: string,
  by: Requester,
  now: DateTime,
): Promise<{ request: ErasureRow; created: boolean; rows: DeliveryRow[] }> {
  const [existing] = await tx
    .select()
    .from(erasureRequests)
    .where(and(eq(erasureRequests.clientId, clientId), ne(erasureRequests.status, 'done')))
    .limit(1);
  if (existing) return { request: existing, created: false, rows: [] };
  const [request] = await tx
    .insert(erasureRequests)
    .values({
      clientId,
      requestedAt: now.toJSDate(),
      requestedBy: by.type,
      requestedByStaffId: by.type === 'staff' ? by.staffId : null,
      dueAt: now.plus({ days: deps.config.ERASURE_DEADLINE_DAYS }).toJSDate(),
      createdAt: now.toJSDate(),
      updatedAt: now.toJSDate(),
    })
    .onConflictDoNothing()
    .returning();
  if (!request) {
    // Another request for the same client won the race: that one stands.
    const [other] = await tx
      .select()
      .from(erasureRequests)
      .where(and(eq(erasureRequests.clientId, clientId), ne(erasureRequests.status, 'done')))
      .limit(1);
    return { request: other!, created: false, rows: [] };
  }
  await deps.audit.record(
    {
      actor: by.type === 'staff' ? { type: 'staff', id: by.staffId } : { type: 'client', id: clientId },
      action: 'client.erasure_request_opened',
      subjectType: 'erasure_request',
      subjectId: request.id,
      details: { by: by.type },
    },
    tx,
  );
  const rows = await planNotices(deps, tx, request, 0, now);
  return { request, created: true, rows };
}

/** Staff asks on the client's behalf (`/case C-… erase`): messages to the client stop, and the request goes to the supervisor. */
export async function requestErasureByStaff(deps: Deps, staffId: string, caseId: string): Promise<{ request: ErasureRow; created: boolean }> {
  const now = deps.clock.now();
  const res = await inTransaction(deps.db, async (tx) => {
    const [c] = await tx.select({ clientId: cases.clientId }).from(cases).where(eq(cases.id, caseId));
    await tx
      .update(clients)
      .set({ erasureRequestedAt: now.toJSDate(), updatedAt: now.toJSDate() })
      .where(and(eq(clients.id, c!.clientId), isNull(clients.erasureRequestedAt)));
    await deps.audit.record(
      {
        actor: { type: 'staff', id: staffId },
        action: 'client.erasure_requested',
        caseId,
        subjectType: 'client',
        subjectId: c!.clientId,
        details: { on_behalf: true },
      },
      tx,
    );
    return openErasureRequest(deps, tx, c!.clientId, { type: 'staff', staffId }, now);
  });
  await scheduleAfterCommit(deps, res.rows);
  return { request: res.request, created: res.created };
}

/** Who hears about a request at a level. Nobody is left out: with no supervisor to ask, every supervisor and admin is. */
async function noticeRecipients(deps: Pick<Deps, 'config'>, db: Db, clientId: string, level: number): Promise<Recipient[]> {
  const active = (roles: Array<'supervisor' | 'admin'>) =>
    db
      .select({ id: staff.id })
      .from(staff)
      .where(and(eq(staff.active, true), inArray(staff.role, roles)));
  const channels = (): Recipient[] =>
    [deps.config.SLACK_SUPERVISION_CHANNEL, deps.config.SLACK_INTAKE_CHANNEL]
      .filter((c): c is string => !!c)
      .slice(0, 1)
      .map((c) => `channel:${c}` as const);
  // No supervisor or admin in the directory yet: a channel staff read, rather than nobody.
  const all = async (): Promise<Recipient[]> => {
    const list = (await active(['supervisor', 'admin'])).map((s) => `staff:${s.id}` as const);
    return list.length ? list : channels();
  };
  if (level >= 2) {
    const admins = await active(['admin']);
    return admins.length ? admins.map((s) => `staff:${s.id}` as const) : all();
  }
  if (level === 1) {
    const ch = deps.config.SLACK_SUPERVISION_CHANNEL;
    return ch ? [`channel:${ch}`] : all();
  }
  const w = alias(staff, 'w');
  const sup = await db
    .selectDistinct({ id: staff.id })
    .from(cases)
    .innerJoin(w, eq(w.id, cases.assignedWorkerId))
    .innerJoin(staff, eq(staff.id, w.supervisorId))
    .where(and(eq(cases.clientId, clientId), eq(staff.active, true)));
  return sup.length ? sup.map((s) => `staff:${s.id}` as const) : all();
}

async function planNotices(deps: Deps, tx: Db, r: ErasureRow, level: number, now: DateTime): Promise<DeliveryRow[]> {
  const to = await noticeRecipients(deps, tx, r.clientId, level);
  return planDeliveries(
    tx,
    to.map((recipient) => ({
      kind: ERASURE_REQUEST_KIND,
      subjectId: r.id,
      version: r.noticeVersion,
      recipient,
      channel: 'slack' as const,
      dueAt: now,
    })),
    now,
  );
}

/** May this staff member decide? Admins; supervisors of the client's worker (or of an unassigned case); any supervisor once escalated. */
async function mayDecide(db: Db, me: typeof staff.$inferSelect, r: ErasureRow): Promise<boolean> {
  if (!me.active) return false;
  if (me.role === 'admin') return true;
  if (me.role !== 'supervisor') return false;
  if (r.level >= 1) return true;
  const list = await db
    .select({ worker: cases.assignedWorkerId, sup: staff.supervisorId })
    .from(cases)
    .leftJoin(staff, eq(staff.id, cases.assignedWorkerId))
    .where(eq(cases.clientId, r.clientId));
  return list.some((c) => !c.worker || c.sup === me.id);
}

export type Decision = { ok: true; status: 'approved' | 'held' | 'already'; reviewAt?: Date } | { ok: false; message: string; field?: string };

/** [Erase now] or a hold (reason required). The erasure job is queued after commit. */
export async function decideErasure(
  deps: Deps,
  input: { requestId: string; staffId: string; decision: 'erase' } | { requestId: string; staffId: string; decision: 'hold'; reason: string },
): Promise<Decision> {
  const now = deps.clock.now();
  let reason: string | undefined;
  if (input.decision === 'hold') {
    const p = holdReason.safeParse(input.reason);
    if (!p.success) return { ok: false, field: 'reason', message: p.error.issues[0]!.message };
    reason = p.data;
  }
  // A button value is whatever the request says: anything but an id is no request (not a database error).
  if (!isUuid(input.requestId)) return { ok: false, message: 'This erasure request no longer exists.' };
  const res = await inTransaction(deps.db, async (tx): Promise<Decision> => {
    const [r] = await tx.select().from(erasureRequests).where(eq(erasureRequests.id, input.requestId)).for('update');
    if (!r) return { ok: false, message: 'This erasure request no longer exists.' };
    const [me] = await tx.select().from(staff).where(eq(staff.id, input.staffId));
    if (!me || !(await mayDecide(tx, me, r)))
      return { ok: false, message: "Sorry, only the supervisor of this client's worker (or an admin) can decide on this erasure request." };
    if (r.status === 'approved' || r.status === 'erasing' || r.status === 'done') return { ok: true, status: 'already' };
    const at = now.toJSDate();
    if (input.decision === 'erase') {
      await tx
        .update(erasureRequests)
        .set({ status: 'approved', decidedBy: me.id, decidedAt: at, holdReasonEnc: null, holdReviewAt: null, updatedAt: at })
        .where(eq(erasureRequests.id, r.id));
      await deps.audit.record({ actor: { type: 'staff', id: me.id }, action: 'client.erasure_approved', subjectType: 'erasure_request', subjectId: r.id }, tx);
      return { ok: true, status: 'approved' };
    }
    const reviewAt = now.plus({ days: deps.config.ERASURE_HOLD_REVIEW_DAYS }).toJSDate();
    await tx
      .update(erasureRequests)
      .set({
        status: 'held',
        decidedBy: me.id,
        decidedAt: at,
        holdReasonEnc: deps.cipher.encrypt(reason!, HOLD_REASON_AAD),
        holdReviewAt: reviewAt,
        updatedAt: at,
      })
      .where(eq(erasureRequests.id, r.id));
    await deps.audit.record(
      {
        actor: { type: 'staff', id: me.id },
        action: 'client.erasure_held',
        subjectType: 'erasure_request',
        subjectId: r.id,
        details: { review_at: reviewAt.toISOString() },
      },
      tx,
    );
    return { ok: true, status: 'held', reviewAt };
  });
  if (res.ok && res.status === 'approved') await deps.queues.add(erasureRunJob, { requestId: input.requestId });
  return res;
}

/** The level an undecided request should be at now. */
function dueLevel(r: Pick<ErasureRow, 'dueAt'>, warnDays: number, now: DateTime): number {
  const due = r.dueAt.getTime();
  if (now.toMillis() >= due) return 2;
  if (now.toMillis() >= due - warnDays * 86_400_000) return 1;
  return 0;
}

/**
 * The periodic pass: holds due for review come back to the supervisor;
 * undecided requests climb the ladder; approved ones whose job went missing
 * (or that wait for the client's confirmation) are queued again.
 */
export async function erasureTick(deps: Deps): Promise<{ reviewed: number; escalated: number; resumed: number }> {
  const now = deps.clock.now();
  const at = now.toJSDate();
  let reviewed = 0;
  let escalated = 0;
  const planned: DeliveryRow[] = [];
  const held = await deps.db
    .select({ id: erasureRequests.id })
    .from(erasureRequests)
    .where(and(eq(erasureRequests.status, 'held'), lte(erasureRequests.holdReviewAt, at)))
    .limit(deps.config.RETENTION_BATCH_SIZE);
  const pending = await deps.db.select().from(erasureRequests).where(eq(erasureRequests.status, 'pending')).limit(5000);
  const climbing = pending.filter((r) => dueLevel(r, deps.config.ERASURE_WARN_DAYS_BEFORE, now) > r.level);
  for (const { id } of [...held, ...climbing]) {
    await inTransaction(deps.db, async (tx) => {
      const [r] = await tx.select().from(erasureRequests).where(eq(erasureRequests.id, id)).for('update');
      if (!r) return;
      if (r.status === 'held' && r.holdReviewAt && r.holdReviewAt <= at) {
        const [next] = await tx
          .update(erasureRequests)
          .set({ status: 'pending', level: 0, noticeVersion: r.noticeVersion + 1, holdReviewAt: null, updatedAt: at })
          .where(eq(erasureRequests.id, r.id))
          .returning();
        await deps.audit.record({ actor: { type: 'system' }, action: 'client.erasure_hold_review_due', subjectType: 'erasure_request', subjectId: r.id }, tx);
        planned.push(...(await planNotices(deps, tx, next!, 0, now)));
        reviewed++;
        return;
      }
      const level = dueLevel(r, deps.config.ERASURE_WARN_DAYS_BEFORE, now);
      if (r.status !== 'pending' || level <= r.level) return;
      const [next] = await tx
        .update(erasureRequests)
        .set({ level, noticeVersion: r.noticeVersion + 1, updatedAt: at })
        .where(eq(erasureRequests.id, r.id))
        .returning();
      await deps.audit.record(
        { actor: { type: 'system' }, action: 'client.erasure_escalated', subjectType: 'erasure_request', subjectId: r.id, details: { level } },
        tx,
      );
      planned.push(...(await planNotices(deps, tx, next!, level, now)));
      escalated++;
    });
  }
  await scheduleAfterCommit(deps, planned);
  const started = await deps.db
    .select({ id: erasureRequests.id })
    .from(erasureRequests)
    .where(inArray(erasureRequests.status, ['approved', 'erasing']));
  for (const r of started) await deps.queues.add(erasureRunJob, { requestId: r.id });
  return { reviewed, escalated, resumed: started.length };
}
