import type { ProcessorEntry } from './processor.js';
import { reconcileProcessor } from './processors/reconcile.processor.js';
import { deliverySendProcessor } from './processors/delivery-send.processor.js';
import { deliveryTickProcessor } from './processors/delivery-tick.processor.js';
import { escalationTickProcessor } from './processors/escalation-tick.processor.js';
import { intakeSweepProcessor } from './processors/intake-sweep.processor.js';
import { erasureRunProcessor } from './processors/erasure-run.processor.js';
import { erasureTickProcessor } from './processors/erasure-tick.processor.js';
import { retentionProcessor } from './processors/retention.processor.js';
import { erasureSlackCleanupProcessor } from './processors/erasure-slack-cleanup.processor.js';
import { redactionSlackCleanupProcessor } from './processors/redaction-slack-cleanup.processor.js';
import { handoverTickProcessor } from './processors/handover-tick.processor.js';

/** One processor per job type; workers dispatch on job.name. */
export const PROCESSORS: ProcessorEntry[] = [
  reconcileProcessor,
  deliverySendProcessor,
  deliveryTickProcessor,
  escalationTickProcessor,
  intakeSweepProcessor,
  erasureRunProcessor,
  erasureTickProcessor,
  retentionProcessor,
  erasureSlackCleanupProcessor,
  redactionSlackCleanupProcessor,
  handoverTickProcessor,
];
