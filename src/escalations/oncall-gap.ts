import { and, eq, inArray } from 'drizzle-orm';
import { inTransaction } from '../db/client.js';
import { deliveries, staff } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { scheduleAfterCommit, planDeliveries, type DeliveryRow, type PlannedDelivery, type Recipient } from '../delivery/ledger.js';
import { loadStaff, recipientId, staffUnreachable } from '../delivery/recipients.js';
import { gapsAhead } from '../staff/oncall.service.js';

/**
 * Nobody on call is itself an escalation: a gap in the rota starting within
 * ONCALL_GAP_LOOKAHEAD_HOURS is told to the admins (or, with no admin, to the
 * supervisors), once a day while it is unfilled (the ledger row is keyed by the
 * day the gap starts), by the escalation sweep. The message (src/slack/kinds/oncall-gap.kind.ts) says how to fill it.
 */
export const ONCALL_GAP_KIND = 'oncall_gap';

export async function planOncallGapAlerts(deps: Deps): Promise<number> {
  const now = deps.clock.now();
  const gaps = await gapsAhead(deps.db, now, deps.config.ONCALL_GAP_LOOKAHEAD_HOURS);
  if (!gaps.length) return 0;
  let to = await deps.db
    .select({ id: staff.id })
    .from(staff)
    .where(and(eq(staff.active, true), eq(staff.role, 'admin')));
  if (!to.length)
    to = await deps.db
      .select({ id: staff.id })
      .from(staff)
      .where(and(eq(staff.active, true), inArray(staff.role, ['supervisor'])));
  // One alert per gap per day: an ongoing gap "starts" at every sweep, so it is keyed by the day it starts on
  // (UTC) — an unfilled gap is told again the next day, not every few minutes.
  // Several gaps starting on one day make one alert (it names the first); one row per key, or the insert fails.
  const days = [...new Set(gaps.map((g) => g.start!.toUTC().toISODate()))];
  const items: PlannedDelivery[] = days.flatMap((day) =>
    to.map((s) => ({
      kind: ONCALL_GAP_KIND,
      subjectId: `gap:${day}`,
      recipient: `staff:${s.id}` as Recipient,
      channel: 'slack' as const,
      dueAt: now,
    })),
  );
  const known = new Set(
    (
      await deps.db
        .select({ id: deliveries.id })
        .from(deliveries)
        .where(
          and(
            eq(deliveries.kind, ONCALL_GAP_KIND),
            inArray(
              deliveries.subjectId,
              days.map((d) => `gap:${d}`),
            ),
          ),
        )
    ).map((r) => r.id),
  );
  const rows = await inTransaction(deps.db, (tx) => planDeliveries(tx, items, now));
  const fresh = rows.filter((r) => !known.has(r.id));
  if (fresh.length) {
    await deps.audit.record({ actor: { type: 'system' }, action: 'oncall.gap_alerted', details: { gaps: gaps.length, recipients: to.length } });
    await scheduleAfterCommit(deps, fresh);
  }
  return fresh.length;
}

/** The gap a row tells of, as it is now (it may have been filled, or have grown, since the alert was planned). */
export interface OncallGapNotice {
  /** The Slack user id of the admin or supervisor told, and their zone. */
  to: string;
  zone: string;
  from: Date;
  until: Date;
}

export async function oncallGapNotice(deps: Deps, row: DeliveryRow): Promise<OncallGapNotice | { skip: string }> {
  const s = await loadStaff(deps.db, recipientId(row.recipient, 'staff') ?? '');
  const why = staffUnreachable(s);
  if (why) return { skip: why };
  const gap = (await gapsAhead(deps.db, deps.clock.now(), deps.config.ONCALL_GAP_LOOKAHEAD_HOURS))[0];
  if (!gap) return { skip: 'gap_filled' };
  return { to: s!.slackUserId, zone: s!.timeZone, from: gap.start!.toJSDate(), until: gap.end!.toJSDate() };
}
