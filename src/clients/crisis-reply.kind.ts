import { and, eq, isNull } from 'drizzle-orm';
import { inTransaction } from '../db/client.js';
import { deliveries } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { deliveryKind } from '../delivery/kinds/kind.js';
import { loadClient, recipientId } from '../delivery/recipients.js';
import { createI18n, isLang } from '../i18n/i18n.js';
import { EMERGENCY_CONTACTS_SETTING } from '../lib/languages.js';

/**
 * The emergency reply as a ledger row: the safety net behind the in-process
 * reply (src/telegram/crisis-reply.ts). The row is planned with the crisis
 * record, due a little later; if the in-process send succeeds first, the row is
 * marked sent with its message id (recordReplySentInProcess) and never goes out
 * again; if the process died or gave up first, the delivery worker sends it.
 *
 * Unlike other client messages it is sent even when reminders are off or an
 * erasure was requested: someone who just wrote about being in danger gets the
 * emergency contacts. Only a client who blocked the bot (or an erased one, with
 * no chat left) is skipped.
 */
export const CRISIS_REPLY_KIND = 'crisis_reply';

const i18n = createI18n();

export const crisisReplyKind = deliveryKind({
  kind: CRISIS_REPLY_KIND,
  async render(deps, row) {
    const client = await loadClient(deps.db, recipientId(row.recipient, 'client') ?? '');
    if (!client) return { skip: 'client_not_found' };
    if (client.botBlockedAt) return { skip: 'client_blocked_bot' };
    if (client.erasedAt || !client.telegramChatId) return { skip: 'no_channel' };
    const lang = isLang(client.language) ? client.language : 'en';
    const contacts = deps.config[EMERGENCY_CONTACTS_SETTING[lang]];
    return { channel: 'telegram', chatId: client.telegramChatId, text: i18n.t(lang, 'crisis.reply', { contacts }) };
  },
});

/** The in-process reply got through: the ledger row is done (only if no worker has claimed it). */
export async function recordReplySentInProcess(
  deps: Pick<Deps, 'db' | 'audit' | 'clock'>,
  deliveryId: string,
  messageId: number | undefined,
): Promise<boolean> {
  const now = deps.clock.now().toJSDate();
  return inTransaction(deps.db, async (tx) => {
    const [row] = await tx
      .update(deliveries)
      .set({ status: 'sent', sentAt: now, externalRef: messageId !== undefined ? String(messageId) : null, attempts: 1, updatedAt: now })
      .where(and(eq(deliveries.id, deliveryId), eq(deliveries.status, 'pending'), isNull(deliveries.claimToken)))
      .returning({ id: deliveries.id, caseId: deliveries.caseId });
    if (!row) return false;
    await deps.audit.record(
      {
        actor: { type: 'system' },
        action: 'delivery.sent',
        caseId: row.caseId,
        subjectType: 'delivery',
        subjectId: row.id,
        details: { kind: CRISIS_REPLY_KIND, via: 'in_process' },
      },
      tx,
    );
    return true;
  });
}
