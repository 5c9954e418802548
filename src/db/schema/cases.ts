import { sql } from 'drizzle-orm';
import { pgTable, uuid, text, boolean, integer, date, check, index } from 'drizzle-orm/pg-core';
import {
  requiredRef,
  uuidPk,
  ts,
  createdAt,
  updatedAt,
  inList,
  CASE_TYPES,
  CASE_PHASES,
  CASE_STATUSES,
  PRIORITIES,
  CATEGORIES,
  GOAL_STATUSES,
  NOTE_KINDS,
  NOTE_DIRECTIONS,
  APPOINTMENT_MODES,
  APPOINTMENT_STATUSES,
  CLIENT_RESPONSES,
} from './common.js';
import { staff, clients } from './people.js';

/** Cases with their reference counters, goals, notes and appointments. */

export const caseReferenceCounters = pgTable('case_reference_counters', {
  year: integer('year').primaryKey(),
  last: integer('last').notNull(),
});

export const cases = pgTable(
  'cases',
  {
    id: uuidPk(),
    reference: text('reference').notNull().unique(),
    clientId: requiredRef('client_id', () => clients.id, 'restrict'),
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
    id: uuidPk(),
    caseId: requiredRef('case_id', () => cases.id, 'cascade'),
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
    id: uuidPk(),
    caseId: requiredRef('case_id', () => cases.id, 'cascade'),
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
    id: uuidPk(),
    caseId: requiredRef('case_id', () => cases.id, 'cascade'),
    workerId: requiredRef('worker_id', () => staff.id, 'restrict'),
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
