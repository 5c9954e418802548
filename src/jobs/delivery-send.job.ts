import { z } from 'zod';
import { defineJob, RETRYING, safeJobId, uuid } from './job.js';

/**
 * Send one ledger row (deliveries.id). The row, not the payload, says what and to whom.
 * `slotAt` (epoch ms) is set by the worker when it reserved a send slot and
 * delayed the job until then: the next run sends in that slot instead of
 * queueing again behind everyone who reserved in the meantime.
 */
export const deliverySendJob = defineJob({
  queue: 'delivery',
  name: 'delivery.send',
  payload: z.object({ deliveryId: uuid, slotAt: z.number().int().positive().optional() }).strict(),
  jobId: (p) => safeJobId('delivery', p.deliveryId),
  options: RETRYING,
});
