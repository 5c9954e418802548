import { sql } from 'drizzle-orm';
import { metrics } from '../lib/metrics.js';
import { auditLog, type ACTOR_TYPES } from '../db/schema.js';
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

export class AuditService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Pass `tx` to make the entry part of the same transaction as the change it records. */
  async record(entry: AuditEntry, tx: Db = this.db): Promise<void> {
    await this.insertOne(entry, tx);
    metrics.auditEvents.inc({ action: entry.action });
  }

  /**
   * Many entries in one multi-row INSERT (bulk changes such as an escalation
   * sweep): the same rows `record` would write one by one, in the given order.
   * The columns go as one array parameter each (INSERT … SELECT FROM unnest),
   * so the statement has ten parameters whatever the number of entries: no
   * parameter limit, and no per-value cost of building a 10,000-row VALUES list.
   */
  async recordMany(entries: readonly AuditEntry[], tx: Db = this.db): Promise<void> {
    if (entries.length === 0) return;
    if (entries.length === 1) return this.record(entries[0]!, tx);
    const ctx = currentLogContext();
    const col = <T>(f: (e: AuditEntry) => T) => sql.param(entries.map(f));
    await tx.execute(sql`insert into audit_log (at, actor_type, actor_id, action, case_id, subject_type, subject_id, details, request_id)
      select ${this.clock.now().toJSDate().toISOString()}::timestamptz, v.actor_type, v.actor_id, v.action, v.case_id, v.subject_type, v.subject_id, v.details::jsonb, ${ctx?.requestId ?? ctx?.jobId ?? null}::text
      from unnest(${col((e) => e.actor.type)}::text[], ${col((e) => e.actor.id ?? null)}::text[], ${col((e) => e.action)}::text[],
        ${col((e) => e.caseId ?? null)}::uuid[], ${col((e) => e.subjectType ?? null)}::text[], ${col((e) => e.subjectId ?? null)}::text[],
        ${col((e) => (e.details ? JSON.stringify(e.details) : null))}::text[])
        with ordinality as v(actor_type, actor_id, action, case_id, subject_type, subject_id, details, n)
      order by v.n`);
    for (const e of entries) metrics.auditEvents.inc({ action: e.action });
  }

  private async insertOne(entry: AuditEntry, tx: Db): Promise<void> {
    const ctx = currentLogContext();
    await tx.insert(auditLog).values({
      at: this.clock.now().toJSDate(),
      actorType: entry.actor.type,
      actorId: entry.actor.id ?? null,
      action: entry.action,
      caseId: entry.caseId ?? null,
      subjectType: entry.subjectType ?? null,
      subjectId: entry.subjectId ?? null,
      details: entry.details ?? null,
      requestId: ctx?.requestId ?? ctx?.jobId ?? null,
    });
  }
}
