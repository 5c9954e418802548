import { and, eq, inArray, isNull } from 'drizzle-orm';
import { inTransaction, type Db } from '../db/client.js';
import { cases, clients, deliveries, erasureRequests, escalations, intakeSessions } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { scheduleAfterCommit, planDeliveries, type DeliveryRow } from '../delivery/ledger.js';
import { erasureSlackCleanupJob } from '../jobs/erasure-slack-cleanup.job.js';
import { anonymiseCases, ERASED_REASON, skipClientDeliveries, trackedMessagesKey, wipeClientIdentity } from './erasure-wipe.js';

/**
 * Carrying out an approved erasure, in steps that each commit on their own:
 *   1. content: every personal value of the client's cases is blanked, open
 *      cases end (withdrawn, reason `erased`), future appointments and pending
 *      messages are cancelled, drafts deleted — and the confirmation to the
 *      client is planned in the ledger, while the chat id still exists;
 *   2. identity, once that confirmation has gone (or could not go): name,
 *      Telegram user and chat ids, tokens, Redis message ids; `client.erased`;
 *   3. the copies in Slack (relayed messages, the case card) are rewritten by
 *      maintenance.erasure-slack-cleanup, queued at the end of step 2.
 * Running it again at any point finishes what is left and changes nothing else.
 */
const ERASURE_DONE_KIND = 'erasure_done';

export type ErasureRunResult = 'done' | 'waiting_for_confirmation' | 'already_done' | 'not_approved' | 'not_found';

export async function runErasure(deps: Deps, requestId: string): Promise<ErasureRunResult> {
  const [r] = await deps.db.select().from(erasureRequests).where(eq(erasureRequests.id, requestId)).limit(1);
  if (!r) return 'not_found';
  if (r.status === 'done') return 'already_done';
  if (r.status !== 'approved' && r.status !== 'erasing') return 'not_approved';
  if (r.step !== 'confirming') await eraseContent(deps, requestId);
  return eraseIdentity(deps, requestId);
}

async function eraseContent(deps: Deps, requestId: string): Promise<void> {
  const now = deps.clock.now();
  const at = now.toJSDate();
  const rows = await inTransaction(deps.db, async (tx): Promise<DeliveryRow[]> => {
    const [r] = await tx.select().from(erasureRequests).where(eq(erasureRequests.id, requestId)).for('update');
    if (!r || r.step === 'confirming' || r.status === 'done') return [];
    const [client] = await tx.select().from(clients).where(eq(clients.id, r.clientId)).for('update');
    if (!client) return [];
    const caseIds = (await tx.select({ id: cases.id }).from(cases).where(eq(cases.clientId, client.id))).map((c) => c.id);
    let planned: DeliveryRow[] = [];
    if (client.telegramChatId != null && !client.erasedAt && !client.botBlockedAt) {
      planned = await planDeliveries(
        tx,
        [{ kind: ERASURE_DONE_KIND, subjectId: r.id, recipient: `client:${client.id}`, channel: 'telegram', dueAt: now }],
        now,
      );
    }
    const keep = planned[0]?.id;
    await anonymiseCases(tx, deps.cipher, caseIds, now, 'erasure', keep);
    if (caseIds.length) {
      await tx
        .update(cases)
        .set({ status: 'withdrawn', closedAt: at, closureReason: ERASED_REASON, nextFollowUpAt: null, updatedAt: at })
        .where(and(inArray(cases.id, caseIds), eq(cases.status, 'open')));
      await tx
        .update(escalations)
        .set({ resolvedAt: at, resolution: ERASED_REASON, nextAt: null, updatedAt: at })
        .where(and(inArray(escalations.caseId, caseIds), isNull(escalations.resolvedAt)));
    }
    await skipClientDeliveries(tx, client.id, now, keep);
    if (client.telegramUserId != null) await tx.delete(intakeSessions).where(eq(intakeSessions.telegramUserId, client.telegramUserId));
    await tx
      .update(erasureRequests)
      .set({ status: 'erasing', step: 'confirming', confirmationDeliveryId: keep ?? null, holdReasonEnc: null, updatedAt: at })
      .where(eq(erasureRequests.id, r.id));
    await deps.audit.record(
      {
        actor: { type: 'system' },
        action: 'client.erasure_content_erased',
        subjectType: 'client',
        subjectId: client.id,
        details: { cases: caseIds.length, confirmation: !!keep },
      },
      tx,
    );
    return planned;
  });
  await scheduleAfterCommit(deps, rows);
}

async function eraseIdentity(deps: Deps, requestId: string): Promise<ErasureRunResult> {
  const [r] = await deps.db.select().from(erasureRequests).where(eq(erasureRequests.id, requestId)).limit(1);
  if (!r) return 'not_found';
  if (r.status === 'done') return 'already_done';
  if (r.confirmationDeliveryId) {
    const [conf] = await deps.db.select({ status: deliveries.status }).from(deliveries).where(eq(deliveries.id, r.confirmationDeliveryId)).limit(1);
    // The chat id is needed until the confirmation has gone; its send (or the erasure tick) runs this again.
    if (conf?.status === 'pending') return 'waiting_for_confirmation';
  }
  const now = deps.clock.now();
  const res = await inTransaction(deps.db, async (tx) => {
    const [locked] = await tx.select().from(erasureRequests).where(eq(erasureRequests.id, requestId)).for('update');
    if (!locked || locked.status === 'done') return { chatId: null, already: true };
    const { chatId } = await wipeClientIdentity(tx, locked.clientId, now, deps.config.DEFAULT_TIMEZONE);
    await tx
      .update(erasureRequests)
      .set({ status: 'done', step: 'done', completedAt: now.toJSDate(), holdReasonEnc: null, updatedAt: now.toJSDate() })
      .where(eq(erasureRequests.id, locked.id));
    await deps.audit.record(
      { actor: { type: 'system' }, action: 'client.erased', subjectType: 'client', subjectId: locked.clientId, details: { request: locked.id } },
      tx,
    );
    return { chatId, already: false };
  });
  if (res.chatId != null) await deps.redis.del(trackedMessagesKey(deps.config.QUEUE_PREFIX, res.chatId));
  // The client's words the app posted in Slack are rewritten too (a job: Slack may be slow or down).
  if (!res.already) await deps.queues.add(erasureSlackCleanupJob, { requestId });
  return res.already ? 'already_done' : 'done';
}

/** For the delivery kind: the chat the confirmation goes to, while the client still has one. */
export async function confirmationTarget(db: Db, requestId: string) {
  const [row] = await db
    .select({ r: erasureRequests, c: clients })
    .from(erasureRequests)
    .innerJoin(clients, eq(clients.id, erasureRequests.clientId))
    .where(eq(erasureRequests.id, requestId))
    .limit(1);
  return row;
}
