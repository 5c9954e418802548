import { sql } from 'drizzle-orm';
import {
  pgTable,
  uuid,
  text,
  timestamp,
  boolean,
  integer,
  bigint,
  bigserial,
  jsonb,
  date,
  check,
  index,
  uniqueIndex,
  primaryKey,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { LANGUAGES } from '../lib/languages.js';
import { CATEGORIES } from '../lib/categories.js';

/**
 * The system of record. Every appointment, follow-up, reminder and escalation
 * is a row here first; Redis only holds schedules that can be rebuilt from it.
 * Columns ending in `_enc` hold AES-GCM envelopes (src/lib/crypto.ts), never plain text.
 * Enumerations are CHECK constraints so a bad value can never be stored.
 */

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const createdAt = () => ts('created_at').notNull().defaultNow();
const updatedAt = () => ts('updated_at').notNull().defaultNow();
const inList = (col: string, values: readonly string[]) => sql.raw(`${col} in (${values.map((v) => `'${v}'`).join(', ')})`);

export const STAFF_ROLES = ['worker', 'supervisor', 'admin'] as const;
export const CASE_TYPES = ['therapeutic', 'developmental'] as const;
export const CASE_PHASES = ['intake', 'assessment', 'planning', 'implementation', 'evaluation', 'closed'] as const;
export const CASE_STATUSES = ['open', 'closed', 'withdrawn'] as const;
export const PRIORITIES = ['crisis', 'high', 'normal', 'low'] as const;
export const GOAL_STATUSES = ['active', 'achieved', 'partly_achieved', 'not_achieved', 'dropped'] as const;
export const NOTE_KINDS = ['interview', 'phone', 'home_visit', 'collateral', 'supervision', 'message', 'system', 'safety_plan'] as const;
export const ONCALL_SHIFT_KINDS = ['rota', 'override'] as const;
export const NOTE_DIRECTIONS = ['to_client', 'from_client'] as const;
export const APPOINTMENT_MODES = ['in_person', 'phone', 'video'] as const;
export const APPOINTMENT_STATUSES = ['scheduled', 'cancelled', 'attended', 'no_show'] as const;
export const CLIENT_RESPONSES = ['confirmed', 'needs_other_time', 'cant_come'] as const;
export const DELIVERY_CHANNELS = ['telegram', 'slack'] as const;
export const DELIVERY_STATUSES = ['pending', 'sent', 'skipped', 'failed'] as const;
export const ESCALATION_REASONS = ['follow_up_overdue', 'quiet_case', 'unassigned_intake', 'crisis', 'no_show_repeat'] as const;
export const ACTOR_TYPES = ['client', 'staff', 'system'] as const;

export const staff = pgTable(
  'staff',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slackUserId: text('slack_user_id').notNull().unique(),
    displayName: text('display_name').notNull(),
    role: text('role', { enum: STAFF_ROLES }).notNull(),
    supervisorId: uuid('supervisor_id').references((): AnyPgColumn => staff.id, { onDelete: 'set null' }),
    timeZone: text('time_zone').notNull(),
    /** { days: [1..7], start: 'HH:mm', end: 'HH:mm' } in time_zone. */
    workingHours: jsonb('working_hours')
      .$type<{ days: number[]; start: string; end: string }>()
      .notNull()
      .default({ days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }),
    onCall: boolean('on_call').notNull().default(false),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('staff_role_check', inList('role', STAFF_ROLES)),
    check('staff_not_own_supervisor', sql`${t.supervisorId} is null or ${t.supervisorId} <> ${t.id}`),
    index('staff_supervisor_idx').on(t.supervisorId),
  ],
);

export const clients = pgTable(
  'clients',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    telegramUserId: bigint('telegram_user_id', { mode: 'number' }).unique(),
    telegramChatId: bigint('telegram_chat_id', { mode: 'number' }),
    preferredNameEnc: text('preferred_name_enc'),
    language: text('language', { enum: LANGUAGES }).notNull().default('en'),
    timeZone: text('time_zone').notNull(),
    quietHoursStart: text('quiet_hours_start').notNull().default('21:00'),
    quietHoursEnd: text('quiet_hours_end').notNull().default('08:00'),
    remindersOff: boolean('reminders_off').notNull().default(false),
    botBlockedAt: ts('bot_blocked_at'),
    erasureRequestedAt: ts('erasure_requested_at'),
    erasedAt: ts('erased_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  () => [
    check('clients_language_check', inList('language', LANGUAGES)),
    check('clients_quiet_hours_check', sql`quiet_hours_start ~ '^[0-2][0-9]:[0-5][0-9]$' and quiet_hours_end ~ '^[0-2][0-9]:[0-5][0-9]$'`),
  ],
);

/** The service agreement. A refusal keeps only the fact (no client row). */
export const consents = pgTable(
  'consents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    clientId: uuid('client_id').references(() => clients.id, { onDelete: 'cascade' }),
    agreementVersion: text('agreement_version').notNull(),
    language: text('language', { enum: LANGUAGES }).notNull(),
    givenAt: ts('given_at'),
    declinedAt: ts('declined_at'),
    revokedAt: ts('revoked_at'),
    createdAt: createdAt(),
  },
  (t) => [
    check('consents_language_check', inList('language', LANGUAGES)),
    check('consents_given_or_declined', sql`(given_at is not null) <> (declined_at is not null)`),
    check('consents_given_has_client', sql`given_at is null or client_id is not null`),
    index('consents_client_idx').on(t.clientId),
  ],
);

/** Resumable intake conversation; the whole state (answers included) is encrypted. */
export const intakeSessions = pgTable(
  'intake_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    telegramUserId: bigint('telegram_user_id', { mode: 'number' }).notNull().unique(),
    telegramChatId: bigint('telegram_chat_id', { mode: 'number' }).notNull(),
    step: text('step').notNull(),
    language: text('language', { enum: LANGUAGES }).notNull(),
    stateEnc: text('state_enc').notNull(),
    nudgedAt: ts('nudged_at'),
    lastActivityAt: ts('last_activity_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('intake_sessions_activity_idx').on(t.lastActivityAt)],
);

/** At-least-once platforms: remember what was processed (Telegram update_id, Slack event_id, modal submits). */
export const inboundDedupe = pgTable(
  'inbound_dedupe',
  {
    source: text('source').notNull(),
    externalId: text('external_id').notNull(),
    receivedAt: ts('received_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.source, t.externalId] }), index('inbound_dedupe_received_idx').on(t.receivedAt)],
);

/** Server-side state behind Telegram callback_data (≤ 64 bytes) and similar tokens. */
export const callbackTokens = pgTable(
  'callback_tokens',
  {
    token: text('token').primaryKey(),
    chatId: bigint('chat_id', { mode: 'number' }).notNull(),
    action: jsonb('action').$type<Record<string, unknown>>().notNull(),
    expiresAt: ts('expires_at').notNull(),
    usedAt: ts('used_at'),
    createdAt: createdAt(),
  },
  (t) => [index('callback_tokens_expires_idx').on(t.expiresAt)],
);

export const caseReferenceCounters = pgTable('case_reference_counters', {
  year: integer('year').primaryKey(),
  last: integer('last').notNull(),
});

export const cases = pgTable(
  'cases',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    reference: text('reference').notNull().unique(),
    clientId: uuid('client_id')
      .notNull()
      .references(() => clients.id, { onDelete: 'restrict' }),
    type: text('type', { enum: CASE_TYPES }),
    phase: text('phase', { enum: CASE_PHASES }).notNull().default('intake'),
    status: text('status', { enum: CASE_STATUSES }).notNull().default('open'),
    priority: text('priority', { enum: PRIORITIES }).notNull().default('normal'),
    category: text('category', { enum: CATEGORIES }).notNull(),
    urgency: text('urgency'),
    crisis: boolean('crisis').notNull().default(false),
    assignedWorkerId: uuid('assigned_worker_id').references(() => staff.id, { onDelete: 'set null' }),
    assignedAt: ts('assigned_at'),
    /** Intake answers (narrative, wishes, support network, strengths, availability). */
    intakeEnc: text('intake_enc'),
    planEnc: text('plan_enc'),
    selfHelpFocusEnc: text('self_help_focus_enc'),
    evaluationEnc: text('evaluation_enc'),
    closureReason: text('closure_reason'),
    lastNoteAt: ts('last_note_at'),
    nextFollowUpAt: ts('next_follow_up_at'),
    followUpSetAt: ts('follow_up_set_at'),
    consecutiveNoShows: integer('consecutive_no_shows').notNull().default(0),
    /** The case card in the worker's Slack DM; client messages are threaded under it. */
    slackChannel: text('slack_channel'),
    slackThreadTs: text('slack_thread_ts'),
    intakeCardChannel: text('intake_card_channel'),
    intakeCardTs: text('intake_card_ts'),
    openedAt: ts('opened_at').notNull().defaultNow(),
    closedAt: ts('closed_at'),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('cases_reference_format', sql`reference ~ '^C-[0-9]{4}-[0-9]{4,}$'`),
    check('cases_type_check', sql`type is null or ${inList('type', CASE_TYPES)}`),
    check('cases_phase_check', inList('phase', CASE_PHASES)),
    check('cases_status_check', inList('status', CASE_STATUSES)),
    check('cases_priority_check', inList('priority', PRIORITIES)),
    check('cases_category_check', inList('category', CATEGORIES)),
    check('cases_closed_consistent', sql`(status = 'open') = (closed_at is null)`),
    check('cases_closed_needs_evaluation', sql`status <> 'closed' or evaluation_enc is not null`),
    index('cases_client_idx').on(t.clientId),
    index('cases_worker_open_idx').on(t.assignedWorkerId).where(sql`status = 'open'`),
    // Sweeps: overdue follow-ups and quiet cases among open cases only.
    index('cases_follow_up_due_idx').on(t.nextFollowUpAt).where(sql`status = 'open' and next_follow_up_at is not null`),
    // Quiet = no note since (or, without notes, since opening): the finder filters on exactly this expression.
    index('cases_quiet_idx').on(sql`coalesce(last_note_at, opened_at)`).where(sql`status = 'open' and assigned_worker_id is not null`),
    index('cases_unassigned_idx').on(t.createdAt).where(sql`status = 'open' and assigned_worker_id is null`),
    index('cases_crisis_idx').on(t.createdAt).where(sql`status = 'open' and crisis`),
    // Supervision reports (issue 17): a team's cases whatever their status (closed ones for outcomes, and their notes, escalations, appointments).
    index('cases_worker_status_idx').on(t.assignedWorkerId, t.status),
  ],
);

/** The four elements: goal, how it is assessed, target date; plan and self-help focus live on the case. */
export const goals = pgTable(
  'goals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    descriptionEnc: text('description_enc').notNull(),
    assessmentEnc: text('assessment_enc'),
    targetDate: date('target_date', { mode: 'string' }),
    status: text('status', { enum: GOAL_STATUSES }).notNull().default('active'),
    outcomeEnc: text('outcome_enc'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [check('goals_status_check', inList('status', GOAL_STATUSES)), index('goals_case_idx').on(t.caseId)],
);

export const notes = pgTable(
  'notes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    authorStaffId: uuid('author_staff_id').references(() => staff.id, { onDelete: 'set null' }),
    kind: text('kind', { enum: NOTE_KINDS }).notNull(),
    direction: text('direction', { enum: NOTE_DIRECTIONS }),
    bodyEnc: text('body_enc').notNull(),
    contactAt: ts('contact_at').notNull(),
    nextFollowUpAt: ts('next_follow_up_at'),
    /** A double click or a platform retry carries the same key: one note, not two. */
    idempotencyKey: text('idempotency_key').unique(),
    createdAt: createdAt(),
  },
  (t) => [
    check('notes_kind_check', inList('kind', NOTE_KINDS)),
    check('notes_direction_check', sql`(kind = 'message') = (direction is not null)`),
    index('notes_case_idx').on(t.caseId, t.contactAt),
  ],
);

export const appointments = pgTable(
  'appointments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    workerId: uuid('worker_id')
      .notNull()
      .references(() => staff.id, { onDelete: 'restrict' }),
    startsAt: ts('starts_at').notNull(),
    durationMin: integer('duration_min').notNull(),
    mode: text('mode', { enum: APPOINTMENT_MODES }).notNull(),
    status: text('status', { enum: APPOINTMENT_STATUSES }).notNull().default('scheduled'),
    clientResponse: text('client_response', { enum: CLIENT_RESPONSES }),
    clientRespondedAt: ts('client_responded_at'),
    /** Bumped on reschedule/cancel: reminders planned for an older version never go out. */
    version: integer('version').notNull().default(1),
    outcomeAt: ts('outcome_at'),
    /** Where an in-person appointment takes place (address or room), encrypted (AAD 'appointments.location'): a home visit's address identifies the client. */
    locationEnc: text('location_enc'),
    idempotencyKey: text('idempotency_key').unique(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('appointments_duration_check', sql`duration_min between 5 and 480`),
    check('appointments_mode_check', inList('mode', APPOINTMENT_MODES)),
    check('appointments_status_check', inList('status', APPOINTMENT_STATUSES)),
    check('appointments_response_check', sql`client_response is null or ${inList('client_response', CLIENT_RESPONSES)}`),
    index('appointments_case_idx').on(t.caseId, t.startsAt),
    index('appointments_upcoming_idx').on(t.startsAt).where(sql`status = 'scheduled'`),
  ],
);

/** Ledger of every outbound reminder, nudge, escalation and notice: a row before any send. */
export const deliveries = pgTable(
  'deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
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
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
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
    id: uuid('id').primaryKey().defaultRandom(),
    staffId: uuid('staff_id')
      .notNull()
      .references(() => staff.id, { onDelete: 'cascade' }),
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
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    staffId: uuid('staff_id')
      .notNull()
      .references(() => staff.id, { onDelete: 'cascade' }),
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
    id: uuid('id').primaryKey().defaultRandom(),
    clientId: uuid('client_id')
      .notNull()
      .references(() => clients.id, { onDelete: 'restrict' }),
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

// ---- leave cover and handover, referrals (issue 17) ---------------------------------------------

export const HANDOVER_STATUSES = ['active', 'returned', 'undone'] as const;

/**
 * A supervisor's (or admin's) `/case handover @from @to [until]`: the cases it moved are
 * `handover_cases`. With `until_on`, the cases still held by @to and still open move back at
 * `return_at`; undo moves them back at once. No personal data here.
 */
export const handovers = pgTable(
  'handovers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    fromStaffId: uuid('from_staff_id')
      .notNull()
      .references(() => staff.id, { onDelete: 'restrict' }),
    toStaffId: uuid('to_staff_id')
      .notNull()
      .references(() => staff.id, { onDelete: 'restrict' }),
    createdBy: uuid('created_by').references(() => staff.id, { onDelete: 'set null' }),
    untilOn: date('until_on', { mode: 'string' }),
    returnAt: ts('return_at'),
    status: text('status', { enum: HANDOVER_STATUSES }).notNull().default('active'),
    endedAt: ts('ended_at'),
    endedBy: uuid('ended_by').references(() => staff.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    check('handovers_status_check', inList('status', HANDOVER_STATUSES)),
    check('handovers_not_self', sql`${t.fromStaffId} <> ${t.toStaffId}`),
    check('handovers_until_has_return', sql`(until_on is null) = (return_at is null)`),
    index('handovers_return_due_idx').on(t.returnAt).where(sql`status = 'active' and return_at is not null`),
  ],
);

/** One case moved by a handover; `returned_at` when it went back (hand-back or undo). */
export const handoverCases = pgTable(
  'handover_cases',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    handoverId: uuid('handover_id')
      .notNull()
      .references(() => handovers.id, { onDelete: 'cascade' }),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    returnedAt: ts('returned_at'),
  },
  (t) => [uniqueIndex('handover_cases_uq').on(t.handoverId, t.caseId), index('handover_cases_case_idx').on(t.caseId)],
);

/** The agency's resource directory: organisations and services a worker can refer a client to. Not personal data. */
export const resources = pgTable(
  'resources',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    /** Categories of need it serves (the case categories). */
    categories: text('categories').array().notNull(),
    /** Languages it serves in (free codes such as en, zh, yue). */
    languages: text('languages').array().notNull(),
    phone: text('phone'),
    email: text('email'),
    website: text('website'),
    address: text('address'),
    description: text('description'),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('resources_name_uq').on(sql`lower(${t.name})`).where(sql`active`)],
);

export const REFERRAL_OUTCOMES = ['reached', 'waiting', 'declined', 'not_suitable'] as const;
export const REFERRAL_CONSENT_STATES = ['not_asked', 'asked', 'given', 'declined'] as const;

/**
 * A referral of a case's client to a resource. The reason is sensitive free text (encrypted,
 * AAD 'referrals.reason'; blanked on erasure). Sharing the client's details needs their consent,
 * a separate receipt (`referral_consents`). A follow-up nudge asks the worker for the outcome.
 */
export const referrals = pgTable(
  'referrals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    resourceId: uuid('resource_id')
      .notNull()
      .references(() => resources.id, { onDelete: 'restrict' }),
    referredBy: uuid('referred_by').references(() => staff.id, { onDelete: 'set null' }),
    reasonEnc: text('reason_enc').notNull(),
    shareDetails: boolean('share_details').notNull(),
    consentState: text('consent_state', { enum: REFERRAL_CONSENT_STATES }).notNull(),
    followUpAt: ts('follow_up_at').notNull(),
    outcome: text('outcome', { enum: REFERRAL_OUTCOMES }),
    outcomeAt: ts('outcome_at'),
    outcomeBy: uuid('outcome_by').references(() => staff.id, { onDelete: 'set null' }),
    /** Bumped when the worker answers "waiting": the next nudge is a new ledger row. */
    followUpVersion: integer('follow_up_version').notNull().default(1),
    idempotencyKey: text('idempotency_key').unique(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('referrals_outcome_check', sql`outcome is null or ${inList('outcome', REFERRAL_OUTCOMES)}`),
    check('referrals_consent_state_check', inList('consent_state', REFERRAL_CONSENT_STATES)),
    check('referrals_share_needs_consent', sql`share_details or consent_state = 'not_asked'`),
    index('referrals_case_idx').on(t.caseId, t.createdAt),
  ],
);

export const REFERRAL_CONSENT_METHODS = ['client_button', 'verbal'] as const;

/**
 * The client's consent to share their details with one referral's resource, versioned like the
 * service agreement (REFERRAL_CONSENT_VERSION, the language of the text shown). Given by the
 * client with a Telegram button, or recorded by the worker as given verbally, with a reason
 * (encrypted, AAD 'referral_consents.verbal_reason').
 */
export const referralConsents = pgTable(
  'referral_consents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    referralId: uuid('referral_id')
      .notNull()
      .references(() => referrals.id, { onDelete: 'cascade' }),
    clientId: uuid('client_id')
      .notNull()
      .references(() => clients.id, { onDelete: 'cascade' }),
    consentVersion: text('consent_version').notNull(),
    language: text('language', { enum: LANGUAGES }).notNull(),
    method: text('method', { enum: REFERRAL_CONSENT_METHODS }).notNull(),
    givenAt: ts('given_at'),
    declinedAt: ts('declined_at'),
    recordedBy: uuid('recorded_by').references(() => staff.id, { onDelete: 'set null' }),
    verbalReasonEnc: text('verbal_reason_enc'),
    createdAt: createdAt(),
  },
  (t) => [
    check('referral_consents_language_check', inList('language', LANGUAGES)),
    check('referral_consents_method_check', inList('method', REFERRAL_CONSENT_METHODS)),
    check('referral_consents_given_or_declined', sql`(given_at is not null) <> (declined_at is not null)`),
    check('referral_consents_verbal_has_reason', sql`method <> 'verbal' or (verbal_reason_enc is not null and recorded_by is not null)`),
    uniqueIndex('referral_consents_once_uq').on(t.referralId),
  ],
);
/**
 * An assignment that took a worker to or over CASELOAD_LIMIT open cases (issue 17): the
 * assigner's reason, encrypted (it may mention the client); the audit entry
 * `case.assigned_over_limit` names this row.
 */
export const caseloadOverrides = pgTable(
  'caseload_overrides',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    workerId: uuid('worker_id')
      .notNull()
      .references(() => staff.id, { onDelete: 'cascade' }),
    assignedBy: uuid('assigned_by').references(() => staff.id, { onDelete: 'set null' }),
    /** The worker's open cases before this one, and the limit then. */
    openCases: integer('open_cases').notNull(),
    caseloadLimit: integer('caseload_limit').notNull(),
    reasonEnc: text('reason_enc').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('caseload_overrides_case_idx').on(t.caseId), index('caseload_overrides_worker_idx').on(t.workerId, t.createdAt)],
);
