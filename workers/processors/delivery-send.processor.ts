import { DelayedError, UnrecoverableError } from 'bullmq';
import { deliverySendJob } from '../../src/jobs/delivery-send.job.js';
import { sendDelivery } from '../../src/delivery/send.service.js';
import { sendBatch } from '../../src/delivery/send-batch.js';
import { platformSenders } from '../../src/delivery/platform-senders.js';
import { markSlotHeld } from '../../src/delivery/tick.js';
import { processor } from '../processor.js';
import { isDatabaseUnavailable } from '../../src/db/unavailable.js';

/** How often a send waiting for PostgreSQL to come back checks again. */
const DATABASE_WAIT_MS = 2000;

/** A job delayed to a reserved slot wakes this much before it, to be claimed and ready on the dot. */
const WAKE_BEFORE_SLOT_MS = 250;

/**
 * Send one ledger row (src/delivery/send.service.ts does the work) and map
 * the outcome onto BullMQ:
 * - wait for a reserved send slot: the slot goes into the job's data and the
 *   job is delayed until just before it, so the next run sends in that slot;
 * - wait for anything else (not due yet by deps.clock, an earlier message to
 *   the same chat, a platform 429): delayed for exactly that long, any old slot
 *   dropped. No random jitter: order among waiting jobs comes from the slots
 *   and the per-recipient order check, not from chance. Waiting never uses up
 *   an attempt, so a long platform back-off never exhausts retries;
 * - retry (transient): rethrow, BullMQ retries with exponential backoff + jitter (RETRYING);
 * - failed (permanent, already written to the row): UnrecoverableError, no retries.
 */
export const deliverySendProcessor = processor(deliverySendJob, async ({ deliveryId, slotAt }, { deps, job }) => {
  const maxAttempts = job.opts.attempts ?? 1;
  let outcome: Awaited<ReturnType<typeof sendDelivery>>;
  try {
    outcome = await sendDelivery(deps, deliveryId, { finalAttempt: job.attemptsMade + 1 >= maxAttempts, ...(slotAt ? { slotAt } : {}) });
  } catch (err) {
    // PostgreSQL unreachable: not this message's fault. Check again shortly without spending an attempt, so the
    // message goes out within seconds of the database's return rather than after an exponential backoff.
    if (!isDatabaseUnavailable(err)) throw err;
    await job.moveToDelayed(Date.now() + DATABASE_WAIT_MS, job.token);
    throw new DelayedError('database_unavailable');
  }
  switch (outcome.kind) {
    case 'sent': {
      // Sent in a slot that was free at once (not one it had waited for): the budget is not what limits, so
      // send more due rows in this run (send-batch.ts). Its own row is sent whatever happens to the batch.
      const size = deps.config.DELIVERY_BATCH_SIZE;
      const batch =
        size > 1 && slotAt === undefined
          ? await sendBatch(deps, platformSenders(deps), size - 1).catch((err: Error) => {
              deps.logger.warn({ err: err.message }, 'batch send failed; its rows go the single-row way');
              return undefined;
            })
          : undefined;
      return { status: 'done', externalRef: outcome.externalRef, ...(batch?.claimed ? { batch } : {}) };
    }
    case 'skipped':
      return { status: 'skipped', reason: outcome.reason };
    case 'wait': {
      if (outcome.slotAt !== undefined) {
        await job.updateData({ deliveryId, slotAt: outcome.slotAt });
        await job.moveToDelayed(outcome.slotAt - WAKE_BEFORE_SLOT_MS, job.token);
        await markSlotHeld(deps, deliveryId, outcome.slotAt);
      } else {
        if (slotAt !== undefined) await job.updateData({ deliveryId });
        await job.moveToDelayed(Date.now() + outcome.ms, job.token);
      }
      throw new DelayedError(outcome.reason);
    }
    case 'retry':
      throw new Error(`delivery ${deliveryId}: ${outcome.reason}`);
    case 'failed':
      throw new UnrecoverableError(`delivery ${deliveryId}: ${outcome.reason}`);
  }
});
