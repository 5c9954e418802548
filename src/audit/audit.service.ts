import { auditLog, ACTOR_TYPES } from '../db/schema.js';
import type { Db } from '../db/client.js';
import type { Clock } from '../lib/clock.js';
import { currentLogContext } from '../lib/logger.js';

/**
 * Every access to a case and every change is recorded here. Entries hold ids
 * and action names only, never personal data; the table refuses UPDATE/DELETE.
 */
export type Actor = { type: (typeof ACTOR_TYPES)[number]; id?: string | null };

export interface AuditEntry {
  actor: Actor;
  action: string;
  caseId?: string | null;
  subjectType?: string;
  subjectId?: string;
  details?: Record<string, string | number | boolean | null>;
}

export const SYSTEM: Actor = { type: 'system', id: null };

export class AuditService {
  constructor(private readonly db: Db, private readonly clock: Clock) {}

  /** Pass `tx` to make the entry part of the same transaction as the change it records. */
  async record(entry: AuditEntry, tx: Db = this.db): Promise<void> {
    await this.recordMany([entry], tx);
  }

  /**
   * Many entries in one multi-row INSERT (bulk changes such as an escalation
   * sweep): the same rows `record` would write one by one, in the given order.
   * Callers keep each call to a few thousand entries (10 parameters per row,
   * PostgreSQL allows 65,535 per statement).
   */
  async recordMany(entries: readonly AuditEntry[], tx: Db = this.db): Promise<void> {
    if (entries.length === 0) return;
    const ctx = currentLogContext();
    const at = this.clock.now().toJSDate();
    const requestId = ctx?.requestId ?? ctx?.jobId ?? null;
    await tx.insert(auditLog).values(entries.map((entry) => ({
      at,
      actorType: entry.actor.type,
      actorId: entry.actor.id ?? null,
      action: entry.action,
      caseId: entry.caseId ?? null,
      subjectType: entry.subjectType ?? null,
      subjectId: entry.subjectId ?? null,
      details: entry.details ?? null,
      requestId,
    })));
  }
}
