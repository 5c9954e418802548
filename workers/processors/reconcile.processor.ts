import { reconcileJob } from '../../src/jobs/reconcile.job.js';
import { reconcileDeliveries } from '../../src/delivery/reconcile.js';
import { processor } from '../processor.js';

export const reconcileProcessor = processor(reconcileJob, async (_payload, { deps }) => {
  const deliveries = await reconcileDeliveries(deps);
  if (deliveries.enqueued > 0) deps.logger.info({ ...deliveries }, 'reconciler re-created missing delivery jobs');
  return { status: 'done', deliveries };
});
