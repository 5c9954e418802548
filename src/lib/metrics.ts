import { Histogram, Registry } from 'prom-client';

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
};
