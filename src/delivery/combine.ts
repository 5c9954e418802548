import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import type { DateTime } from 'luxon';
import type { Db } from '../db/client.js';
import { deliveries } from '../db/schema.js';
import { executePrepared } from '../db/prepared.js';
import { claimDueRows } from './batch-claims.js';
import type { DeliveryRow } from './ledger.js';

/**
 * One message for every page waiting for the same person (kinds with `combine`: the crisis page).
 *
 * A Slack DM or channel takes one message a second. When crises come faster than that for one on-call person
 * (B7: 100 crises 1.2 s apart, all to one supervisor), pages sent one per message queue behind each other and
 * the last waits tens of seconds. Instead, a page whose recipient already has a page waiting for its turn
 * (claimed, not yet sent: the "leader") does not take a turn of its own: it stays pending and unclaimed and
 * waits, in its own process, for the leader to take it along. The leader, once its turn comes and right
 * before the request, claims every such page to the same recipient (`gatherCompanions`, one statement) and
 * sends one message listing them all, each with its own buttons; every row is recorded sent with that
 * message's reference. So a page waits for at most one turn of its recipient, however many crises come.
 *
 * Nothing depends on the leader living: a page waiting to be taken along watches its own row, and once no
 * live leader is left and it is still pending and unclaimed it goes the ordinary way (claims it, takes a
 * turn). A leader that dies leaves its companions unclaimed (it claims them only right before it sends) or
 * claimed for one lease, as any send does. Only rows never attempted are taken along (a row tried before may
 * have been accepted by the platform already: it goes the single-row way, which reads the send journal).
 */

/** A page's outcome when another page's message took it along. */
export const SENT_ALONG = 'sent_along_with_another_page';
/** At most this many pages in one message (Slack: 50 blocks; each page is a section and a row of buttons). */
export const COMBINE_MAX = 10;
/** How often a page waiting to be taken along looks at its row. */
const RIDE_POLL_MS = 200;

const base = (kind: string) => kind.split('.')[0]!;

/** Is another page of this kind to this recipient claimed (waiting for its turn or being sent) by a live attempt? */
export async function leaderWaiting(db: Db, row: Pick<DeliveryRow, 'id' | 'kind' | 'recipient'>, now: DateTime, leaseSeconds: number): Promise<boolean> {
  const expired = now.minus({ seconds: leaseSeconds }).toJSDate();
  const [hit] = await executePrepared(
    db,
    'delivery_leader_waiting',
    sql`select 1 as hit from deliveries
      where recipient = ${row.recipient} and status = 'pending' and split_part(kind, '.', 1) = ${base(row.kind)}
        and id <> ${row.id} and claimed_at >= ${expired}
      limit 1`,
  );
  return hit !== undefined;
}

export type RideOutcome = { taken: 'sent' | 'skipped' | 'failed' } | { taken: false } | { interrupted: true };

/**
 * Wait for a leader to take this row along. Returns when the row is no longer pending (taken: its status), when
 * no live leader is left and the row is still pending and unclaimed (taken: false: send it the ordinary way),
 * or when `stopping` fires. Bounded by `maxMs`: after that the caller goes the ordinary way too (its claim
 * then decides who sends).
 */
export async function rideAlong(
  db: Db,
  row: Pick<DeliveryRow, 'id' | 'kind' | 'recipient'>,
  o: { now: () => DateTime; leaseSeconds: number; maxMs: number; stopping?: AbortSignal | undefined },
): Promise<RideOutcome> {
  const until = Date.now() + o.maxMs;
  for (;;) {
    try {
      await sleep(RIDE_POLL_MS, undefined, o.stopping ? { signal: o.stopping } : {});
    } catch {
      return { interrupted: true };
    }
    const now = o.now();
    const [cur] = await db.select({ status: deliveries.status, claimedAt: deliveries.claimedAt }).from(deliveries).where(sql`${deliveries.id} = ${row.id}`);
    if (!cur) return { taken: 'skipped' };
    if (cur.status !== 'pending') return { taken: cur.status as 'sent' | 'skipped' | 'failed' };
    if (Date.now() >= until) return { taken: false };
    // Claimed by a live attempt (a leader took it along and is sending it): wait for the outcome.
    if (cur.claimedAt && cur.claimedAt.getTime() > now.toMillis() - o.leaseSeconds * 1000) continue;
    if (!(await leaderWaiting(db, row, now, o.leaseSeconds))) return { taken: false };
  }
}

/**
 * The leader's step at its turn: claim (with its own token) the other pending, due, never-attempted pages of its
 * kind to its recipient, oldest first, that nobody holds; rows another transaction has locked are skipped.
 */
export async function gatherCompanions(
  db: Db,
  leader: Pick<DeliveryRow, 'id' | 'kind' | 'recipient'>,
  p: { token: string; now: DateTime; leaseSeconds: number; limit: number },
): Promise<DeliveryRow[]> {
  return claimDueRows(
    db,
    'delivery_gather_companions',
    sql`d.recipient = ${leader.recipient} and split_part(d.kind, '.', 1) = ${base(leader.kind)} and d.id <> ${leader.id} and d.attempts = 0`,
    p,
  );
}
