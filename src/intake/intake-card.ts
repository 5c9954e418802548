import type { DateTime } from 'luxon';
import type { Db } from '../db/client.js';
import type { Deps } from '../deps.js';
import { planDeliveries, type DeliveryRow } from '../delivery/ledger.js';

/**
 * Hand-off of a new case to the staff side: the intake card for the Slack
 * intake channel (rendered and posted by the delivery sender, kind
 * `intake_card`). Like every other outbound message it is a ledger row planned
 * in the transaction that causes it — the one that creates the case (intake
 * submit, or a crisis that opens a case) — so a committed case always has its
 * card on the way; the caller schedules the row after commit and the due-row
 * tick sends it if that fails. Planning is idempotent (one row per case and
 * channel). Without SLACK_INTAKE_CHANNEL nothing is planned and the skip is
 * audited with its reason.
 */
const INTAKE_CARD_KIND = 'intake_card';

export type IntakeHandOff = { status: 'done'; deliveryId: string; rows: DeliveryRow[] } | { status: 'skipped'; reason: 'no_intake_channel' };

export async function planIntakeCard(deps: Pick<Deps, 'config' | 'audit'>, tx: Db, caseId: string, now: DateTime): Promise<IntakeHandOff> {
  const channel = deps.config.SLACK_INTAKE_CHANNEL;
  if (!channel) {
    await deps.audit.record({ actor: { type: 'system' }, action: 'case.handoff_skipped', caseId, details: { reason: 'no_intake_channel' } }, tx);
    return { status: 'skipped', reason: 'no_intake_channel' };
  }
  const rows = await planDeliveries(
    tx,
    [{ kind: INTAKE_CARD_KIND, subjectId: caseId, recipient: `channel:${channel}`, channel: 'slack', caseId, dueAt: now }],
    now,
  );
  await deps.audit.record({ actor: { type: 'system' }, action: 'case.intake_card_planned', caseId, subjectType: 'delivery', subjectId: rows[0]!.id }, tx);
  return { status: 'done', deliveryId: rows[0]!.id, rows };
}
