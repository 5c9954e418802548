import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Deps } from '../deps.js';
import { claimInbound, slackEventKey } from '../db/inbound-dedupe.js';

/**
 * Events API delivery is at-least-once: Slack retries (immediately, +1 min,
 * +5 min, with x-slack-retry-num) when our answer is slow or lost. Each
 * event_id is processed once: the first request takes it in inbound_dedupe
 * (source 'slack', src/db/inbound-dedupe.ts); a retry of an event we already took is dropped — Bolt has
 * already answered 200, so Slack stops retrying. A retry of an event we never
 * saw (our first answer was lost before we stored it) is processed normally.
 */
export function dedupeEvents(deps: Deps): Middleware<AnyMiddlewareArgs> {
  return async ({ body, context, next, logger }) => {
    const b = body as { type?: string; event_id?: string };
    if (b.type !== 'event_callback' || typeof b.event_id !== 'string') return next();
    const fresh = await claimInbound(deps.db, 'slack', slackEventKey(b.event_id), deps.clock.now().toJSDate());
    if (!fresh) {
      logger.debug(`duplicate Slack event ${b.event_id} (retry ${context.retryNum ?? 0}) dropped`);
      deps.logger.info({ eventId: b.event_id, retryNum: context.retryNum ?? 0 }, 'duplicate slack event dropped');
      return;
    }
    await next();
  };
}
