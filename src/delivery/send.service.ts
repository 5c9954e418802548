import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { eq } from 'drizzle-orm';
import type { Deps } from '../deps.js';
import { inTransaction } from '../db/client.js';
import { clients } from '../db/schema.js';
import type { DeliveryKind, Outbound } from './kinds/kind.js';
import { claimDelivery, confirmClaim, finishDelivery, releaseClaim, renewClaim } from './claims.js';
import { readJournal, recordSent } from './send-journal.js';
import type { DeliveryRow } from './ledger.js';
import type { BudgetKey } from './rate-budget.js';
import { CLIENT_BLOCKED, InterruptedSendError, PermanentSendError, RateLimitedSendError } from './send-errors.js';
import { platformSenders, type PlatformSenders } from './platform-senders.js';
import type { SentRecord } from './sender.js';
import { budgetKeys, kindFor, loadRow } from './send-row.js';
import { planFailureNotice } from './failure-notice.js';
import { metrics, reasonLabel } from '../lib/metrics.js';
import { COMBINE_MAX, gatherCompanions, leaderWaiting, rideAlong, SENT_ALONG } from './combine.js';
import { releaseBatch } from './batch-claims.js';
import { isUuid } from '../lib/uuid.js';

/**
 * One send attempt for one ledger row, independent of BullMQ (the processor
 * maps the outcome onto the job). Order: reload → still pending? → due by
 * deps.clock? → render (the kind may say skip: superseded, cancelled…) →
 * rate budget → claim → send → record. Rows always end with a reason.
 *
 * Double sends: the claim stops two live attempts. What remains is the
 * moment between the platform accepting a message and our UPDATE marking it
 * sent: if the process dies exactly there (or the HTTP response is lost), the
 * row is still pending and is sent again once its lease expires. That window
 * is one network round trip plus one UPDATE; closing it would need the
 * platform to de-duplicate, which neither Telegram nor Slack offers.
 */
export type SendOutcome =
  | { kind: 'sent'; externalRef: string }
  | { kind: 'skipped'; reason: string }
  | { kind: 'wait'; ms: number; reason: string; slotAt?: number }
  | { kind: 'retry'; reason: string }
  | { kind: 'failed'; reason: string };

/**
 * A slot this close is waited for in-process (the claim held); a later one is waited for as a delayed job.
 * Send slots are real time (Date.now, Redis TIME), not deps.clock: the platforms count real seconds.
 */
export const HOLD_IN_PROCESS_MS = 1000;
/**
 * An urgent row (a crisis page, the emergency reply's hand-over) waits this long in process for its turn at the
 * moment of sending, claim held, rather than go back to the queue, which is slower for it (behind a reminder burst:
 * seconds to minutes in B7). Its recipient's budget (Slack: one message a second per DM) still spaces it.
 */
const URGENT_HOLD_MS = 30_000;
/**
 * How long a message waits before checking again for an earlier one to the
 * same recipient: one per-chat interval (it could not go sooner anyway), so a
 * second message to a client queued behind a burst polls once a second.
 */
const ORDER_WAIT_MS = 1000;
/** A send woken this much after its turn (a stalled event loop) asks for a fresh one, so it cannot go right on top of the next turn. */
export const LATE_TURN_MS = 15;

export async function sendDelivery(
  deps: Deps,
  deliveryId: string,
  opts: { finalAttempt: boolean; senders?: PlatformSenders; slotAt?: number; rode?: boolean },
): Promise<SendOutcome> {
  const senders = opts.senders ?? platformSenders(deps);
  const lease = deps.config.DELIVERY_CLAIM_LEASE_SECONDS;
  const now = deps.clock.now();
  const loaded = await loadRow(deps, deliveryId, now.toJSDate());
  if (!loaded) return { kind: 'skipped', reason: 'not_found' };
  const { earlierWaiting, ...row } = loaded;
  if (row.status !== 'pending') return { kind: 'skipped', reason: `already_${row.status}` };
  // Held by a live claim (another worker is sending, or died less than a lease ago): not ours to touch.
  if (row.claimedAt && row.claimedAt.getTime() > now.toMillis() - lease * 1000) return { kind: 'skipped', reason: 'claimed_by_another_attempt' };
  const dueAt = (row.notBefore ?? row.dueAt).getTime();
  if (dueAt > now.toMillis()) return { kind: 'wait', ms: dueAt - now.toMillis(), reason: 'not_due_yet' };
  const kind = kindFor(deps, row);
  if (earlierWaiting && !kind?.urgent) return { kind: 'wait', ms: ORDER_WAIT_MS, reason: 'earlier_message_first' };

  if (!kind) return finish(deps, row, { status: 'failed', reason: 'unknown_kind' }, { leaseSeconds: lease });

  // A page whose recipient already has a page waiting for its turn goes along in that one's message (combine.ts).
  if (kind.urgent && kind.combine && row.attempts === 0 && !opts.rode && (await leaderWaiting(deps.db, row, now, lease))) {
    const ride = await rideAlong(deps.db, row, {
      now: () => deps.clock.now(),
      leaseSeconds: lease,
      maxMs: URGENT_HOLD_MS + 5000,
      stopping: senders.stopping?.signal,
    });
    if ('interrupted' in ride) return { kind: 'wait', ms: 0, reason: 'interrupted_by_shutdown' };
    if (ride.taken === 'sent') return { kind: 'skipped', reason: SENT_ALONG };
    if (ride.taken) return { kind: 'skipped', reason: `already_${ride.taken}` };
    // Nobody took it along (the leader gave up or died): the ordinary way, from a fresh read.
    return sendDelivery(deps, deliveryId, { ...opts, rode: true });
  }

  // Queue for a send slot first, before any rendering: in a burst most rows wait
  // as delayed jobs and are rendered once, when their slot comes (a slot reserved
  // on an earlier run stays ours; if we woke late, the gate below still spaces
  // the send). A row then skipped leaves a gap, never a burst. An urgent row does not queue among the reserved
  // slots (nor, woken from a delay, at the tail of the queue behind a burst): it takes the next turn at the gate
  // below, held in process for up to URGENT_HOLD_MS, so it goes ahead of reminders and is still spaced.
  const keys = budgetKeys(row);
  let slotAt = opts.slotAt ?? (kind.urgent ? Date.now() : undefined);
  if (slotAt === undefined) {
    const slot = await senders.budgets.reserve(keys);
    if (slot.waitMs > HOLD_IN_PROCESS_MS) return { kind: 'wait', ms: slot.waitMs, reason: 'rate_budget', slotAt: slot.at };
    slotAt = slot.at;
  } else if (slotAt - Date.now() > HOLD_IN_PROCESS_MS) {
    // Woken early (promoted by hand or by a tick): back to waiting for the slot we hold.
    return { kind: 'wait', ms: slotAt - Date.now(), reason: 'rate_budget', slotAt };
  }

  let out: Awaited<ReturnType<DeliveryKind['render']>>;
  try {
    out = await kind.render(deps, row);
  } catch (err) {
    deps.logger.warn({ deliveryId, kind: row.kind, err: (err as Error).message }, 'render failed');
    if (opts.finalAttempt) return finish(deps, row, { status: 'failed', reason: 'render_failed' }, { leaseSeconds: lease });
    return { kind: 'retry', reason: 'render_failed' };
  }
  if ('skip' in out) return finish(deps, row, { status: 'skipped', reason: out.skip }, { leaseSeconds: lease });
  const sender = out.channel === 'telegram' ? senders.telegram : senders.slack;
  if (!sender) return finish(deps, row, { status: 'failed', reason: `${out.channel}_not_configured` }, { leaseSeconds: lease });

  const token = randomUUID();
  const claimed = await claimDelivery(deps.db, row.id, token, now, lease);
  if (!claimed) return { kind: 'skipped', reason: 'claimed_by_another_attempt' };
  const stopping = senders.stopping?.signal;
  // The lease is short (a dead worker's rows move on in seconds): keep it while this attempt is alive.
  const heartbeat = setInterval(
    () => {
      renewClaim(deps.db, row.id, token, deps.clock.now()).catch((err: Error) => deps.logger.debug({ deliveryId, err: err.message }, 'claim heartbeat failed'));
    },
    Math.max(1000, (lease * 1000) / 3),
  );
  heartbeat.unref();
  try {
    return await sendClaimed(deps, senders, {
      row,
      claimed,
      token,
      out,
      kind,
      keys,
      slotAt,
      finalAttempt: opts.finalAttempt,
      stopping,
      holdMs: kind.urgent ? URGENT_HOLD_MS : HOLD_IN_PROCESS_MS,
    });
  } finally {
    clearInterval(heartbeat);
  }
}

interface Claimed {
  row: DeliveryRow;
  claimed: DeliveryRow;
  token: string;
  out: Outbound;
  kind: DeliveryKind;
  keys: BudgetKey[];
  slotAt: number;
  finalAttempt: boolean;
  stopping: AbortSignal | undefined;
  holdMs: number;
}

async function sendClaimed(deps: Deps, senders: PlatformSenders, c: Claimed): Promise<SendOutcome> {
  const { row, claimed, token, out, keys, stopping } = c;
  try {
    // An earlier attempt may have been accepted by the platform without managing to record it (database down,
    // then that process exited): its journal entry says so, and this attempt records it instead of sending again.
    if (claimed.attempts > 1) {
      const journaled = await readJournal(deps.redis, deps.config.QUEUE_PREFIX, row.id);
      if (journaled) return await recorded(deps, senders, c, journaled, 'journal');
    }
    const hold = c.slotAt - Date.now();
    if (hold > 0) await sleep(hold, undefined, stopping ? { signal: stopping } : {});
    if (stopping?.aborted) throw new InterruptedSendError();
    // After the wait, in the statement that renews the claim: is this still the appointment's current version?
    const verdict = await confirmClaim(deps.db, row.id, token, deps.clock.now());
    if (verdict === null) return { kind: 'skipped', reason: 'claimed_by_another_attempt' };
    if (verdict !== 'ok') return finish(deps, claimed, { status: 'skipped', reason: verdict }, { token });
    // The platform's own preparation (Telegram: its buttons' callback tokens), before the turn.
    const request = await prepared(senders, out);
    // Last, right before the request (so database round trips do not add to the spacing the platform sees):
    // the gate hands out a turn once (recorded in Redis); wait for it and send. Only a wake-up later
    // than LATE_TURN_MS (a stalled event loop) asks for a fresh turn, so late sends cannot bunch.
    // An urgent row the platform asks to wait (429) waits here, claim held, and goes again while its hold lasts:
    // back in the queue it would wait behind a burst.
    // An urgent row late for its turn by less than half its tightest key's interval keeps it (a page to a Slack DM
    // woken 20 ms late on a loaded machine would otherwise give up a whole second each time); others keep LATE_TURN_MS.
    const lateOk = c.kind.urgent ? senders.budgets.lateToleranceMs(keys, LATE_TURN_MS) : LATE_TURN_MS;
    for (let waited429 = 0; ; ) {
      for (let asked = 0; ; asked++) {
        const turn = await senders.budgets.gate(keys, c.holdMs);
        if (turn > c.holdMs) {
          await releaseClaim(deps.db, row.id, token, deps.clock.now());
          return { kind: 'wait', ms: turn, reason: 'rate_budget' };
        }
        const at = Date.now() + turn;
        if (turn > 0) await sleep(turn, undefined, stopping ? { signal: stopping } : {});
        if (asked > 0 || Date.now() - at <= lateOk) break;
      }
      if (stopping?.aborted) throw new InterruptedSendError();
      // A page takes along every page to the same person waiting for it (combine.ts): one message, one turn.
      const along = c.kind.combine ? await takeAlong(deps, senders, c) : undefined;
      let sent: SentRecord;
      try {
        sent = await (along?.request ?? request)();
      } catch (err) {
        // Not sent: the pages taken along go back as they were (not attempted), to be taken along again.
        if (along)
          await releaseBatch(
            deps.db,
            along.rows.map((r) => r.id),
            token,
            deps.clock.now(),
            true,
          ).catch(() => undefined);
        if (!(err instanceof RateLimitedSendError) || !c.kind.urgent || waited429 + err.retryAfterMs > c.holdMs) throw err;
        waited429 += err.retryAfterMs;
        await heldBack(senders, c, err);
        await sleep(err.retryAfterMs, undefined, stopping ? { signal: stopping } : {});
        continue;
      }
      if (along) await recordedAlong(deps, c, along.rows, sent);
      return await recorded(deps, senders, c, sent, 'platform');
    }
  } catch (err) {
    const at = deps.clock.now();
    if (err instanceof InterruptedSendError || (err as Error).name === 'AbortError') {
      // Shutting down before the platform answered: back to pending at once for the next worker, no attempt used.
      await releaseClaim(deps.db, row.id, token, at).catch(() => undefined);
      return { kind: 'wait', ms: 0, reason: 'interrupted_by_shutdown' };
    }
    if (err instanceof RateLimitedSendError) {
      // Back to the queue for the time the platform gave (everyone holds back: heldBack).
      await heldBack(senders, c, err);
      await releaseClaim(deps.db, row.id, token, at);
      return { kind: 'wait', ms: err.retryAfterMs, reason: 'platform_rate_limited' };
    }
    if (err instanceof PermanentSendError) return finish(deps, claimed, { status: 'failed', reason: err.reason }, { token });
    const reason = (err as { reason?: string }).reason ?? 'send_error';
    if (c.finalAttempt) return finish(deps, claimed, { status: 'failed', reason: `retries_exhausted:${reason}` }, { token });
    await releaseClaim(deps.db, row.id, token, at);
    return { kind: 'retry', reason };
  }
}

const prepared = (senders: PlatformSenders, out: Outbound) => (out.channel === 'telegram' ? senders.telegram!.prepare(out) : senders.slack!.prepare(out));

/**
 * At the leader's turn: claim the pages waiting for the same recipient, render each (one acknowledged meanwhile
 * is skipped, one that fails to render is given back) and prepare the one message listing them with its own.
 * Undefined when there is nothing to take along.
 */
async function takeAlong(deps: Deps, senders: PlatformSenders, c: Claimed): Promise<{ rows: DeliveryRow[]; request: () => Promise<SentRecord> } | undefined> {
  const lease = deps.config.DELIVERY_CLAIM_LEASE_SECONDS;
  const gathered = await gatherCompanions(deps.db, c.row, { token: c.token, now: deps.clock.now(), leaseSeconds: lease, limit: COMBINE_MAX - 1 });
  if (gathered.length === 0) return undefined;
  const rendered = await Promise.all(
    gathered.map(async (row) => {
      try {
        const out = await c.kind.render(deps, row);
        if ('skip' in out) {
          await finish(deps, row, { status: 'skipped', reason: out.skip }, { token: c.token });
          return undefined;
        }
        if (out.channel === c.out.channel) return { row, out };
      } catch (err) {
        deps.logger.warn({ deliveryId: row.id, kind: row.kind, err: (err as Error).message }, 'render failed; this page goes on its own');
      }
      await releaseBatch(deps.db, [row.id], c.token, deps.clock.now(), true);
      return undefined;
    }),
  );
  const parts = rendered.filter((p) => p !== undefined);
  if (parts.length === 0) return undefined;
  const message = c.kind.combine!([{ row: c.claimed, out: c.out }, ...parts]);
  deps.logger.info({ deliveryId: c.row.id, kind: c.row.kind, along: parts.length }, 'pages waiting for the same person go in one message');
  return { rows: parts.map((p) => p.row), request: await prepared(senders, message) };
}

/** The pages taken along were sent in the leader's message: each is recorded sent with its reference. */
async function recordedAlong(deps: Deps, c: Claimed, rows: DeliveryRow[], sent: SentRecord): Promise<void> {
  for (const row of rows) {
    const result = await recordSent(deps, row.id, c.token, sent, c.stopping);
    if (result === 'recorded') metrics.deliveries.inc({ kind: row.kind, channel: row.channel, outcome: 'sent', reason: '' });
  }
}

/**
 * A 429: counted, and every process holds back on the keys it names. Telegram's does not say whether the chat or
 * the whole bot was over: the chat is held for the time given and the bot for at most a second (a chat's flood
 * limit can ask for tens of seconds, which must not stall every other client).
 */
async function heldBack(senders: PlatformSenders, c: Claimed, err: RateLimitedSendError): Promise<void> {
  metrics.rateLimited.inc({ platform: c.row.channel });
  metrics.rateLimitWait.observe({ platform: c.row.channel }, err.retryAfterMs / 1000);
  const [first, ...wider] = c.keys;
  await senders.budgets.pause(first!, err.retryAfterMs);
  for (const k of wider) await senders.budgets.pause(k, Math.min(err.retryAfterMs, 1000));
}

/** The platform accepted the message (now, or an earlier attempt per the journal): record it, then the side effects. */
async function recorded(deps: Deps, senders: PlatformSenders, c: Claimed, sent: SentRecord, from: 'platform' | 'journal'): Promise<SendOutcome> {
  const deliveryId = c.row.id;
  const result = await recordSent(deps, deliveryId, c.token, sent, c.stopping);
  if (result === 'written_elsewhere') return { kind: 'skipped', reason: 'outcome_written_elsewhere' };
  // Journaled, not yet in PostgreSQL (this process is stopping): whoever claims the row next records it.
  if (result === 'journaled') return { kind: 'wait', ms: 1000, reason: 'sent_not_yet_recorded' };
  if (from === 'journal') deps.logger.info({ deliveryId }, 'recorded a send an earlier attempt had journaled; not sent again');
  metrics.deliveries.inc({ kind: c.row.kind, channel: c.row.channel, outcome: 'sent', reason: '' });
  metrics.sendLateness.observe({ channel: c.row.channel }, Math.max(0, deps.clock.now().toMillis() - c.row.dueAt.getTime()) / 1000);
  // Whatever its kind, the platform remembers the message (Telegram: every message in a client's chat can be wiped by the quick exit).
  const platform = c.out.channel === 'telegram' ? senders.telegram : senders.slack;
  await platform?.track?.(sent).catch((err: Error) => deps.logger.warn({ deliveryId, err: err.message }, 'message tracking failed'));
  if (c.kind.afterSent) {
    const ref = { externalRef: sent.externalRef, ...(sent.channelRef ? { channelRef: sent.channelRef } : {}) };
    await c.kind.afterSent(deps, c.claimed, ref).catch((err: Error) => deps.logger.warn({ deliveryId, err: err.message }, 'afterSent failed'));
  }
  return { kind: 'sent', externalRef: sent.externalRef };
}

/** Not sent: 'sent' is written by markSent (one statement) on the hot path. */
type Outcome = { status: 'skipped' | 'failed'; reason: string };

/** Write the outcome and its audit entry in one transaction; side effects of permanent failures after. */
export async function finish(deps: Deps, row: DeliveryRow, outcome: Outcome, guard: { token: string } | { leaseSeconds: number }): Promise<SendOutcome> {
  const now = deps.clock.now();
  const written = await inTransaction(deps.db, async (tx) => {
    const updated = await finishDelivery(tx, row.id, outcome, now, guard);
    if (!updated) return null;
    await deps.audit.record(
      {
        actor: { type: 'system' },
        action: `delivery.${outcome.status}`,
        caseId: row.caseId,
        subjectType: 'delivery',
        subjectId: row.id,
        details: { kind: row.kind, reason: outcome.reason },
      },
      tx,
    );
    // A client row ('client:<uuid>'); someone still in intake is named by their chat ('client:tg:<id>') and has none.
    const clientId = row.recipient.slice('client:'.length);
    if (outcome.status === 'failed' && outcome.reason === CLIENT_BLOCKED && row.recipient.startsWith('client:') && isUuid(clientId)) {
      await tx.update(clients).set({ botBlockedAt: now.toJSDate(), updatedAt: now.toJSDate() }).where(eq(clients.id, clientId));
    }
    return updated;
  });
  if (!written) {
    // Someone else wrote the outcome (our lease ran out and another attempt finished): nothing more to do.
    return { kind: 'skipped', reason: 'outcome_written_elsewhere' };
  }
  metrics.deliveries.inc({ kind: row.kind, channel: row.channel, outcome: outcome.status, reason: reasonLabel(outcome.reason) });
  if (outcome.status === 'failed') await planFailureNotice(deps, row, outcome.reason);
  return outcome.status === 'skipped' ? { kind: 'skipped', reason: outcome.reason } : { kind: 'failed', reason: outcome.reason };
}
