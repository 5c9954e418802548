import { sql } from 'drizzle-orm';
import { pgTable, uuid, text, integer, bigserial, jsonb, check, index, uniqueIndex } from 'drizzle-orm/pg-core';
import {
  requiredRef,
  uuidPk,
  ts,
  createdAt,
  updatedAt,
  inList,
  ONCALL_SHIFT_KINDS,
  DELIVERY_CHANNELS,
  DELIVERY_STATUSES,
  ESCALATION_REASONS,
  ACTOR_TYPES,
} from './common.js';
import { staff } from './people.js';
import { cases, notes } from './cases.js';

/** Deliveries (the outbound ledger), escalations, the on-call rota, crisis access grants, the audit log. */

export const deliveries = pgTable(
  'deliveries',
  {
    id: uuidPk(),
    kind: text('kind').notNull(),
    subjectId: text('subject_id').notNull(),
    version: integer('version').notNull().default(1),
    /** 'client:<uuid>', 'staff:<uuid>' or 'channel:<slack channel id>' */
    recipient: text('recipient').notNull(),
    channel: text('channel', { enum: DELIVERY_CHANNELS }).notNull(),
    caseId: uuid('case_id').references(() => cases.id, { onDelete: 'cascade' }),
    dueAt: ts('due_at').notNull(),
    /** Earliest moment it may go out (send-ahead window); null = due_at. */
    notBefore: ts('not_before'),
    status: text('status', { enum: DELIVERY_STATUSES }).notNull().default('pending'),
    reason: text('reason'),
    attempts: integer('attempts').notNull().default(0),
    claimedAt: ts('claimed_at'),
    claimToken: text('claim_token'),
    sentAt: ts('sent_at'),
    externalRef: text('external_ref'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('deliveries_once_uq').on(t.kind, t.subjectId, t.version, t.recipient),
    check('deliveries_status_check', inList('status', DELIVERY_STATUSES)),
    check('deliveries_channel_check', inList('channel', DELIVERY_CHANNELS)),
    check('deliveries_recipient_format', sql`recipient ~ '^(client|staff|channel):.+$'`),
    check('deliveries_outcome_has_reason', sql`status in ('pending', 'sent') or reason is not null`),
    check('deliveries_sent_has_time', sql`(status = 'sent') = (sent_at is not null)`),
    index('deliveries_pending_due_idx').on(t.dueAt).where(sql`status = 'pending'`),
    // Per-recipient order: "is an earlier message to this chat still waiting?"
    index('deliveries_pending_recipient_idx').on(t.recipient, t.dueAt).where(sql`status = 'pending'`),
    index('deliveries_case_idx').on(t.caseId, t.createdAt),
  ],
);

export const escalations = pgTable(
  'escalations',
  {
    id: uuidPk(),
    caseId: requiredRef('case_id', () => cases.id, 'cascade'),
    reason: text('reason', { enum: ESCALATION_REASONS }).notNull(),
    level: integer('level').notNull().default(0),
    openedAt: ts('opened_at').notNull(),
    lastNotifiedAt: ts('last_notified_at'),
    nextAt: ts('next_at'),
    notifications: integer('notifications').notNull().default(0),
    acknowledgedAt: ts('acknowledged_at'),
    acknowledgedBy: uuid('acknowledged_by').references(() => staff.id, { onDelete: 'set null' }),
    snoozedUntil: ts('snoozed_until'),
    snoozeReason: text('snooze_reason'),
    resolvedAt: ts('resolved_at'),
    resolvedBy: uuid('resolved_by').references(() => staff.id, { onDelete: 'set null' }),
    resolution: text('resolution'),
    /** Crisis follow-through: after acknowledgement a safety-plan note is due by this time (else it pages again). */
    safetyPlanDueAt: ts('safety_plan_due_at'),
    safetyPlanNoteId: uuid('safety_plan_note_id').references(() => notes.id, { onDelete: 'set null' }),
    /** Crisis outcome code (recorded by a person; a crisis never resolves by itself). */
    outcome: text('outcome'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('escalations_reason_check', inList('reason', ESCALATION_REASONS)),
    check('escalations_level_check', sql`level between 0 and 10`),
    check('escalations_snooze_has_reason', sql`snoozed_until is null or snooze_reason is not null`),
    // At most one open escalation per (case, reason).
    uniqueIndex('escalations_open_uq').on(t.caseId, t.reason).where(sql`resolved_at is null`),
    // "Already opened for this occurrence?" looks at resolved ones too (the sweep's NOT EXISTS).
    index('escalations_case_reason_idx').on(t.caseId, t.reason, t.openedAt),
    index('escalations_next_idx').on(t.nextAt).where(sql`resolved_at is null`),
  ],
);

/**
 * The on-call rota: weekly rota shifts and overrides (cover, swaps) for supervisors and admins.
 * Who is on call at a moment: the overrides covering it, else the rota shifts covering it,
 * else anyone with the standing `staff.on_call` flag. Cancelled shifts are kept (audit trail).
 */
export const oncallShifts = pgTable(
  'oncall_shifts',
  {
    id: uuidPk(),
    staffId: requiredRef('staff_id', () => staff.id, 'cascade'),
    startsAt: ts('starts_at').notNull(),
    endsAt: ts('ends_at').notNull(),
    kind: text('kind', { enum: ONCALL_SHIFT_KINDS }).notNull(),
    /** The team (its supervisor's staff id) this shift covers; null: the whole agency. */
    teamId: uuid('team_id').references(() => staff.id, { onDelete: 'cascade' }),
    createdBy: uuid('created_by').references(() => staff.id, { onDelete: 'set null' }),
    cancelledAt: ts('cancelled_at'),
    createdAt: createdAt(),
  },
  (t) => [
    check('oncall_shifts_kind_check', inList('kind', ONCALL_SHIFT_KINDS)),
    check('oncall_shifts_order', sql`${t.endsAt} > ${t.startsAt}`),
    index('oncall_shifts_time_idx').on(t.startsAt, t.endsAt).where(sql`cancelled_at is null`),
  ],
);

/**
 * Access to a case beyond the usual rule (worker, their supervisor, admins): someone from another
 * team who acknowledged a crisis on it, until that crisis is resolved.
 */
export const caseAccessGrants = pgTable(
  'case_access_grants',
  {
    id: uuidPk(),
    caseId: requiredRef('case_id', () => cases.id, 'cascade'),
    staffId: requiredRef('staff_id', () => staff.id, 'cascade'),
    reason: text('reason').notNull(),
    escalationId: uuid('escalation_id').references(() => escalations.id, { onDelete: 'cascade' }),
    grantedAt: ts('granted_at').notNull(),
    revokedAt: ts('revoked_at'),
  },
  (t) => [
    check('case_access_grants_reason_check', sql`reason in ('crisis_acknowledged')`),
    uniqueIndex('case_access_grants_open_uq').on(t.caseId, t.staffId).where(sql`revoked_at is null`),
  ],
);

/** Append-only (a trigger refuses UPDATE and DELETE). No personal data: ids and action names only. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: ts('at').notNull(),
    actorType: text('actor_type', { enum: ACTOR_TYPES }).notNull(),
    actorId: text('actor_id'),
    action: text('action').notNull(),
    caseId: uuid('case_id'),
    subjectType: text('subject_type'),
    subjectId: text('subject_id'),
    details: jsonb('details').$type<Record<string, string | number | boolean | null>>(),
    requestId: text('request_id'),
  },
  (t) => [check('audit_actor_check', inList('actor_type', ACTOR_TYPES)), index('audit_case_idx').on(t.caseId, t.at), index('audit_at_idx').on(t.at)],
);
