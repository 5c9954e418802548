import { sql } from 'drizzle-orm';
import type { Deps } from '../deps.js';
import { executePrepared, fromDriverRow } from '../db/prepared.js';
import { deliveries } from '../db/schema.js';
import type { DeliveryKind } from './kinds/kind.js';
import type { DeliveryRow } from './ledger.js';
import { TELEGRAM_BOT_BUDGET, type BudgetKey } from './rate-budget.js';

/** A ledger row as the send service reads it: its kind, its budgets, and whether an earlier message goes first. */

/** Ledger kinds may carry a slot after a dot ('appointment_reminder.PT24H'); the renderer is the part before. */
export function kindFor(deps: Pick<Deps, 'deliveryKinds'>, row: Pick<DeliveryRow, 'kind'>): DeliveryKind | undefined {
  return deps.deliveryKinds.get(row.kind.split('.')[0]!);
}

/**
 * The budgets a row's send counts against, from the row itself (so a slot can
 * be reserved before rendering): its recipient stands for the chat, DM or
 * channel one to one.
 */
export function budgetKeys(row: Pick<DeliveryRow, 'channel' | 'recipient'>): BudgetKey[] {
  if (row.channel === 'telegram') return [{ limiter: 'telegram_chat', id: row.recipient }, TELEGRAM_BOT_BUDGET];
  return [{ limiter: 'slack_channel', id: row.recipient }];
}

export const ORDER_HORIZON_MINUTES = 10;

/**
 * The row, and whether an earlier message to the same recipient is due and
 * still waiting (then this one waits: a client must read "your appointment
 * moved" before the reminder for the new time, even after a 429 or a retry
 * shuffled the jobs). Earlier = (due_at, id) order; only rows due in the last
 * ORDER_HORIZON_MINUTES count, so one stuck message cannot hold the rest.
 */
export async function loadRow(deps: Deps, deliveryId: string, now: Date): Promise<(DeliveryRow & { earlierWaiting: boolean }) | undefined> {
  const horizon = new Date(now.getTime() - ORDER_HORIZON_MINUTES * 60_000);
  const [raw] = await executePrepared(
    deps.db,
    'delivery_load',
    sql`select d.*, exists (select 1 from deliveries e
      where e.recipient = d.recipient and e.status = 'pending' and (e.due_at, e.id) < (d.due_at, d.id)
        and coalesce(e.not_before, e.due_at) <= ${now} and coalesce(e.not_before, e.due_at) > ${horizon}) as earlier_waiting
    from deliveries d where d.id = ${deliveryId}`,
  );
  return raw ? { ...fromDriverRow(deliveries, raw), earlierWaiting: raw.earlier_waiting === true } : undefined;
}
