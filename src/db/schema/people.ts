import { sql } from 'drizzle-orm';
import { pgTable, uuid, text, boolean, bigint, jsonb, check, index, primaryKey, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { uuidPk, ts, createdAt, updatedAt, inList, STAFF_ROLES, LANGUAGES } from './common.js';

/** Staff, clients, their consents and intake drafts; inbound de-duplication and Telegram callback tokens. */

export const staff = pgTable(
  'staff',
  {
    id: uuidPk(),
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
    id: uuidPk(),
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
    id: uuidPk(),
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
    id: uuidPk(),
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
