import { deliveryTickJob } from '../../src/jobs/delivery-tick.job.js';
import { enqueueDueDeliveries } from '../../src/delivery/tick.js';
import { processor } from '../processor.js';

export const deliveryTickProcessor = processor(deliveryTickJob, async (_payload, { deps }) => {
  const r = await enqueueDueDeliveries(deps);
  return { status: 'done', ...r };
});
