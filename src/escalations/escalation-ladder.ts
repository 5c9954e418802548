import { and, eq, inArray, isNull } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Deps } from '../deps.js';
import { inTransaction } from '../db/client.js';
import { cases, escalations } from '../db/schema.js';
import { scheduleAfterCommit, planDeliveries, type DeliveryRow, type PlannedDelivery, type Recipient } from '../delivery/ledger.js';
import type { DeliveryKindName } from '../delivery/kinds/names.js';
import { policyFromConfig, staffHours } from './escalation-config.js';
import { nextEscalationStep, shouldResolve, type EscalationStep, type EscalationTarget, type TargetWorkingHours } from './policy.domain.js';
import { RecipientDirectory } from './escalation-recipients.js';
import { chunked, eachChunk, resolveEscalationsBulk, setNextAtBulk, takeNotifications } from './escalations-bulk.repo.js';
import { SWEEP_PARALLEL } from './escalation-open.js';
import { escalationEntry } from './escalation-audit.js';

/**
 * Move every open escalation one step: resolve it when the trouble is gone
 * (note logged, case closed, intake assigned), otherwise ask the pure policy
 * what is next and, when a notification is due, take that step exactly once
 * (an optimistic update on `notifications`, so two sweeps at once cannot both
 * notify) and plan its messages in the same transaction. Message version =
 * the notification's sequence number, so each step is one ledger row per recipient.
 *
 * Set-based: the policy decides per escalation in memory, then each chunk of
 * due notifications is one transaction (take them in one UPDATE, one audit
 * insert, one planDeliveries) and its jobs are added in one addBulk after
 * commit; resolutions and `next_at` bookkeeping are one statement per chunk.
 */
const dt = (d: Date | null) => (d ? DateTime.fromJSDate(d, { zone: 'utc' }) : null);

const KIND_FOR_TARGET: Record<EscalationTarget, DeliveryKindName> = {
  worker: 'follow_up_nudge',
  supervisor: 'escalation',
  supervision_channel: 'escalation',
  oncall_supervisors: 'crisis_page',
};

/** Escalations per transaction. */
const LADDER_CHUNK_SIZE = 1000;
/** Ledger rows per planDeliveries statement (12 parameters each; PostgreSQL allows 65,535). */
const PLAN_ROWS_PER_STATEMENT = 2000;

export interface LadderResult {
  notified: number;
  resolved: number;
}

export interface LadderOptions {
  /** Escalations per transaction; tests make it small to cross chunk boundaries. */
  chunkSize?: number;
  /** Chunk transactions in flight at once (default SWEEP_PARALLEL). */
  parallel?: number;
  /** Called with the elapsed ms of each phase (the benchmark's split). */
  onPhase?: (phase: 'ladder.load' | 'ladder.decide' | 'ladder.notify', ms: number) => void;
  /** Only these escalations (a crisis just recorded: page-now.ts); default every open one. */
  only?: readonly string[];
  /** Called with each chunk's planned messages as soon as it has committed, before their jobs are added. */
  onPlanned?: (rows: DeliveryRow[]) => void;
}

interface Due {
  id: string;
  caseId: string;
  reason: string;
  notifications: number;
  level: number;
  /** When the step after this one is due (written with the notification). */
  nextAt: Date | null;
  target: EscalationTarget;
  recipients: Recipient[];
}

export async function advanceEscalations(deps: Deps, opts: LadderOptions = {}): Promise<LadderResult> {
  const now = deps.clock.now();
  const policy = policyFromConfig(deps.config).escalation;
  const chunkSize = opts.chunkSize ?? LADDER_CHUNK_SIZE;
  const result: LadderResult = { notified: 0, resolved: 0 };
  let t0 = performance.now();
  const phase = (name: Parameters<NonNullable<LadderOptions['onPhase']>>[0]) => {
    const t1 = performance.now();
    opts.onPhase?.(name, t1 - t0);
    t0 = t1;
  };

  const open = await deps.db
    .select({
      e: escalations,
      c: { status: cases.status, lastNoteAt: cases.lastNoteAt, assignedAt: cases.assignedAt, assignedWorkerId: cases.assignedWorkerId },
    })
    .from(escalations)
    .innerJoin(cases, eq(cases.id, escalations.caseId))
    .where(opts.only ? and(isNull(escalations.resolvedAt), inArray(escalations.id, [...opts.only])) : isNull(escalations.resolvedAt));
  // Id order: concurrent sweeps lock rows in one global order (see escalations-bulk.repo.ts).
  open.sort((a, b) => (a.e.id < b.e.id ? -1 : a.e.id > b.e.id ? 1 : 0));
  const dir = await RecipientDirectory.load(
    deps,
    open.flatMap(({ c }) => (c.assignedWorkerId ? [c.assignedWorkerId] : [])),
  );
  phase('ladder.load');

  const toResolve = new Map<string, Array<{ id: string; caseId: string; reason: string }>>();
  const nextAt: Array<{ id: string; nextAt: Date | null }> = [];
  const due: Due[] = [];
  const steps = new Map<string, EscalationStep>();
  for (const { e, c } of open) {
    const resolve = shouldResolve({
      reason: e.reason,
      lastNoteAt: dt(c.lastNoteAt),
      openedAt: dt(e.openedAt)!,
      caseStatus: c.status,
      assignedAt: dt(c.assignedAt),
    });
    if (resolve.resolve) {
      const list = toResolve.get(resolve.why) ?? [];
      if (!list.length) toResolve.set(resolve.why, list);
      list.push({ id: e.id, caseId: e.caseId, reason: e.reason });
      continue;
    }
    const worker = dir.staff(c.assignedWorkerId);
    const supervisor = dir.staff(worker?.supervisorId);
    // The step is a pure function of these inputs (staff rows are fixed for the sweep). Escalations opened
    // together for one worker share them, and working-time arithmetic in a zone is the costly part: compute once.
    const stepFor = (level: number, lastNotifiedAt: Date | null): EscalationStep => {
      const key = [
        e.reason,
        level,
        +e.openedAt,
        +(lastNotifiedAt ?? 0),
        +(e.acknowledgedAt ?? 0),
        +(e.snoozedUntil ?? 0),
        +(e.safetyPlanDueAt ?? 0),
        e.safetyPlanNoteId ? 1 : 0,
        worker?.active ? worker.id : '',
        supervisor?.active ? supervisor.id : '',
      ].join('|');
      let hit = steps.get(key);
      if (!hit) {
        const hours: TargetWorkingHours = {
          ...(worker?.active ? { worker: staffHours(worker) } : {}),
          ...(supervisor?.active ? { supervisor: staffHours(supervisor) } : {}),
        };
        hit = nextEscalationStep({
          escalation: {
            reason: e.reason,
            level,
            openedAt: dt(e.openedAt)!,
            lastNotifiedAt: dt(lastNotifiedAt),
            acknowledgedAt: dt(e.acknowledgedAt),
            snoozedUntil: dt(e.snoozedUntil),
            resolvedAt: null,
            safetyPlanDueAt: dt(e.safetyPlanDueAt),
            safetyPlanAt: e.safetyPlanNoteId ? dt(e.openedAt) : null,
          },
          policy,
          now,
          workingHours: hours,
        });
        steps.set(key, hit);
      }
      return hit;
    };
    const step = stepFor(e.level, e.lastNotifiedAt);
    if (step.action === 'none') {
      if (e.nextAt) nextAt.push({ id: e.id, nextAt: null });
    } else if (step.action === 'wait') {
      if (e.nextAt?.getTime() !== step.until.toMillis()) nextAt.push({ id: e.id, nextAt: step.until.toJSDate() });
    } else {
      const recipients =
        e.reason === 'crisis'
          ? await dir.crisisRecipients(policy.crisis.tiers[step.level]?.notify ?? ['oncall'], worker, supervisor, now)
          : await dir.recipients(step.target, worker, supervisor);
      // Record when the step after this one falls due, so the next sweep need not write it.
      const following = stepFor(step.level, now.toJSDate());
      const after = following.action === 'wait' ? following.until.toJSDate() : following.action === 'notify' ? following.dueAt.toJSDate() : null;
      due.push({
        id: e.id,
        caseId: e.caseId,
        reason: e.reason,
        notifications: e.notifications,
        level: step.level,
        nextAt: after,
        target: step.target,
        recipients,
      });
    }
  }
  phase('ladder.decide');

  // Each group's chunks touch disjoint escalations, so a few run at once (see eachChunk).
  const parallel = opts.parallel ?? SWEEP_PARALLEL;
  for (const [why, list] of toResolve) {
    for (const n of await eachChunk(chunked(list, chunkSize), parallel, (chunk) => resolveChunk(deps, chunk, why, now))) result.resolved += n;
  }
  await eachChunk(chunked(nextAt, chunkSize), parallel, (chunk) => setNextAtBulk(deps.db, chunk, now));
  const notified = await eachChunk(chunked(due, chunkSize), parallel, async (chunk) => {
    const { notified: n, rows } = await notifyChunk(deps, chunk, now);
    opts.onPlanned?.(rows);
    await scheduleAfterCommit(deps, rows); // after commit; the reconciler repairs a crash in between
    return n;
  });
  result.notified = notified.reduce((a, b) => a + b, 0);
  phase('ladder.notify');
  return result;
}

/** Resolve a chunk automatically, auditing exactly the escalations this sweep resolved. */
async function resolveChunk(deps: Deps, chunk: Array<{ id: string; caseId: string; reason: string }>, why: string, now: DateTime): Promise<number> {
  return inTransaction(deps.db, async (tx) => {
    const done = new Set(
      await resolveEscalationsBulk(
        tx,
        chunk.map((x) => x.id),
        why,
        now,
      ),
    );
    await deps.audit.recordMany(
      chunk.filter((x) => done.has(x.id)).map((x) => escalationEntry({ type: 'system' }, 'escalation.resolved', x.caseId, x.id, { reason: x.reason, why })),
      tx,
    );
    return done.size;
  });
}

/**
 * Take a chunk's notifications and plan their messages in one transaction.
 * Only the escalations this sweep took are audited and get ledger rows; the
 * rest were taken by a concurrent sweep (or resolved meanwhile).
 */
async function notifyChunk(deps: Deps, chunk: Due[], now: DateTime): Promise<{ notified: number; rows: DeliveryRow[] }> {
  return inTransaction(deps.db, async (tx) => {
    const taken = new Map((await takeNotifications(tx, chunk, now)).map((r) => [r.id, r.notifications]));
    const mine = chunk.filter((d) => taken.has(d.id));
    await deps.audit.recordMany(
      mine.map((d) =>
        escalationEntry({ type: 'system' }, 'escalation.notified', d.caseId, d.id, {
          reason: d.reason,
          level: d.level,
          target: d.target,
          recipients: d.recipients.length,
          notification: taken.get(d.id)!,
        }),
      ),
      tx,
    );
    const items: PlannedDelivery[] = mine.flatMap((d) =>
      d.recipients.map(
        (r): PlannedDelivery => ({
          kind: KIND_FOR_TARGET[d.target],
          subjectId: d.id,
          version: taken.get(d.id)!,
          recipient: r,
          channel: 'slack',
          caseId: d.caseId,
          dueAt: now,
        }),
      ),
    );
    const rows: DeliveryRow[] = [];
    for (const slice of chunked(items, PLAN_ROWS_PER_STATEMENT)) rows.push(...(await planDeliveries(tx, slice, now)));
    return { notified: mine.filter((d) => d.recipients.length > 0).length, rows };
  });
}
