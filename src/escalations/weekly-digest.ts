import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Deps } from '../deps.js';
import { cases, escalations, staff } from '../db/schema.js';
import { elementsOfCase, goalFlagsByCase } from '../cases/four-elements.js';
import { missingElements, type FourElements } from '../cases/case.domain.js';
import type { DeliveryRow } from '../delivery/ledger.js';
import { planDeliveries, scheduleAfterCommit } from '../delivery/ledger.js';
import { loadStaff, recipientId, type StaffRow, staffUnreachable } from '../delivery/recipients.js';
import { policyFromConfig } from './escalation-config.js';
import { digestWindowKey, followUpOverdue, isQuiet, weeklyDigestDue } from './policy.domain.js';

/**
 * Each supervisor's Monday 09:00 digest (their zone). Planned ahead as a
 * ledger row per supervisor and ISO week (version = yyyyww), so it goes out
 * on time through the normal sender, once; the content is computed at send time.
 */
export async function planWeeklyDigests(deps: Deps): Promise<number> {
  const now = deps.clock.now();
  const sups = await deps.db
    .select()
    .from(staff)
    .where(and(eq(staff.active, true), eq(staff.role, 'supervisor')));
  // The digest's text, then its two charts (src/reports/digest-charts.ts, words in src/slack/kinds/digest-charts.kind.ts), in that order to the same DM.
  const items = sups.flatMap((s) => {
    const due = weeklyDigestDue(s.timeZone, now);
    const row = {
      subjectId: s.id,
      version: Number(digestWindowKey(s.timeZone, due).replace('-W', '')),
      recipient: `staff:${s.id}` as const,
      channel: 'slack' as const,
    };
    return [
      { ...row, kind: 'weekly_digest' as const, dueAt: due },
      { ...row, kind: 'weekly_digest_charts' as const, dueAt: due.plus({ seconds: 1 }) },
    ];
  });
  const rows = await planDeliveries(deps.db, items, now);
  await scheduleAfterCommit(
    deps,
    rows.filter((r) => r.createdAt.getTime() === now.toMillis()),
  );
  return rows.length;
}

const dt = (d: Date | null) => (d ? DateTime.fromJSDate(d, { zone: 'utc' }) : null);

/** A supervisor's digest as data, computed at send time; the Slack kind puts it into words. */
export interface WeeklyDigest {
  supervisor: StaffRow;
  /** The ISO week, in the supervisor's zone ('2026-W48'). */
  week: string;
  openCount: number;
  /** Overdue follow-ups by worker (null: unassigned), in case order. */
  overdue: Array<{ workerSlackId: string | null; references: string[] }>;
  quiet: string[];
  /** Cases missing one of the four elements, and which. */
  missing: Array<{ reference: string; gaps: Array<keyof FourElements> }>;
  escalations: Array<{ reference: string | undefined; reason: string; acknowledged: boolean }>;
}

export async function weeklyDigest(deps: Deps, row: DeliveryRow): Promise<WeeklyDigest | { skip: string }> {
  const sup = await loadStaff(deps.db, recipientId(row.recipient, 'staff') ?? '');
  const unreachable = staffUnreachable(sup);
  if (unreachable) return { skip: unreachable };
  const now = deps.clock.now();
  const thresholds = policyFromConfig(deps.config).quietThresholdsDays;
  // The team: workers who report to this supervisor; a supervisor without a team sees every open case.
  const team = await deps.db.select().from(staff).where(eq(staff.supervisorId, sup!.id));
  const teamIds = team.map((t) => t.id);
  const open = await deps.db
    .select()
    .from(cases)
    .where(and(eq(cases.status, 'open'), teamIds.length ? inArray(cases.assignedWorkerId, teamIds) : sql`true`));
  const caseIds = open.map((c) => c.id);
  const openEsc = caseIds.length
    ? await deps.db
        .select()
        .from(escalations)
        .where(and(inArray(escalations.caseId, caseIds), isNull(escalations.resolvedAt)))
    : [];

  const overdueBy = new Map<string | null, string[]>();
  for (const c of open) {
    if (followUpOverdue({ nextFollowUpAt: dt(c.nextFollowUpAt), lastNoteAt: dt(c.lastNoteAt), followUpSetAt: dt(c.followUpSetAt), status: c.status }, now)) {
      const key = team.find((t) => t.id === c.assignedWorkerId)?.slackUserId ?? null;
      overdueBy.set(key, [...(overdueBy.get(key) ?? []), c.reference]);
    }
  }
  const quiet = open.filter((c) =>
    isQuiet({ priority: c.priority, lastNoteAt: dt(c.lastNoteAt), openedAt: dt(c.openedAt)!, status: c.status }, now, thresholds),
  );
  const flags = await goalFlagsByCase(deps.db, caseIds);
  const missing = open.flatMap((c) => {
    const gaps = missingElements(elementsOfCase(c, flags.get(c.id) ?? []));
    return gaps.length ? [{ reference: c.reference, gaps }] : [];
  });
  return {
    supervisor: sup!,
    week: digestWindowKey(sup!.timeZone, now),
    openCount: open.length,
    overdue: [...overdueBy].map(([workerSlackId, references]) => ({ workerSlackId, references })),
    quiet: quiet.map((c) => c.reference),
    missing,
    escalations: openEsc.map((e) => ({ reference: open.find((c) => c.id === e.caseId)?.reference, reason: e.reason, acknowledged: !!e.acknowledgedAt })),
  };
}
