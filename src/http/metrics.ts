import { and, eq, isNull, sql } from 'drizzle-orm';
import { Registry, Gauge, collectDefaultMetrics } from 'prom-client';
import type { Db } from '../db/client.js';
import { escalations } from '../db/schema.js';
import type { JobQueues } from '../jobs/queues.js';
import type { Clock } from '../lib/clock.js';
import type { RedisClient as Redis } from '../lib/redis.js';
import { featureRegistry } from '../lib/metrics.js';

/**
 * Prometheus metrics: process defaults, queue depths and unacknowledged crises read at
 * scrape time, and what features observe as it happens (src/lib/metrics.ts).
 */
export function createMetrics(queues: JobQueues, db?: Db, clock?: Clock, redis?: Redis): Registry {
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
  if (db && clock) {
    new Gauge({
      name: 'casework_crisis_unacknowledged',
      help: 'Open crises nobody has acknowledged yet (alert when above 0 for 15 minutes)',
      registers: [registry],
      async collect() {
        try {
          const [row] = await db
            .select({ n: sql<number>`count(*)::int` })
            .from(escalations)
            .where(and(eq(escalations.reason, 'crisis'), isNull(escalations.resolvedAt), isNull(escalations.acknowledgedAt)));
          this.set(row?.n ?? 0);
        } catch {
          // PostgreSQL down: the readiness probe says so.
        }
      },
    });
    new Gauge({
      name: 'casework_crisis_oldest_unacknowledged_seconds',
      help: 'Age of the oldest unacknowledged crisis (0 when none)',
      registers: [registry],
      async collect() {
        try {
          const [row] = await db
            .select({ oldest: sql<string | null>`min(${escalations.openedAt})::text` })
            .from(escalations)
            .where(and(eq(escalations.reason, 'crisis'), isNull(escalations.resolvedAt), isNull(escalations.acknowledgedAt)));
          this.set(row?.oldest ? Math.max(0, (clock.now().toMillis() - new Date(row.oldest).getTime()) / 1000) : 0);
        } catch {
          // as above
        }
      },
    });
  }
  if (redis) {
    new Gauge({
      name: 'casework_redis_noeviction',
      help: '1 when Redis will never evict keys (maxmemory-policy noeviction, as BullMQ needs), 0 otherwise',
      registers: [registry],
      async collect() {
        try {
          const r = (await redis.config('GET', 'maxmemory-policy')) as string[];
          this.set(r[1] === 'noeviction' ? 1 : 0);
        } catch {
          // CONFIG may be disabled by a managed Redis, or Redis is down: leave the last value.
        }
      },
    });
  }
  if (db) {
    new Gauge({
      name: 'casework_open_escalations',
      help: 'Open escalations by reason and level (acknowledged ones included, labelled)',
      labelNames: ['reason', 'level', 'acknowledged'],
      registers: [registry],
      async collect() {
        try {
          const rows = await db
            .select({
              reason: escalations.reason,
              level: escalations.level,
              acked: sql<boolean>`${escalations.acknowledgedAt} is not null`,
              n: sql<number>`count(*)::int`,
            })
            .from(escalations)
            .where(isNull(escalations.resolvedAt))
            .groupBy(escalations.reason, escalations.level, sql`3`);
          this.reset();
          for (const r of rows) this.set({ reason: r.reason, level: String(r.level), acknowledged: String(r.acked) }, r.n);
        } catch {
          // PostgreSQL down: the readiness probe says so.
        }
      },
    });
  }
  return Registry.merge([registry, featureRegistry]);
}
