import { Registry, Gauge, collectDefaultMetrics } from 'prom-client';
import type { JobQueues } from '../jobs/queues.js';

/** Prometheus metrics: process defaults plus queue depths read at scrape time. */
export function createMetrics(queues: JobQueues): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'casework_' });
  new Gauge({
    name: 'casework_queue_jobs',
    help: 'Jobs per BullMQ queue and state',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      try {
        const counts = await queues.counts();
        for (const [queue, byState] of Object.entries(counts)) {
          for (const [state, n] of Object.entries(byState)) this.set({ queue, state }, n);
        }
      } catch {
        // Redis down: the readiness probe says so; metrics still answer.
      }
    },
  });
  return registry;
}
