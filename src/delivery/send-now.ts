import type { Deps } from '../deps.js';
import { withTimeout } from '../lib/timeout.js';
import { urgentDeps } from '../db/urgent.js';
import type { DeliveryRow } from './ledger.js';
import { platformSenders } from './platform-senders.js';
import type { SendBudgets } from './rate-budget.js';
import { kindFor } from './send-row.js';
import { SENT_ALONG } from './combine.js';
import { sendDelivery, type SendOutcome } from './send.service.js';

/**
 * Urgent rows (a crisis page to the on-call supervisors) sent by the process
 * that planned them, right after the commit, instead of waiting for a
 * delivery worker to pick their job up behind a reminder burst, or for Redis
 * to come back.
 *
 * It is the ordinary send (send.service.ts: reload, render, claim, send,
 * record), so the row's job (still added as usual) or the due-row tick finds
 * it sent and sends nothing twice. Like any urgent row it reserves no slot
 * ahead: it takes its turn at the moment of sending and waits for it in
 * process up to send.service.ts's URGENT_HOLD_MS. What differs is Redis: the
 * send budgets are asked with a bound (REDIS_BOUND_MS), and one that does not
 * answer in time lets the page go now (pages are a handful, far under any
 * platform limit, and a crisis page must not wait on a cache). A turn or a 429
 * wait beyond that hold, or a transient failure, leaves the row to its job.
 */
const REDIS_BOUND_MS = 300;

/** The budgets, but never waited on for longer than `ms`: no answer means go now (and no pause is kept). */
function boundedBudgets(budgets: SendBudgets, ms: number): SendBudgets {
  return {
    reserve: (keys) => withTimeout(budgets.reserve(keys), ms, 'urgent send slot').catch(() => ({ waitMs: 0, at: Date.now(), redisAt: 0 })),
    gate: (keys, max) => withTimeout(budgets.gate(keys, max), ms, 'urgent send turn').catch(() => 0),
    pause: (key, pauseMs) => withTimeout(budgets.pause(key, pauseMs), ms, 'urgent send pause').catch(() => undefined),
    lateToleranceMs: (keys, floorMs) => budgets.lateToleranceMs(keys, floorMs),
  };
}

/** Send the urgent, due, pending rows among `rows` now; the rest are left to their jobs. Never throws. */
export async function sendUrgentNow(
  deps: Deps,
  rows: readonly DeliveryRow[],
): Promise<Array<{ id: string; outcome: SendOutcome | { kind: 'error'; reason: string } }>> {
  // On the crisis path's own connections: a page does not queue behind the main pool's waiters.
  deps = urgentDeps(deps);
  // Callers start this without awaiting it (the sweep): nothing here may reject.
  let base: ReturnType<typeof platformSenders>;
  try {
    base = platformSenders(deps);
  } catch (err) {
    deps.logger.warn({ err: (err as Error)?.message }, 'no platform senders here; urgent rows are left to their jobs');
    return [];
  }
  const now = deps.clock.now().toMillis();
  // A process that cannot send on the row's platform leaves it to a worker that can (never "not configured" here).
  const canSend = (r: DeliveryRow) => (r.channel === 'telegram' ? base.telegram : base.slack) !== undefined;
  const urgent = rows.filter((r) => r.status === 'pending' && kindFor(deps, r)?.urgent && (r.notBefore ?? r.dueAt).getTime() <= now && canSend(r));
  if (urgent.length === 0) return [];
  const senders = { ...base, budgets: boundedBudgets(base.budgets, REDIS_BOUND_MS) };
  return Promise.all(
    urgent.map(async (r) => {
      try {
        const outcome = await sendDelivery(deps, r.id, { finalAttempt: false, senders });
        if (outcome.kind !== 'sent' && !(outcome.kind === 'skipped' && outcome.reason === SENT_ALONG))
          deps.logger.info({ deliveryId: r.id, kind: r.kind, outcome: outcome.kind, reason: outcome.reason }, 'urgent send left to its job');
        return { id: r.id, outcome };
      } catch (err) {
        deps.logger.warn({ deliveryId: r.id, kind: r.kind, err: (err as Error)?.message }, 'urgent send failed here; its job or the due-row tick sends it');
        return { id: r.id, outcome: { kind: 'error' as const, reason: (err as Error)?.message ?? 'error' } };
      }
    }),
  );
}
