import type { Deps } from '../deps.js';
import type { DeliveryRow } from '../delivery/ledger.js';
import { sendUrgentNow } from '../delivery/send-now.js';
import { advanceEscalations } from './escalation-ladder.js';
import { requestEscalationSweep } from './escalation-sweep.service.js';

/**
 * A crisis was just recorded (committed): page the on-call supervisors from
 * this process now. The ladder takes this one escalation's first step (the
 * same decision, the same exactly-once notification and ledger rows as the
 * sweep, which would otherwise do it on the maintenance queue), and the page
 * is sent at once (delivery/send-now.ts) rather than behind the delivery
 * queue; with Redis down it still goes. Its job is added as usual, so a page
 * this process could not send goes the ordinary way. If the step itself fails,
 * a sweep is requested instead (and the escalation tick remains).
 */
export async function pageCrisisNow(deps: Deps, escalationId: string): Promise<{ notified: number; sent: number }> {
  const sends: Array<ReturnType<typeof sendUrgentNow>> = [];
  try {
    const { notified } = await advanceEscalations(deps, {
      only: [escalationId],
      onPlanned: (rows: DeliveryRow[]) => {
        sends.push(sendUrgentNow(deps, rows));
      },
    });
    const outcomes = (await Promise.all(sends)).flat();
    return { notified, sent: outcomes.filter((o) => o.outcome.kind === 'sent').length };
  } catch (err) {
    deps.logger.warn({ escalationId, err: (err as Error)?.message }, 'paging now failed; a sweep is requested');
    await Promise.all(sends);
    await requestEscalationSweep(deps);
    return { notified: 0, sent: 0 };
  }
}
