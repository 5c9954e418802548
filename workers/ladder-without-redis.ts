import type { Deps } from '../src/deps.js';
import { runCrisisLadder } from '../src/escalations/escalation-sweep.service.js';
import { withTimeout } from '../src/lib/timeout.js';

/**
 * Someone must always be paged, Redis or not. The escalation ladder normally runs as the `escalations.tick`
 * job, which BullMQ cannot run while Redis is down: an unacknowledged crisis would then not page its next
 * tier until Redis came back. So each worker process also keeps a plain timer: every ESCALATION_TICK_SECONDS
 * it asks Redis for a PING (bounded), and when none comes it runs the crisis ladder itself from PostgreSQL
 * (runCrisisLadder; pages sent at once by send-now.ts, which does not wait on Redis). With Redis up it does
 * nothing. Safe beside other processes doing the same, and beside the tick once Redis is back: the ladder
 * takes each notification by an optimistic update and every page is a unique ledger row, claimed to send.
 */
const PING_BOUND_MS = 1000;

async function redisAnswers(deps: Pick<Deps, 'redis'>): Promise<boolean> {
  return withTimeout(deps.redis.ping(), PING_BOUND_MS, 'redis ping').then(
    () => true,
    () => false,
  );
}

/** One tick: nothing while Redis answers; otherwise the crisis ladder, from PostgreSQL. */
export async function ladderTickWithoutRedis(deps: Deps): Promise<'redis_up' | Awaited<ReturnType<typeof runCrisisLadder>>> {
  if (await redisAnswers(deps)) return 'redis_up';
  const r = await runCrisisLadder(deps);
  deps.logger.warn({ ...r }, 'Redis is not answering: the crisis ladder ran from this process');
  return r;
}

/** Starts the timer; returns a stop function. One run at a time. */
export function keepLadderWithoutRedis(deps: Deps, everyMs = deps.config.ESCALATION_TICK_SECONDS * 1000): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    ladderTickWithoutRedis(deps)
      .catch((err: unknown) => deps.logger.error({ err: (err as Error)?.message }, 'crisis ladder without Redis failed; trying again next tick'))
      .finally(() => {
        running = false;
      });
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
