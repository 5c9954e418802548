import { and, eq, inArray } from 'drizzle-orm';
import type { Deps } from '../deps.js';
import { inTransaction } from '../db/client.js';
import { deliveries } from '../db/schema.js';

/**
 * "Not configured" is the operator's to fix, not the message's fault. Rows a
 * process without a platform's token failed that way go back to pending when a
 * process that can send for that platform starts (the due-row tick sends them).
 * Called by every workers start; a no-op when there are none.
 */
function configuredChannels(config: Deps['config']): Array<'telegram' | 'slack'> {
  return [...(config.TELEGRAM_BOT_TOKEN ? (['telegram'] as const) : []), ...(config.SLACK_BOT_TOKEN ? (['slack'] as const) : [])];
}

export async function requeueNotConfigured(deps: Pick<Deps, 'db' | 'audit' | 'clock' | 'config'>): Promise<number> {
  const channels = configuredChannels(deps.config);
  if (channels.length === 0) return 0;
  const now = deps.clock.now().toJSDate();
  return inTransaction(deps.db, async (tx) => {
    const rows = await tx
      .update(deliveries)
      .set({ status: 'pending', reason: null, claimedAt: null, claimToken: null, updatedAt: now })
      .where(
        and(
          eq(deliveries.status, 'failed'),
          inArray(
            deliveries.reason,
            channels.map((c) => `${c}_not_configured`),
          ),
        ),
      )
      .returning({ id: deliveries.id, caseId: deliveries.caseId, kind: deliveries.kind });
    await deps.audit.recordMany(
      rows.map((r) => ({
        actor: { type: 'system' as const },
        action: 'delivery.requeued',
        caseId: r.caseId,
        subjectType: 'delivery',
        subjectId: r.id,
        details: { kind: r.kind, reason: 'platform_now_configured' },
      })),
      tx,
    );
    return rows.length;
  });
}

/**
 * A workers process outside the sandbox must be able to send for both
 * platforms: every flow sends to both, and a process that cannot would take
 * jobs off the queue and fail them. The variables missing, or none.
 */
export function missingPlatformConfig(config: Deps['config']): string[] {
  return [...(config.TELEGRAM_BOT_TOKEN ? [] : ['TELEGRAM_BOT_TOKEN']), ...(config.SLACK_BOT_TOKEN ? [] : ['SLACK_BOT_TOKEN'])];
}
