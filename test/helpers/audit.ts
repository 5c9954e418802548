import { and, eq } from 'drizzle-orm';
import type { Db } from '../../src/db/client.js';
import { auditLog } from '../../src/db/schema.js';

/** The audit log's entries of one action on one case, as stored. */
export function caseAudit(db: Db, caseId: string, action: (typeof auditLog.$inferSelect)['action']) {
  return db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.caseId, caseId), eq(auditLog.action, action)));
}

/** The audit log's entries of one action by one actor. */
export function actorAudit(db: Db, actorId: string, action: (typeof auditLog.$inferSelect)['action']) {
  return db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.actorId, actorId)));
}

/** The audit log's entries of one action on one subject (an escalation, a client, a staff member, …). */
export function subjectAudit(db: Db, subjectId: string, action: (typeof auditLog.$inferSelect)['action']) {
  return db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.subjectId, subjectId)));
}
