import { and, eq, lt } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { inboundDedupe } from '../db/schema.js';
import { defaultQuietHours, isInQuietHours } from '../lib/working-time.js';
import { deleteExpiredCallbackTokens } from '../telegram/callback-tokens.js';
import type { Deps } from '../deps.js';
import { planDeliveries, scheduleDeliveries, type DeliveryRow } from '../delivery/ledger.js';
import { idleSpell, INTAKE_EXPIRED_KIND, INTAKE_NUDGE_KIND, intakeRecipient } from './intake-notice.kind.js';
import { needsNudge } from './intake.domain.js';
import { claimNudge, deleteExpiredSessions, findSessionsToNudge, readSessionRow } from './intake.repo.js';

/**
 * Idle drafts: after INTAKE_IDLE_NUDGE_HOURS one gentle nudge (never in the
 * client's quiet hours: the next sweep tries again), after INTAKE_DRAFT_TTL_DAYS
 * the draft is deleted and the client told so. Both messages are ledger rows
 * (src/intake/intake-notice.kind.ts) planned in the transaction that claims the
 * nudge or deletes the draft, so a sweep run twice plans nothing twice and the
 * delivery worker sends each once (rate-budgeted, tracked for /exit). Also
 * forgets old update ids and expired button tokens.
 */
export interface SweepResult {
  nudged: number;
  expired: number;
  deferredQuietHours: number;
}

export async function sweepIntakeDrafts(deps: Deps): Promise<SweepResult> {
  const now = deps.clock.now();
  const out: SweepResult = { nudged: 0, expired: 0, deferredQuietHours: 0 };
  const planned: DeliveryRow[] = [];

  planned.push(
    ...(await deps.db.transaction(async (t) => {
      const tx = t as Db;
      const gone = await deleteExpiredSessions(tx, now);
      out.expired = gone.length;
      await deps.audit.recordMany(
        gone.map((g) => ({ actor: { type: 'system' as const }, action: 'intake.draft_expired', subjectType: 'intake_session', subjectId: g.id })),
        tx,
      );
      return planDeliveries(
        tx,
        gone.map((g) => ({
          kind: INTAKE_EXPIRED_KIND,
          subjectId: `${g.id}:${g.language}`,
          recipient: intakeRecipient(g.chatId),
          channel: 'telegram' as const,
          dueAt: now,
        })),
        now,
      );
    })),
  );

  const idle = { hours: deps.config.INTAKE_IDLE_NUDGE_HOURS };
  for (const row of await findSessionsToNudge(deps.db, now.minus(idle), now)) {
    const session = readSessionRow(deps.cipher, row);
    if (session && !needsNudge(session.state, now, idle, row.nudgedAt ? row.nudgedAt.toISOString() : null)) continue;
    const zone = session?.state.answers.timezone ?? deps.config.DEFAULT_TIMEZONE;
    const quiet = { ...defaultQuietHours(zone), start: deps.config.CLIENT_QUIET_HOURS_START, end: deps.config.CLIENT_QUIET_HOURS_END };
    if (isInQuietHours(quiet, now)) {
      out.deferredQuietHours++;
      continue;
    }
    const rows = await deps.db.transaction(async (t) => {
      const tx = t as Db;
      if (!(await claimNudge(tx, row.id, now))) return [];
      await deps.audit.record({ actor: { type: 'system' }, action: 'intake.nudged', subjectType: 'intake_session', subjectId: row.id }, tx);
      return planDeliveries(
        tx,
        [
          {
            kind: INTAKE_NUDGE_KIND,
            subjectId: row.id,
            version: idleSpell(row.lastActivityAt),
            recipient: intakeRecipient(row.telegramChatId),
            channel: 'telegram',
            dueAt: now,
          },
        ],
        now,
      );
    });
    if (rows.length) out.nudged++;
    planned.push(...rows);
  }
  // A Redis hiccup only delays them: the due-row tick sends pending rows.
  await scheduleDeliveries(deps.queues, planned, now).catch((err: Error) =>
    deps.logger.warn({ err: err.message }, 'intake notices: scheduling deferred to the tick'),
  );

  // Telegram keeps undelivered updates for 24 h; three days of ids is plenty to recognise a redelivery.
  await deps.db.delete(inboundDedupe).where(and(eq(inboundDedupe.source, 'telegram'), lt(inboundDedupe.receivedAt, now.minus({ days: 3 }).toJSDate())));
  await deleteExpiredCallbackTokens(deps.db, now);
  return out;
}
