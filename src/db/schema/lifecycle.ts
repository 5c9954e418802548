import { sql } from 'drizzle-orm';
import { pgTable, uuid, text, integer, check, index, uniqueIndex } from 'drizzle-orm/pg-core';
import { requiredRef, uuidPk, ts, createdAt, updatedAt, inList } from './common.js';
import { staff, clients } from './people.js';
import { cases, notes } from './cases.js';

// ---- data lifecycle (issue 15): erasure requests, redaction, retention ------------------------

export const ERASURE_STATUSES = ['pending', 'held', 'approved', 'erasing', 'done'] as const;
export const ERASURE_REQUESTERS = ['client', 'staff'] as const;

/**
 * A client's request to be forgotten (/forget, or staff on their behalf). The
 * case's supervisor decides (erase now / hold with a reason); a deadline climbs
 * a ladder when nobody does. `step` records how far a started erasure got, so
 * a worker that dies halfway resumes where it stopped. One unfinished request per client.
 */
export const erasureRequests = pgTable(
  'erasure_requests',
  {
    id: uuidPk(),
    clientId: requiredRef('client_id', () => clients.id, 'restrict'),
    requestedAt: ts('requested_at').notNull(),
    requestedBy: text('requested_by', { enum: ERASURE_REQUESTERS }).notNull(),
    requestedByStaffId: uuid('requested_by_staff_id').references(() => staff.id, { onDelete: 'set null' }),
    dueAt: ts('due_at').notNull(),
    status: text('status', { enum: ERASURE_STATUSES }).notNull().default('pending'),
    /** 0 = the case's supervisor was asked; higher = escalated up the ladder. */
    level: integer('level').notNull().default(0),
    /** Bumped for every round of Slack notices (request, escalation, hold review): one ledger row per round and recipient. */
    noticeVersion: integer('notice_version').notNull().default(1),
    decidedBy: uuid('decided_by').references(() => staff.id, { onDelete: 'set null' }),
    decidedAt: ts('decided_at'),
    holdReasonEnc: text('hold_reason_enc'),
    holdReviewAt: ts('hold_review_at'),
    step: text('step'),
    confirmationDeliveryId: uuid('confirmation_delivery_id'),
    completedAt: ts('completed_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('erasure_status_check', inList('status', ERASURE_STATUSES)),
    check('erasure_requested_by_check', inList('requested_by', ERASURE_REQUESTERS)),
    check('erasure_held_has_reason', sql`status <> 'held' or (hold_reason_enc is not null and hold_review_at is not null)`),
    uniqueIndex('erasure_open_uq').on(t.clientId).where(sql`status <> 'done'`),
    index('erasure_status_idx').on(t.status, t.dueAt),
  ],
);

/** A note or relayed message blanked by a supervisor (wrong client, entered in error): who, when and why stay. */
export const noteRedactions = pgTable('note_redactions', {
  noteId: uuid('note_id')
    .primaryKey()
    .references(() => notes.id, { onDelete: 'cascade' }),
  redactedBy: uuid('redacted_by').references(() => staff.id, { onDelete: 'set null' }),
  redactedAt: ts('redacted_at').notNull(),
  reasonEnc: text('reason_enc').notNull(),
});

/** Retention: when a case's personal content was anonymised (past its period, or erased with its client). */
export const caseAnonymisations = pgTable(
  'case_anonymisations',
  {
    caseId: uuid('case_id')
      .primaryKey()
      .references(() => cases.id, { onDelete: 'cascade' }),
    anonymisedAt: ts('anonymised_at').notNull(),
    cause: text('cause').notNull(),
  },
  () => [check('case_anonymisations_cause_check', sql`cause in ('erasure', 'retention_closed', 'retention_withdrawn')`)],
);
