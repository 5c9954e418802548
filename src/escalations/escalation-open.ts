import { and, eq, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Deps } from '../deps.js';
import { inTransaction, type Db } from '../db/client.js';
import { cases } from '../db/schema.js';
import type { EscalationReason } from './escalations.repo.js';
import { chunked, eachChunk, openEscalationsBulk } from './escalations-bulk.repo.js';
import { intakeTeamHours, policyFromConfig } from './escalation-config.js';
import { followUpOverdue, isQuiet, unassignedIntakeDue, type PolicyConfig } from './policy.domain.js';
import { planCardRefreshMany } from '../cases/case-card-refresh.js';
import { scheduleAfterCommit, type DeliveryRow } from '../delivery/ledger.js';

/**
 * Find what needs an escalation now and open it (at most one open per case and
 * reason — the database guarantees it). Each kind of trouble opens once per
 * occurrence: an overdue follow-up once per follow-up date, a quiet case once
 * per silence, an unassigned intake once, a crisis once per flag.
 *
 * Set-based, because a sweep may find 10,000 cases at once: one finder query
 * per reason, the pure policy decides per case, then one INSERT … ON CONFLICT
 * DO NOTHING per chunk (the "once per occurrence" check is a NOT EXISTS in that
 * statement) and one multi-row audit insert for exactly the rows it created,
 * in the same transaction.
 */
const dt = (d: Date | null) => (d ? DateTime.fromJSDate(d, { zone: 'utc' }) : null);

/** Escalations opened per transaction (one INSERT and one audit INSERT each). */
const OPEN_CHUNK_SIZE = 1000;
/** Chunk transactions in flight at once (of the pool's connections); 1 = strictly one after another. */
export const SWEEP_PARALLEL = 3;

/** The columns the policy needs: no encrypted or unused columns are read. */
const finderColumns = {
  id: cases.id,
  status: cases.status,
  priority: cases.priority,
  openedAt: cases.openedAt,
  createdAt: cases.createdAt,
  lastNoteAt: cases.lastNoteAt,
  nextFollowUpAt: cases.nextFollowUpAt,
  followUpSetAt: cases.followUpSetAt,
};

/**
 * The four finder queries, exported so the benchmark EXPLAINs the very SQL the
 * sweep runs. Each predicate matches a partial index of migration 0002/0001:
 * overdue → cases_follow_up_due_idx, quiet → cases_quiet_idx (the expression
 * `coalesce(last_note_at, opened_at)` and `assigned_worker_id is not null`
 * exactly as in the index), unassigned → cases_unassigned_idx, crisis →
 * cases_crisis_idx. The quiet finder is bounded by the smallest threshold; the
 * pure rule then decides per priority.
 */
export function escalationFinders(db: Db, now: DateTime, policy: PolicyConfig) {
  const at = now.toJSDate();
  const quietBefore = now.minus({ days: Math.min(...Object.values(policy.quietThresholdsDays)) }).toJSDate();
  return {
    overdue: db
      .select(finderColumns)
      .from(cases)
      .where(and(eq(cases.status, 'open'), isNotNull(cases.nextFollowUpAt), lt(cases.nextFollowUpAt, at))),
    quiet: db
      .select(finderColumns)
      .from(cases)
      .where(and(eq(cases.status, 'open'), isNotNull(cases.assignedWorkerId), sql`coalesce(${cases.lastNoteAt}, ${cases.openedAt}) <= ${quietBefore}`)),
    unassigned: db
      .select(finderColumns)
      .from(cases)
      .where(and(eq(cases.status, 'open'), isNull(cases.assignedWorkerId))),
    crisis: db
      .select(finderColumns)
      .from(cases)
      .where(and(eq(cases.status, 'open'), eq(cases.crisis, true))),
  };
}

export interface OpenOptions {
  /** Escalations per transaction; tests make it small to cross chunk boundaries. */
  chunkSize?: number;
  /** Chunk transactions in flight at once (default SWEEP_PARALLEL). */
  parallel?: number;
}

export async function openDueEscalations(deps: Deps, opts: OpenOptions = {}): Promise<number> {
  const now = deps.clock.now();
  const policy = policyFromConfig(deps.config);
  const find = escalationFinders(deps.db, now, policy);
  const chunkSize = opts.chunkSize ?? OPEN_CHUNK_SIZE;

  // Decide per case (pure rules), then open chunk by chunk; chunks in case-id order, so concurrent sweeps insert
  // in one global order (no deadlock between them).
  const byCase = (a: { caseId: string }, b: { caseId: string }) => (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0);
  const tasks: Array<{ reason: EscalationReason; chunk: Array<{ caseId: string; since: Date | null }> }> = [];
  const plan = (reason: EscalationReason, due: Array<{ caseId: string; since: Date | null }>) => {
    for (const chunk of chunked(due.sort(byCase), chunkSize)) tasks.push({ reason, chunk });
  };
  const [overdue, quiet, unassigned, crises] = await Promise.all([find.overdue, find.quiet, find.unassigned, find.crisis]);

  plan(
    'follow_up_overdue',
    overdue
      .filter((c) =>
        followUpOverdue({ nextFollowUpAt: dt(c.nextFollowUpAt), lastNoteAt: dt(c.lastNoteAt), followUpSetAt: dt(c.followUpSetAt), status: c.status }, now),
      )
      .map((c) => ({ caseId: c.id, since: c.followUpSetAt ?? c.nextFollowUpAt })),
  );
  plan(
    'quiet_case',
    quiet
      .filter((c) =>
        isQuiet({ priority: c.priority, lastNoteAt: dt(c.lastNoteAt), openedAt: dt(c.openedAt)!, status: c.status }, now, policy.quietThresholdsDays),
      )
      .map((c) => ({ caseId: c.id, since: c.lastNoteAt ?? c.openedAt })),
  );
  const teamHours = intakeTeamHours(deps.config);
  plan(
    'unassigned_intake',
    unassigned
      .filter((c) => unassignedIntakeDue({ createdAt: dt(c.createdAt)!, assignedAt: null }, teamHours, policy.unassignedIntakeAfterWorkingHours, now).due)
      .map((c) => ({ caseId: c.id, since: c.createdAt })),
  );
  plan(
    'crisis',
    crises.map((c) => ({ caseId: c.id, since: null })),
  );

  const refresh: DeliveryRow[] = [];
  const counts = await eachChunk(tasks, opts.parallel ?? SWEEP_PARALLEL, ({ reason, chunk }) =>
    inTransaction(deps.db, async (tx) => {
      const created = await openEscalationsBulk(tx, reason, chunk, now);
      await deps.audit.recordMany(
        created.map((r) => ({
          actor: { type: 'system' as const },
          action: 'escalation.opened',
          caseId: r.caseId,
          subjectType: 'escalation',
          subjectId: r.id,
          details: { reason },
        })),
        tx,
      );
      // The cards and App Homes showing these cases pick up the escalation (issue 12: live cards).
      refresh.push(
        ...(await planCardRefreshMany(
          tx,
          created.map((r) => r.caseId),
          now,
        )),
      );
      return created.length;
    }),
  );
  await scheduleAfterCommit(deps, refresh);
  const opened = counts.reduce((a, b) => a + b, 0);
  return opened;
}
