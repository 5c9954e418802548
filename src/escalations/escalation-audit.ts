import type { Actor, AuditEntry } from '../audit/audit.service.js';

/** An audit entry about an escalation (subject: the escalation, on its case). */
export function escalationEntry(actor: Actor, action: string, caseId: string, escalationId: string, details?: AuditEntry['details']): AuditEntry {
  return { actor, action, caseId, subjectType: 'escalation', subjectId: escalationId, ...(details ? { details } : {}) };
}

/** A staff member's action on an escalation. */
export const staffEscalationEntry = (staffId: string, action: string, caseId: string, escalationId: string, details?: AuditEntry['details']): AuditEntry =>
  escalationEntry({ type: 'staff', id: staffId }, action, caseId, escalationId, details);
