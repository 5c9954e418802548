import { sql } from 'drizzle-orm';
import { pgTable, uuid, text, boolean, integer, check, index, uniqueIndex } from 'drizzle-orm/pg-core';
import { requiredRef, uuidPk, ts, createdAt, updatedAt, inList, LANGUAGES } from './common.js';
import { staff, clients } from './people.js';
import { cases } from './cases.js';

/** Referrals (issue 17): the resource directory, referrals and their consents; caseload overrides. */

/** The agency's resource directory: organisations and services a worker can refer a client to. Not personal data. */
export const resources = pgTable(
  'resources',
  {
    id: uuidPk(),
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
    id: uuidPk(),
    caseId: requiredRef('case_id', () => cases.id, 'cascade'),
    resourceId: requiredRef('resource_id', () => resources.id, 'restrict'),
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
    id: uuidPk(),
    referralId: requiredRef('referral_id', () => referrals.id, 'cascade'),
    clientId: requiredRef('client_id', () => clients.id, 'cascade'),
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
    id: uuidPk(),
    caseId: requiredRef('case_id', () => cases.id, 'cascade'),
    workerId: requiredRef('worker_id', () => staff.id, 'cascade'),
    assignedBy: uuid('assigned_by').references(() => staff.id, { onDelete: 'set null' }),
    /** The worker's open cases before this one, and the limit then. */
    openCases: integer('open_cases').notNull(),
    caseloadLimit: integer('caseload_limit').notNull(),
    reasonEnc: text('reason_enc').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('caseload_overrides_case_idx').on(t.caseId), index('caseload_overrides_worker_idx').on(t.workerId, t.createdAt)],
);
