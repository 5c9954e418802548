import { sql } from 'drizzle-orm';
import { pgTable, uuid, text, date, check, index, uniqueIndex } from 'drizzle-orm/pg-core';
import { requiredRef, uuidPk, ts, createdAt, inList } from './common.js';
import { staff } from './people.js';
import { cases } from './cases.js';

// ---- leave cover and handover (issue 17) ---------------------------------------------

export const HANDOVER_STATUSES = ['active', 'returned', 'undone'] as const;

/**
 * A supervisor's (or admin's) `/case handover @from @to [until]`: the cases it moved are
 * `handover_cases`. With `until_on`, the cases still held by @to and still open move back at
 * `return_at`; undo moves them back at once. No personal data here.
 */
export const handovers = pgTable(
  'handovers',
  {
    id: uuidPk(),
    fromStaffId: requiredRef('from_staff_id', () => staff.id, 'restrict'),
    toStaffId: requiredRef('to_staff_id', () => staff.id, 'restrict'),
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
    id: uuidPk(),
    handoverId: requiredRef('handover_id', () => handovers.id, 'cascade'),
    caseId: requiredRef('case_id', () => cases.id, 'cascade'),
    returnedAt: ts('returned_at'),
  },
  (t) => [uniqueIndex('handover_cases_uq').on(t.handoverId, t.caseId), index('handover_cases_case_idx').on(t.caseId)],
);
