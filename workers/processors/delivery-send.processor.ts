import { DelayedError, UnrecoverableError } from 'bullmq';
import { deliverySendJob } from '../../src/jobs/delivery-send.job.js';
import { sendDelivery } from '../../src/delivery/send.service.js';
import { processor } from '../processor.js';

/**
 * Send one ledger row (src/delivery/send.service.ts does the work) and map
 * the outcome onto BullMQ:
 * - wait (not due yet by deps.clock, rate budget, platform 429): the job is
 *   moved to delayed for that long plus up to 250 ms of jitter; this does not
 *   use up an attempt, so a long platform back-off never exhausts retries;
 * - retry (transient): rethrow, BullMQ retries with exponential backoff + jitter (RETRYING);
 * - failed (permanent, already written to the row): UnrecoverableError, no retries.
 */
export const deliverySendProcessor = processor(deliverySendJob, async ({ deliveryId }, { deps, job }) => {
  const maxAttempts = job.opts.attempts ?? 1;
  const outcome = await sendDelivery(deps, deliveryId, { finalAttempt: job.attemptsMade + 1 >= maxAttempts });
  switch (outcome.kind) {
    case 'sent':
      return { status: 'done', externalRef: outcome.externalRef };
    case 'skipped':
      return { status: 'skipped', reason: outcome.reason };
    case 'wait': {
      const jitter = Math.floor(Math.random() * 250);
      await job.moveToDelayed(Date.now() + outcome.ms + jitter, job.token);
      throw new DelayedError(outcome.reason);
    }
    case 'retry':
      throw new Error(`delivery ${deliveryId}: ${outcome.reason}`);
    case 'failed':
      throw new UnrecoverableError(`delivery ${deliveryId}: ${outcome.reason}`);
  }
});
