import { and, eq, gt, inArray, isNull, min } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Deps } from '../deps.js';
import { appointments, cases, escalations, staff } from '../db/schema.js';
import { policyFromConfig } from '../escalations/escalation-config.js';
import type { StaffRow } from '../staff/staff.repo.js';
import { sortCaseload, type CaseloadItem, type UrgencyKind } from './case.domain.js';

/**
 * Caseload queries for App Home and `/case`: a worker's open cases, most
 * urgent first (overdue follow-ups, quiet cases, upcoming appointments);
 * for supervisors, their team per worker and the open escalations.
 * Ids, references and dates only: no client text in lists.
 */
export interface CaseloadEntry extends CaseloadItem {
  reference: string;
  phase: string;
  category: string;
  crisis: boolean;
  assignedWorkerId: string | null;
  urgency: UrgencyKind;
}

const dt = (d: Date | null) => (d ? DateTime.fromJSDate(d, { zone: 'utc' }) : null);

export async function caseloadOf(deps: Deps, workerIds: string[], opts: { unassigned?: boolean } = {}): Promise<CaseloadEntry[]> {
  const now = deps.clock.now();
  if (workerIds.length === 0 && !opts.unassigned) return [];
  const who = opts.unassigned ? isNull(cases.assignedWorkerId) : inArray(cases.assignedWorkerId, workerIds);
  const rows = await deps.db
    .select({ c: cases, next: min(appointments.startsAt) })
    .from(cases)
    .leftJoin(appointments, and(eq(appointments.caseId, cases.id), eq(appointments.status, 'scheduled'), gt(appointments.startsAt, now.toJSDate())))
    .where(and(eq(cases.status, 'open'), who))
    .groupBy(cases.id);
  const items = rows.map(({ c, next }) => ({
    id: c.id,
    reference: c.reference,
    phase: c.phase,
    category: c.category,
    crisis: c.crisis,
    assignedWorkerId: c.assignedWorkerId,
    priority: c.priority,
    status: c.status,
    openedAt: dt(c.openedAt)!,
    lastNoteAt: dt(c.lastNoteAt),
    nextFollowUpAt: dt(c.nextFollowUpAt),
    followUpSetAt: dt(c.followUpSetAt),
    nextAppointmentAt: dt(next ? new Date(next as unknown as string) : null),
  }));
  return sortCaseload(items, now, policyFromConfig(deps.config).quietThresholdsDays);
}

export interface TeamMemberLoad {
  worker: StaffRow;
  cases: CaseloadEntry[];
  counts: Record<UrgencyKind, number>;
}

export async function teamCaseload(deps: Deps, _supervisor: StaffRow, team: StaffRow[]): Promise<TeamMemberLoad[]> {
  const load = await caseloadOf(
    deps,
    team.map((w) => w.id),
  );
  return team.map((worker) => {
    const mine = load.filter((c) => c.assignedWorkerId === worker.id);
    const counts = { overdue: 0, quiet: 0, appointment_soon: 0, ok: 0 };
    for (const c of mine) counts[c.urgency]++;
    return { worker, cases: mine, counts };
  });
}

export interface OpenEscalation {
  id: string;
  reason: string;
  level: number;
  openedAt: DateTime;
  acknowledged: boolean;
  caseId: string;
  reference: string;
  workerSlackId: string | null;
}

/** Open (unresolved) escalations on cases of these workers, plus unassigned intakes, oldest first. */
export async function openEscalationsFor(deps: Deps, workerIds: string[], includeUnassigned: boolean): Promise<OpenEscalation[]> {
  const rows = await deps.db
    .select({ e: escalations, c: cases, w: staff })
    .from(escalations)
    .innerJoin(cases, eq(cases.id, escalations.caseId))
    .leftJoin(staff, eq(staff.id, cases.assignedWorkerId))
    // A closed or withdrawn case has nothing left to act on (closing resolves its escalations; older rows may remain).
    .where(and(isNull(escalations.resolvedAt), eq(cases.status, 'open')))
    .orderBy(escalations.openedAt);
  return rows
    .filter(({ c }) => (c.assignedWorkerId ? workerIds.includes(c.assignedWorkerId) : includeUnassigned))
    .map(({ e, c, w }) => ({
      id: e.id,
      reason: e.reason,
      level: e.level,
      openedAt: dt(e.openedAt)!,
      acknowledged: !!e.acknowledgedAt,
      caseId: c.id,
      reference: c.reference,
      workerSlackId: w?.slackUserId ?? null,
    }));
}
