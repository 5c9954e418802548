import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Deps } from '../deps.js';
import type { DeliveryKind, Outbound } from './kinds/kind.js';
import type { DeliveryRow } from './ledger.js';
import type { BudgetKey } from './rate-budget.js';
import type { PlatformSenders } from './platform-senders.js';
import type { SentRecord } from './sender.js';
import { claimBatch, confirmBatch, markSentBatch, releaseBatch, renewBatch } from './batch-claims.js';
import { recordSent, type RecordResult } from './send-journal.js';
import { budgetKeys, kindFor } from './send-row.js';
import { finish, HOLD_IN_PROCESS_MS, LATE_TURN_MS } from './send.service.js';
import { InterruptedSendError, PermanentSendError, RateLimitedSendError } from './send-errors.js';
import { metrics } from '../lib/metrics.js';
import { deliverySendJob } from '../jobs/delivery-send.job.js';

/**
 * The batch sender. A delivery job that has just sent its own row with a send
 * slot free at once (the budget is not what limits: limits off, or many
 * chats and channels) sends more due rows in the same run:
 * 1. one statement claims up to DELIVERY_BATCH_SIZE − 1 due rows (batch-claims.ts
 *    claimBatch: oldest first, per-recipient order kept, FOR UPDATE SKIP
 *    LOCKED, never an urgent kind, never a row that has failed before);
 * 2. each reserves its send slot in the shared budgets, in order; the first
 *    whose slot is more than HOLD_IN_PROCESS_MS away ends the batch: it and the
 *    rest are released untried and go out by their own jobs, as today;
 * 3. render, one statement confirming every claim and reading each row's
 *    appointment version (confirmClaim for many), then each is sent as the
 *    single-row path sends: prepare, the send gate, the request;
 * 4. outcomes are recorded by group commit: the first answer is written at
 *    once, the answers that come in while a write is in flight in the next
 *    single statement (markSentBatch), so the window between "the platform
 *    took it" and "recorded" stays one statement long, as for a single row; a
 *    failed write falls back to recordSent row by row (retries, the journal).
 * Anything else (429, transient error, shutdown) releases the row, which then
 * goes the single-row way (its own job, or the due-row tick within seconds).
 * BullMQ stays the clock: every row keeps its own job until the batch has
 * recorded it sent; then the batch removes those jobs (one that already runs
 * finds its row sent).
 */
interface Ready {
  row: DeliveryRow;
  kind: DeliveryKind;
  keys: BudgetKey[];
  slotAt: number;
  out?: Outbound;
}

export interface BatchResult {
  claimed: number;
  sent: number;
}

export async function sendBatch(deps: Deps, senders: PlatformSenders, limit: number): Promise<BatchResult> {
  const stopping = senders.stopping?.signal;
  const channels = [...(senders.telegram ? ['telegram'] : []), ...(senders.slack ? ['slack'] : [])];
  if (limit < 1 || stopping?.aborted || channels.length === 0) return { claimed: 0, sent: 0 };
  const lease = deps.config.DELIVERY_CLAIM_LEASE_SECONDS;
  const urgentKinds = [...deps.deliveryKinds.entries()].filter(([, k]) => k.urgent).map(([name]) => name);
  const token = randomUUID();
  const rows = await claimBatch(deps.db, { token, now: deps.clock.now(), leaseSeconds: lease, limit, channels, urgentKinds });
  if (rows.length === 0) return { claimed: 0, sent: 0 };
  const held = new Set(rows.map((r) => r.id));
  const heartbeat = setInterval(
    () => {
      renewBatch(deps.db, [...held], token, deps.clock.now()).catch((err: Error) => deps.logger.debug({ err: err.message }, 'batch claim heartbeat failed'));
    },
    Math.max(1000, (lease * 1000) / 3),
  );
  heartbeat.unref();
  let sent = 0;
  try {
    // Slots in order; the first that is not free within a second ends the batch.
    const ready: Ready[] = [];
    const untried: string[] = [];
    for (const row of rows) {
      const kind = kindFor(deps, row);
      if (untried.length || !kind) {
        untried.push(row.id);
        continue;
      }
      const keys = budgetKeys(row);
      const slot = await senders.budgets.reserve(keys);
      if (slot.waitMs > HOLD_IN_PROCESS_MS) untried.push(row.id);
      else ready.push({ row, kind, keys, slotAt: slot.at });
    }
    await giveBack(deps, held, untried, token, true);
    // Render (a kind may say skip), then confirm every claim and version in one statement.
    const toSend: Ready[] = [];
    for (const r of ready) {
      try {
        const out = await r.kind.render(deps, r.row);
        if ('skip' in out) {
          held.delete(r.row.id);
          await finish(deps, r.row, { status: 'skipped', reason: out.skip }, { token });
        } else toSend.push({ ...r, out });
      } catch (err) {
        deps.logger.warn({ deliveryId: r.row.id, kind: r.row.kind, err: (err as Error).message }, 'render failed (batch)');
        await giveBack(deps, held, [r.row.id], token);
      }
    }
    if (toSend.length === 0) return { claimed: rows.length, sent: 0 };
    const verdicts = await confirmBatch(
      deps.db,
      toSend.map((r) => r.row.id),
      token,
      deps.clock.now(),
    );
    const recorder = groupCommit(deps, token, stopping);
    const results = await Promise.all(
      toSend.map(async (r) => {
        const verdict = verdicts.get(r.row.id);
        if (verdict === undefined) {
          held.delete(r.row.id); // claim lost (lease ran out and another attempt took it)
          return false;
        }
        if (verdict !== 'ok') {
          held.delete(r.row.id);
          await finish(deps, r.row, { status: 'skipped', reason: verdict }, { token });
          return false;
        }
        return sendOne(deps, senders, r, token, held, recorder, stopping);
      }),
    );
    sent = results.filter(Boolean).length;
    // The rows' own jobs have nothing left to do: removed (all at once), so they do not each wake to find
    // their row sent. A job already running, or one that cannot be removed, just finds the row sent.
    const queue = deps.queues.queue(deliverySendJob.queue);
    await Promise.all(toSend.filter((_, i) => results[i]).map((r) => queue.remove(deliverySendJob.jobId({ deliveryId: r.row.id })).catch(() => 0)));
    return { claimed: rows.length, sent };
  } finally {
    clearInterval(heartbeat);
    // Whatever is still held (an error on the way): back to pending now, not after the lease.
    if (held.size) await releaseBatch(deps.db, [...held], token, deps.clock.now()).catch(() => undefined);
  }
}

async function giveBack(deps: Deps, held: Set<string>, ids: string[], token: string, unattempted = false): Promise<void> {
  if (ids.length === 0) return;
  await releaseBatch(deps.db, ids, token, deps.clock.now(), unattempted);
  for (const id of ids) held.delete(id);
}

/** One row of a batch: the single-row path's send (sendClaimed), with the batch's recorder. True when sent. */
async function sendOne(
  deps: Deps,
  senders: PlatformSenders,
  r: Ready,
  token: string,
  held: Set<string>,
  record: (id: string, sent: SentRecord) => Promise<RecordResult>,
  stopping: AbortSignal | undefined,
): Promise<boolean> {
  const { row, keys } = r;
  const out = r.out!;
  try {
    const hold = r.slotAt - Date.now();
    if (hold > 0) await sleep(hold, undefined, stopping ? { signal: stopping } : {});
    if (stopping?.aborted) throw new InterruptedSendError();
    const request = out.channel === 'telegram' ? await senders.telegram!.prepare(out) : await senders.slack!.prepare(out);
    for (let asked = 0; ; asked++) {
      const turn = await senders.budgets.gate(keys, HOLD_IN_PROCESS_MS);
      if (turn > HOLD_IN_PROCESS_MS) {
        await giveBack(deps, held, [row.id], token);
        return false;
      }
      const at = Date.now() + turn;
      if (turn > 0) await sleep(turn, undefined, stopping ? { signal: stopping } : {});
      if (asked > 0 || Date.now() - at <= LATE_TURN_MS) break;
    }
    if (stopping?.aborted) throw new InterruptedSendError();
    const sent = await request();
    const result = await record(row.id, sent);
    // Journaled (stopping) stays claimed: the next claimant finds the journal. Otherwise the outcome is written.
    held.delete(row.id);
    if (result !== 'recorded') return false;
    metrics.deliveries.inc({ kind: row.kind, channel: row.channel, outcome: 'sent', reason: '' });
    metrics.sendLateness.observe({ channel: row.channel }, Math.max(0, deps.clock.now().toMillis() - row.dueAt.getTime()) / 1000);
    const platform = out.channel === 'telegram' ? senders.telegram : senders.slack;
    await platform?.track?.(sent).catch((err: Error) => deps.logger.warn({ deliveryId: row.id, err: err.message }, 'message tracking failed'));
    if (r.kind.afterSent) {
      const ref = { externalRef: sent.externalRef, ...(sent.channelRef ? { channelRef: sent.channelRef } : {}) };
      await r.kind.afterSent(deps, row, ref).catch((err: Error) => deps.logger.warn({ deliveryId: row.id, err: err.message }, 'afterSent failed'));
    }
    return true;
  } catch (err) {
    if (err instanceof RateLimitedSendError) {
      metrics.rateLimited.inc({ platform: row.channel });
      metrics.rateLimitWait.observe({ platform: row.channel }, err.retryAfterMs / 1000);
      const [first, ...wider] = keys;
      await senders.budgets.pause(first!, err.retryAfterMs);
      for (const k of wider) await senders.budgets.pause(k, Math.min(err.retryAfterMs, 1000));
    } else if (err instanceof PermanentSendError) {
      held.delete(row.id);
      await finish(deps, row, { status: 'failed', reason: err.reason }, { token });
      return false;
    } else if (!(err instanceof InterruptedSendError) && (err as Error).name !== 'AbortError') {
      deps.logger.warn({ deliveryId: row.id, err: (err as Error).message }, 'batch send failed; the row goes the single-row way');
    }
    // Back to pending: its own job (or the due-row tick) sends it the single-row way, retries and all.
    await giveBack(deps, held, [row.id], token).catch(() => undefined);
    return false;
  }
}

/**
 * Group commit of `sent`: the first answer is written at once; answers that
 * arrive while a write is in flight go in the next one, all in one statement.
 * A write that fails falls back to recordSent for each of its rows (which
 * retries, and journals to Redis so the next claimant does not send again).
 */
function groupCommit(deps: Deps, token: string, stopping: AbortSignal | undefined): (id: string, sent: SentRecord) => Promise<RecordResult> {
  let queue: Array<{ id: string; sent: SentRecord; done: (r: RecordResult) => void }> = [];
  let running = false;
  const run = async () => {
    running = true;
    while (queue.length) {
      const take = queue;
      queue = [];
      try {
        const written = await markSentBatch(
          deps.db,
          take.map((t) => ({ id: t.id, externalRef: t.sent.externalRef })),
          token,
          deps.clock.now(),
        );
        for (const t of take) t.done(written.has(t.id) ? 'recorded' : 'written_elsewhere');
      } catch {
        await Promise.all(take.map(async (t) => t.done(await recordSent(deps, t.id, token, t.sent, stopping))));
      }
    }
    running = false;
  };
  return (id, sent) =>
    new Promise<RecordResult>((done) => {
      queue.push({ id, sent, done });
      if (!running) void run();
    });
}
