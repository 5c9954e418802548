import { and, eq, lt, or, sql, type SQL } from 'drizzle-orm';
import type { DateTime, DurationLike } from 'luxon';
import type { Db } from './client.js';
import { inboundDedupe } from './schema.js';

/**
 * INBOUND DE-DUPLICATION: the one owner of `inbound_dedupe`, for both platforms.
 * Telegram and Slack deliver at least once, so whatever arrives carries a key
 * that is claimed before it is acted on; the first claim wins, a redelivery
 * finds the key taken and is dropped:
 * - Telegram: the update_id (source 'telegram', claimed by the bot's guard in
 *   the update's first statement, released again if handling the update fails);
 * - Slack: the Events API event_id (`slackEventKey`) and each modal
 *   submission's nonce (`view:<nonce>`, claimed inside the change's
 *   transaction, so a rolled-back change releases it), both source 'slack'.
 * A key is kept only while a redelivery can still come (INBOUND_WINDOWS);
 * `purgeInbound` forgets older keys of every source (the intake sweep runs it;
 * the retention job's `dedupe_keys` rule is the outer bound, RETENTION_DEDUPE_DAYS).
 */
const INBOUND_SOURCES = ['telegram', 'slack'] as const;
export type InboundSource = (typeof INBOUND_SOURCES)[number];

const INBOUND_WINDOWS: Readonly<Record<InboundSource, DurationLike>> = {
  // Telegram keeps an undelivered update for 24 h; three days of ids is plenty to recognise a redelivery.
  telegram: { days: 3 },
  // Slack retries an event within minutes (at once, +1 min, +5 min) and a submission is repeated within
  // seconds (a double click, a retried request); three days leaves the same wide margin.
  slack: { days: 3 },
};

/** The key of a Slack Events API delivery (its event_id). */
export const slackEventKey = (eventId: string): string => `event:${eventId}`;

/** First caller wins; later callers with the same key get false. Inside a transaction, the key is released if it rolls back. */
export async function claimInbound(db: Db, source: InboundSource, externalId: string, at: Date): Promise<boolean> {
  const rows = await db.insert(inboundDedupe).values({ source, externalId, receivedAt: at }).onConflictDoNothing().returning({ id: inboundDedupe.externalId });
  return rows.length > 0;
}

/**
 * The claim as one statement (RETURNING 1 when this caller took the key), for
 * callers that put it in a larger statement as a data-modifying CTE.
 */
export function claimInboundSql(source: InboundSource, externalId: string, at: DateTime): SQL {
  return sql`insert into ${inboundDedupe} (source, external_id, received_at)
      values (${source}, ${externalId}, ${at.toUTC().toISO()}::timestamptz)
      on conflict do nothing returning 1`;
}

/** Give a claimed key back (handling failed): the platform's redelivery is then processed. */
export async function releaseInbound(db: Db, source: InboundSource, externalId: string): Promise<void> {
  await db.delete(inboundDedupe).where(and(eq(inboundDedupe.source, source), eq(inboundDedupe.externalId, externalId)));
}

/** The highest numeric key seen from a source (Telegram update ids), or null. */
export async function highestInboundId(db: Db, source: InboundSource): Promise<number | null> {
  const [row] = await db
    .select({ max: sql<string | null>`max(${inboundDedupe.externalId}::bigint)` })
    .from(inboundDedupe)
    .where(and(eq(inboundDedupe.source, source), sql`${inboundDedupe.externalId} ~ '^[0-9]{1,15}$'`));
  return row?.max ? Number(row.max) : null;
}

/** Forget every key older than its source's window. Returns how many went. */
export async function purgeInbound(db: Db, now: DateTime): Promise<number> {
  const past = INBOUND_SOURCES.map((s) => and(eq(inboundDedupe.source, s), lt(inboundDedupe.receivedAt, now.minus(INBOUND_WINDOWS[s]).toJSDate())));
  const gone = await db
    .delete(inboundDedupe)
    .where(or(...past))
    .returning({ id: inboundDedupe.externalId });
  return gone.length;
}
