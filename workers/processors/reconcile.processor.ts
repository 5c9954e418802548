import { reconcileJob } from '../../src/jobs/reconcile.job.js';
import { reconcileDeliveries } from '../../src/delivery/reconcile.js';
import { spreadDueBursts } from '../../src/delivery/send-ahead.js';
import { processor } from '../processor.js';

export const reconcileProcessor = processor(reconcileJob, async (_payload, { deps }) => {
  const deliveries = await reconcileDeliveries(deps);
  if (deliveries.enqueued > 0) deps.logger.info({ ...deliveries }, 'reconciler re-created missing delivery jobs');
  // Bursts due in the next hours go out from a little ahead, so the last of them is not late (send-ahead.ts).
  const sentAhead = await spreadDueBursts(deps);
  return { status: 'done', deliveries, sentAhead };
});
