import { z } from 'zod';
import { defineJob, RETRYING, safeJobId, uuid } from './job.js';

/** Send one ledger row (deliveries.id). The row, not the payload, says what and to whom. */
export const deliverySendJob = defineJob({
  queue: 'delivery',
  name: 'delivery.send',
  payload: z.object({ deliveryId: uuid }).strict(),
  jobId: (p) => safeJobId('delivery', p.deliveryId),
  options: RETRYING,
});
