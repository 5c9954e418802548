import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Deps } from '../deps.js';
import { cases, escalations, staff } from '../db/schema.js';
import { elementsOfCase, goalFlagsByCase } from '../cases/four-elements.js';
import { missingElements, type FourElements } from '../cases/case.domain.js';
import { deliveryKind } from '../delivery/kinds/kind.js';
import { scheduleAfterCommit, planDeliveries } from '../delivery/ledger.js';
import { loadStaff, recipientId, staffUnreachable } from '../delivery/recipients.js';
import { section } from '../delivery/slack-blocks.js';
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
  // The digest's text, then its two charts (src/reports/digest-charts.kind.ts), in that order to the same DM.
  const items = sups.flatMap((s) => {
    const due = weeklyDigestDue(s.timeZone, now);
    const row = {
      subjectId: s.id,
      version: Number(digestWindowKey(s.timeZone, due).replace('-W', '')),
      recipient: `staff:${s.id}` as const,
      channel: 'slack' as const,
    };
    return [
      { ...row, kind: 'weekly_digest', dueAt: due },
      { ...row, kind: 'weekly_digest_charts', dueAt: due.plus({ seconds: 1 }) },
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
const LIST_MAX = 15;
const SHORT_ELEMENT: Record<keyof FourElements, string> = { goal: 'goal', plan: 'plan', assessment: 'assessment', selfHelp: 'self-help focus' };
const list = (refs: string[]) => (refs.length > LIST_MAX ? `${refs.slice(0, LIST_MAX).join(', ')} and ${refs.length - LIST_MAX} more` : refs.join(', '));

export const weeklyDigestKind = deliveryKind({
  kind: 'weekly_digest',
  async render(deps, row) {
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

    const lines: string[] = [`*Weekly digest* — week ${digestWindowKey(sup!.timeZone, now)}, ${open.length} open case${open.length === 1 ? '' : 's'}.`];
    const overdueBy = new Map<string, string[]>();
    for (const c of open) {
      if (followUpOverdue({ nextFollowUpAt: dt(c.nextFollowUpAt), lastNoteAt: dt(c.lastNoteAt), followUpSetAt: dt(c.followUpSetAt), status: c.status }, now)) {
        const w = team.find((t) => t.id === c.assignedWorkerId);
        const key = w ? `<@${w.slackUserId}>` : 'unassigned';
        overdueBy.set(key, [...(overdueBy.get(key) ?? []), c.reference]);
      }
    }
    lines.push(
      overdueBy.size
        ? `*Overdue follow-ups*\n${[...overdueBy].map(([w, refs]) => `• ${w}: ${refs.length} — ${list(refs)}`).join('\n')}`
        : '*Overdue follow-ups*: none.',
    );
    const quiet = open.filter((c) =>
      isQuiet({ priority: c.priority, lastNoteAt: dt(c.lastNoteAt), openedAt: dt(c.openedAt)!, status: c.status }, now, thresholds),
    );
    lines.push(`*Quiet cases* (no note for too long): ${quiet.length ? list(quiet.map((c) => c.reference)) : 'none'}.`);
    const flags = await goalFlagsByCase(deps.db, caseIds);
    const missing = open.flatMap((c) => {
      const gaps = missingElements(elementsOfCase(c, flags.get(c.id) ?? [])).map((k) => SHORT_ELEMENT[k]);
      return gaps.length ? [`${c.reference} (${gaps.join(', ')})`] : [];
    });
    lines.push(`*Missing one of the four elements*: ${missing.length ? list(missing) : 'none'}.`);
    lines.push(
      `*Open escalations*: ${openEsc.length ? list(openEsc.map((e) => `${open.find((c) => c.id === e.caseId)?.reference} ${e.reason.replace(/_/g, ' ')}${e.acknowledgedAt ? ' (acknowledged)' : ''}`)) : 'none'}.`,
    );
    const text = lines.join('\n');
    return { channel: 'slack', to: sup!.slackUserId, text, blocks: lines.map((l) => section(l)) };
  },
});
