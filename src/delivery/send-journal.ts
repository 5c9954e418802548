import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisClient as Redis } from '../lib/redis.js';
import type { Deps } from '../deps.js';
import { markSent } from './claims.js';
import type { SentRecord } from './sender.js';

/**
 * "The platform took it" must survive a database error. Once a platform has
 * accepted a message, the only thing left is writing `sent` — and if that
 * UPDATE fails, counting the send as failed means sending it again after the
 * lease. So:
 * 1. the outcome is kept in memory and `markSent` is retried (capped backoff)
 *    for as long as this process runs;
 * 2. on the first failure it is also written to Redis under the row's id, so
 *    if this process must exit (shutdown deadline, crash) the next claimant of
 *    the row finds it there and records it instead of sending again;
 * 3. a claimant whose claim is not the row's first (attempts > 1) reads that
 *    journal before it sends.
 * What remains: the process dying between the platform's answer and the first
 * failed write (one round trip), or Redis and PostgreSQL both down at exit.
 * (The record is the platform's answer, `SentRecord` in sender.ts.)
 */

const JOURNAL_TTL_SECONDS = 7 * 24 * 3600;
const key = (prefix: string, deliveryId: string) => `${prefix}:delivery-sent:${deliveryId}`;

export async function journalSent(redis: Redis, prefix: string, deliveryId: string, sent: SentRecord): Promise<void> {
  await redis.set(key(prefix, deliveryId), JSON.stringify(sent), 'EX', JOURNAL_TTL_SECONDS);
}

/** The journaled outcome of an earlier attempt, if any. Throws when Redis cannot answer (then: do not send). */
export async function readJournal(redis: Redis, prefix: string, deliveryId: string): Promise<SentRecord | undefined> {
  const raw = await redis.get(key(prefix, deliveryId));
  if (!raw) return undefined;
  const parsed = JSON.parse(raw) as Partial<SentRecord>;
  return typeof parsed.externalRef === 'string' ? (parsed as SentRecord) : undefined;
}

async function clearJournal(redis: Redis, prefix: string, deliveryId: string): Promise<void> {
  await redis.del(key(prefix, deliveryId));
}

export type RecordResult = 'recorded' | 'written_elsewhere' | 'journaled';

/** Record `sent` for the claim holder; on database errors keep trying (journaled) until written or `stop` fires. */
export async function recordSent(
  deps: Pick<Deps, 'db' | 'redis' | 'config' | 'clock' | 'logger'>,
  deliveryId: string,
  token: string,
  sent: SentRecord,
  stop?: AbortSignal,
): Promise<RecordResult> {
  let journaled = false;
  for (let attempt = 0; ; attempt++) {
    try {
      const ok = await markSent(deps.db, deliveryId, token, sent.externalRef, deps.clock.now());
      if (journaled) await clearJournal(deps.redis, deps.config.QUEUE_PREFIX, deliveryId).catch(() => undefined);
      return ok ? 'recorded' : 'written_elsewhere';
    } catch (err) {
      if (!journaled) {
        journaled = await journalSent(deps.redis, deps.config.QUEUE_PREFIX, deliveryId, sent).then(
          () => true,
          (e: Error) => {
            deps.logger.error({ deliveryId, err: e.message }, 'sent but neither PostgreSQL nor Redis could record it');
            return false;
          },
        );
        deps.logger.warn({ deliveryId, err: (err as Error).message, journaled }, 'sent; recording it failed, retrying');
      }
      if (stop?.aborted) return 'journaled';
      const wait = Math.min(5000, 250 * 2 ** attempt);
      await sleep(wait, undefined, stop ? { signal: stop } : {}).catch(() => undefined);
      if (stop?.aborted && journaled) return 'journaled';
    }
  }
}
