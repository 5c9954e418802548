import { and, asc, eq, inArray, isNull, lte } from 'drizzle-orm';
import type { DateTime } from 'luxon';
import type { Deps } from '../deps.js';
import { inTransaction, type Db } from '../db/client.js';
import { cases, clients, deliveries, handoverCases, handovers } from '../db/schema.js';
import { scheduleAfterCommit, planDeliveries, type DeliveryRow } from '../delivery/ledger.js';
import { canHandOver } from '../cases/case-access.js';
import { moveAssignment } from '../cases/case-assign.service.js';
import { claimInbound } from '../db/inbound-dedupe.js';
import type { CaseRow } from '../cases/cases.repo.js';
import type { CaseRefusal } from '../cases/case-refusals.js';
import { findStaffById, type StaffRow } from '../staff/staff.repo.js';
import type { Actor } from '../audit/audit.service.js';
import { earliestAllowedAtOrAfter } from '../lib/working-time.js';
import { followNewWorker } from '../cases/worker-follow.js';
import { handBackAt } from './handover.domain.js';
import type { HandoverRow } from './handover.read.js';

/**
 * Leave cover and handover (issue 17). A supervisor of both people (or an
 * admin) moves some or all of a worker's open cases to a colleague, in one
 * transaction: per case the assignment change (audited), the new worker's
 * case card and a handover packet in their DM, a notice to the client in their
 * language naming their new contact, and the worker's planned messages moved
 * along (src/cases/worker-follow.ts). With an until date the cases still
 * held by the colleague and still open go back on that date (`handBackDue`,
 * run by the maintenance.handover-tick job); `undoHandover` does the same at once.
 * Every outbound message is a ledger row, so a retry or a second run sends nothing twice.
 */
export const HANDOVER_PACKET_KIND = 'handover_packet' as const;
export const HANDOVER_NOTICE_KIND = 'handover_notice' as const;
/** Ledger versions of the client notice for one moved case. */
export const NOTICE_VERSION = { start: 1, back: 2 } as const;

export { openCasesOf, recentHandovers } from './handover.read.js';
/** In words (validation), or a code the platform words (CaseRefusal: it names someone). */
export type Refused = { ok: false; message: string } | ({ ok: false } & Extract<CaseRefusal, { code: 'target_inactive' }>);

const HANDOVER_REFUSED = 'Sorry, only an admin, or a supervisor of both people, can hand cases over.';

/** Who may hand @from's cases to @to; a refusal is audited (ids only). */
export async function checkHandover(deps: Deps, actor: StaffRow, from: StaffRow, to: StaffRow): Promise<Refused | null> {
  const refused = await refuseUnlessAllowed(deps, actor, from.id, to.id, 'start');
  if (refused) return refused;
  if (!to.active) return { ok: false, code: 'target_inactive', targetSlackUserId: to.slackUserId };
  if (from.id === to.id) return { ok: false, message: 'The two people must be different.' };
  return null;
}

async function refuseUnlessAllowed(
  deps: Deps,
  actor: StaffRow,
  fromId: string,
  toId: string,
  what: 'start' | 'undo',
  handoverId?: string,
): Promise<Refused | null> {
  if (await canHandOver(deps.db, actor, fromId, toId)) return null;
  await deps.audit.record({
    actor: { type: 'staff', id: actor.id },
    action: 'handover.refused',
    subjectType: handoverId ? 'handover' : 'staff',
    subjectId: handoverId ?? fromId,
    details: { what, from: fromId, to: toId },
  });
  return { ok: false, message: HANDOVER_REFUSED };
}

export interface StartInput {
  fromId: string;
  toId: string;
  untilOn: string | null;
  caseIds: string[];
  /** The modal submission's key: a double submit makes one handover. */
  dedupeKey?: string;
}

export type StartResult =
  | { ok: true; duplicate: false; handover: HandoverRow; moved: Array<{ id: string; reference: string }>; skipped: string[] }
  | { ok: true; duplicate: true }
  | Refused;

export async function startHandover(deps: Deps, actor: StaffRow, input: StartInput): Promise<StartResult> {
  const now = deps.clock.now();
  const [from, to] = [await findStaffById(deps.db, input.fromId), await findStaffById(deps.db, input.toId)];
  if (!from || !to) return { ok: false, message: 'One of the two people is no longer in the staff directory.' };
  const refusal = await checkHandover(deps, actor, from, to);
  if (refusal) return refusal;
  if (input.caseIds.length === 0) return { ok: false, message: 'Choose at least one case to hand over.' };
  const out = await inTransaction(deps.db, async (tx) => {
    if (input.dedupeKey && !(await claimInbound(tx, 'slack', input.dedupeKey, now.toJSDate())))
      return { r: { ok: true as const, duplicate: true as const }, rows: [] };
    const returnAt = input.untilOn ? handBackAt(input.untilOn, from) : null;
    const [h] = await tx
      .insert(handovers)
      .values({
        fromStaffId: from.id,
        toStaffId: to.id,
        createdBy: actor.id,
        untilOn: input.untilOn,
        returnAt: returnAt?.toJSDate() ?? null,
        createdAt: now.toJSDate(),
      })
      .returning();
    // Id order: two handovers touching the same cases lock them in one order.
    const locked = await tx
      .select()
      .from(cases)
      .where(inArray(cases.id, [...new Set(input.caseIds)]))
      .orderBy(asc(cases.id))
      .for('update');
    const movable = locked.filter((c) => c.status === 'open' && c.assignedWorkerId === from.id);
    const rows: DeliveryRow[] = [];
    const moved: Array<{ id: string; reference: string }> = [];
    for (const c of movable) {
      rows.push(...(await moveOne(deps, tx, c, h!, to.id, NOTICE_VERSION.start, now, { type: 'staff', id: actor.id }, 'case.handed_over')));
      moved.push({ id: c.id, reference: c.reference });
    }
    rows.push(
      ...(await followNewWorker(
        tx,
        movable.map((c) => c.id),
        from.id,
        to.id,
        now,
        deps.config.DELIVERY_CLAIM_LEASE_SECONDS,
      )),
    );
    await deps.audit.record(
      {
        actor: { type: 'staff', id: actor.id },
        action: 'handover.started',
        subjectType: 'handover',
        subjectId: h!.id,
        details: { from: from.id, to: to.id, until: input.untilOn, cases: moved.length, skipped: input.caseIds.length - moved.length },
      },
      tx,
    );
    const movedIds = new Set(moved.map((m) => m.id));
    return { r: { ok: true as const, duplicate: false as const, handover: h!, moved, skipped: input.caseIds.filter((id) => !movedIds.has(id)) }, rows };
  });
  await scheduleAfterCommit(deps, out.rows);
  return out.r;
}

/** One case changes hands: the assignment (audited, card to the new worker), the handover record, the packet and the client's notice. */
async function moveOne(
  deps: Deps,
  tx: Db,
  c: CaseRow,
  h: HandoverRow,
  toId: string,
  noticeVersion: number,
  now: DateTime,
  actor: Actor,
  action: string,
): Promise<DeliveryRow[]> {
  const { rows } = await moveAssignment(deps, tx, c, toId, now, { actor, action, details: { handover: h.id, previous: c.assignedWorkerId ?? null } });
  let hcId: string;
  if (noticeVersion === NOTICE_VERSION.start) {
    const [hc] = await tx.insert(handoverCases).values({ handoverId: h.id, caseId: c.id }).returning({ id: handoverCases.id });
    hcId = hc!.id;
    rows.push(
      ...(await planDeliveries(
        tx,
        [{ kind: HANDOVER_PACKET_KIND, subjectId: hcId, recipient: `staff:${toId}`, channel: 'slack', caseId: c.id, dueAt: now }],
        now,
      )),
    );
  } else {
    const [hc] = await tx
      .update(handoverCases)
      .set({ returnedAt: now.toJSDate() })
      .where(and(eq(handoverCases.handoverId, h.id), eq(handoverCases.caseId, c.id)))
      .returning({ id: handoverCases.id });
    hcId = hc!.id;
  }
  const notice = await clientNotice(tx, c, hcId, noticeVersion, now);
  if (notice) rows.push(...(await planDeliveries(tx, [notice], now)));
  return rows;
}

/**
 * The client's notice, due outside their quiet hours. A notice that the cases
 * came back goes only to a client who was told they had moved (an undo before
 * the first notice went out just leaves it unsent: it renders as superseded).
 */
async function clientNotice(tx: Db, c: CaseRow, hcId: string, version: number, now: DateTime) {
  if (version !== NOTICE_VERSION.start) {
    const [first] = await tx
      .select({ status: deliveries.status })
      .from(deliveries)
      .where(and(eq(deliveries.kind, HANDOVER_NOTICE_KIND), eq(deliveries.subjectId, hcId), eq(deliveries.version, NOTICE_VERSION.start)))
      .limit(1);
    if (first?.status !== 'sent') return null;
  }
  const [cl] = await tx
    .select({ id: clients.id, zone: clients.timeZone, qs: clients.quietHoursStart, qe: clients.quietHoursEnd })
    .from(clients)
    .where(eq(clients.id, c.clientId));
  if (!cl) return null;
  const dueAt = earliestAllowedAtOrAfter({ start: cl.qs, end: cl.qe, zone: cl.zone }, now).toUTC();
  return { kind: HANDOVER_NOTICE_KIND, subjectId: hcId, version, recipient: `client:${cl.id}` as const, channel: 'telegram' as const, caseId: c.id, dueAt };
}

export type EndResult = { ok: true; handover: HandoverRow; returned: string[]; stayed: string[] } | Refused;

/**
 * Move the cases of a handover back to their worker: those still held by the
 * covering worker and still open (a case closed or reassigned meanwhile stays
 * where it is). `undo` is a person's decision (checked like starting one);
 * `return` is the scheduled hand-back on the until date.
 */
export async function endHandover(deps: Deps, handoverId: string, how: { mode: 'undo'; actor: StaffRow } | { mode: 'return' }): Promise<EndResult> {
  const now = deps.clock.now();
  const [h0] = await deps.db.select().from(handovers).where(eq(handovers.id, handoverId)).limit(1);
  if (!h0) return { ok: false, message: `There is no handover ${handoverId.slice(0, 8)}….` };
  if (how.mode === 'undo') {
    const refused = await refuseUnlessAllowed(deps, how.actor, h0.fromStaffId, h0.toStaffId, 'undo', h0.id);
    if (refused) return refused;
  }
  const from = await findStaffById(deps.db, h0.fromStaffId);
  const actor: Actor = how.mode === 'undo' ? { type: 'staff', id: how.actor.id } : { type: 'system' };
  const out = await inTransaction(deps.db, async (tx) => {
    const [h] = await tx.select().from(handovers).where(eq(handovers.id, handoverId)).for('update');
    if (h?.status !== 'active')
      return { r: { ok: false as const, message: `That handover has already ended (${h?.status ?? 'unknown'}); nothing was moved.` }, rows: [] };
    const held = await tx
      .select({ c: cases })
      .from(handoverCases)
      .innerJoin(cases, eq(cases.id, handoverCases.caseId))
      .where(and(eq(handoverCases.handoverId, h.id), isNull(handoverCases.returnedAt)))
      .orderBy(asc(cases.id))
      .for('update', { of: cases });
    // The worker must still be in the directory to take their cases back.
    const back = from?.active ? held.filter(({ c }) => c.status === 'open' && c.assignedWorkerId === h.toStaffId).map(({ c }) => c) : [];
    const rows: DeliveryRow[] = [];
    for (const c of back)
      rows.push(
        ...(await moveOne(deps, tx, c, h, h.fromStaffId, NOTICE_VERSION.back, now, actor, how.mode === 'undo' ? 'case.handover_undone' : 'case.handed_back')),
      );
    rows.push(
      ...(await followNewWorker(
        tx,
        back.map((c) => c.id),
        h.toStaffId,
        h.fromStaffId,
        now,
        deps.config.DELIVERY_CLAIM_LEASE_SECONDS,
      )),
    );
    const status = how.mode === 'undo' ? ('undone' as const) : ('returned' as const);
    const [ended] = await tx
      .update(handovers)
      .set({ status, endedAt: now.toJSDate(), endedBy: how.mode === 'undo' ? how.actor.id : null })
      .where(eq(handovers.id, h.id))
      .returning();
    const backIds = new Set(back.map((c) => c.id));
    const stayed = held.filter(({ c }) => !backIds.has(c.id)).map(({ c }) => c.reference);
    await deps.audit.record(
      { actor, action: `handover.${status}`, subjectType: 'handover', subjectId: h.id, details: { returned: back.length, stayed: stayed.length } },
      tx,
    );
    return { r: { ok: true as const, handover: ended!, returned: back.map((c) => c.reference), stayed }, rows };
  });
  await scheduleAfterCommit(deps, out.rows);
  return out.r;
}

/** The hand-backs due by now (the maintenance.handover-tick job). Each is its own transaction; a failure leaves it for the next tick. */
export async function handBackDue(deps: Deps): Promise<{ returned: number; failed: number }> {
  const due = await deps.db
    .select({ id: handovers.id })
    .from(handovers)
    .where(and(eq(handovers.status, 'active'), lte(handovers.returnAt, deps.clock.now().toJSDate())))
    .orderBy(asc(handovers.returnAt));
  let returned = 0;
  let failed = 0;
  for (const { id } of due) {
    try {
      const r = await endHandover(deps, id, { mode: 'return' });
      if (r.ok) returned++;
    } catch (err) {
      failed++;
      deps.logger.error({ handover: id, err: (err as Error)?.message }, 'hand-back failed; the next tick tries again');
    }
  }
  return { returned, failed };
}
