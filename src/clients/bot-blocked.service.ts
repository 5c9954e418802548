import { and, eq, isNotNull } from 'drizzle-orm';
import { inTransaction } from '../db/client.js';
import { clients } from '../db/schema.js';
import type { Deps } from '../deps.js';

/**
 * Anything from a client who had blocked the bot proves they unblocked it: their
 * bot_blocked_at is cleared (so reminders and worker messages reach them again)
 * and the audit log says so. The Telegram guard calls this when its first
 * statement saw bot_blocked_at set.
 */
export async function clearBotBlocked(deps: Pick<Deps, 'db' | 'clock' | 'audit'>, telegramUserId: number): Promise<void> {
  await inTransaction(deps.db, async (tx) => {
    const now = deps.clock.now().toJSDate();
    const cleared = await tx
      .update(clients)
      .set({ botBlockedAt: null, updatedAt: now })
      .where(and(eq(clients.telegramUserId, telegramUserId), isNotNull(clients.botBlockedAt)))
      .returning({ id: clients.id });
    for (const c of cleared) {
      await deps.audit.record({ actor: { type: 'client', id: c.id }, action: 'client.bot_unblocked', subjectType: 'client', subjectId: c.id }, tx);
    }
  });
}
