import { sql } from 'drizzle-orm';
import { LANGUAGES } from '../../lib/languages.js';
import { CATEGORIES } from '../../lib/categories.js';

export { CATEGORIES, LANGUAGES };
import { timestamp, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';

/** Column helpers and the enumerations (stored as CHECK constraints). */

export const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
export const createdAt = () => ts('created_at').notNull().defaultNow();
export const updatedAt = () => ts('updated_at').notNull().defaultNow();
/** The usual primary key: a random UUID. */
export const uuidPk = () => uuid('id').primaryKey().defaultRandom();
/** A required reference to another table's id. */
export const requiredRef = <N extends string>(name: N, target: () => AnyPgColumn, onDelete: 'cascade' | 'restrict' | 'set null') =>
  uuid(name).notNull().references(target, { onDelete });
export const inList = (col: string, values: readonly string[]) => sql.raw(`${col} in (${values.map((v) => `'${v}'`).join(', ')})`);

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
