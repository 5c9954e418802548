import { Counter, Histogram, Registry } from 'prom-client';

/**
 * Metrics that features record as things happen (observations, not scrape-time
 * reads). One registry per process, merged into /metrics by src/http/metrics.ts.
 * Labels never carry personal data: ids and names of kinds only.
 */
export const featureRegistry = new Registry();

export const metrics = {
  crisisTimeToAcknowledge: new Histogram({
    name: 'casework_crisis_time_to_acknowledge_seconds',
    help: 'Time from a crisis being reported to someone acknowledging it (or resolving it unacknowledged)',
    buckets: [30, 60, 120, 300, 600, 900, 1800, 3600, 7200],
    registers: [featureRegistry],
  }),
  /**
   * Everything the audit log records, by action (intake.started / intake.submitted /
   * consent.declined / intake.draft_expired, escalation.opened, client.erased, …): the
   * business events a duty manager watches, counted where they are written.
   */
  auditEvents: new Counter({
    name: 'casework_audit_events_total',
    help: 'Audited actions, by action name (no personal data: names of actions only)',
    labelNames: ['action'],
    registers: [featureRegistry],
  }),
  crisisReplies: new Counter({
    name: 'casework_crisis_replies_total',
    help: 'Emergency replies by outcome (sent, or why the in-process retries stopped) and whether a retry was needed',
    labelNames: ['outcome', 'retried'],
    registers: [featureRegistry],
  }),
  crisisConcerns: new Counter({
    name: 'casework_crisis_concerns_total',
    help: 'Worrying messages the crisis patterns did not match, answered with the contacts and "are you safe right now?", by cue (a kind of danger, never words) and answer',
    labelNames: ['cue'],
    registers: [featureRegistry],
  }),
  crisisConcernAnswers: new Counter({
    name: 'casework_crisis_concern_answers_total',
    help: 'Answers to the concern question: safe or unsafe (unsafe is handled as a crisis)',
    labelNames: ['answer'],
    registers: [featureRegistry],
  }),
  /** Every message outcome: sent, skipped or failed (with the reason code), by kind and channel. */
  deliveries: new Counter({
    name: 'casework_deliveries_total',
    help: 'Message outcomes by kind, channel, outcome and reason code',
    labelNames: ['kind', 'channel', 'outcome', 'reason'],
    registers: [featureRegistry],
  }),
  sendLateness: new Histogram({
    name: 'casework_send_lateness_seconds',
    help: 'How long after its due time a message was accepted by the platform',
    labelNames: ['channel'],
    buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900, 3600],
    registers: [featureRegistry],
  }),
  rateLimited: new Counter({
    name: 'casework_platform_rate_limited_total',
    help: '429 answers from a platform',
    labelNames: ['platform'],
    registers: [featureRegistry],
  }),
  rateLimitWait: new Histogram({
    name: 'casework_platform_retry_after_seconds',
    help: 'How long a platform asked us to wait (429 retry_after)',
    labelNames: ['platform'],
    buckets: [0.5, 1, 2, 5, 10, 30, 60, 300],
    registers: [featureRegistry],
  }),
  updateHandling: new Histogram({
    name: 'casework_update_handling_seconds',
    help: 'Time to handle one platform update or request (Telegram update, Slack request)',
    labelNames: ['platform'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    registers: [featureRegistry],
  }),
};

/** Run one platform update's handling, timed into casework_update_handling_seconds. */
export async function timedHandling(platform: 'telegram' | 'slack', next: () => Promise<unknown>): Promise<void> {
  const end = metrics.updateHandling.startTimer({ platform });
  try {
    await next();
  } finally {
    end();
  }
}

/** A reason as a label: its code only (`retries_exhausted:timeout` → `retries_exhausted`), never free text. */
export function reasonLabel(reason: string | null | undefined): string {
  const code = (reason ?? '').split(':')[0]!;
  return /^[a-z0-9_]{1,60}$/.test(code) ? code : 'other';
}
