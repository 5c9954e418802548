import type { DateTime } from 'luxon';
import type { Db } from '../../src/db/client.js';
import { eq } from 'drizzle-orm';
import { appointments, cases, clients, staff } from '../../src/db/schema.js';
import { insertCase, type CaseRow, type NewCase } from '../../src/cases/cases.repo.js';

/**
 * Typed fixture factories: one row each, with only the required columns filled in when a test does
 * not say (everything else is the database's default), returned as inserted. A test names what it
 * cares about in `values`; the timestamps are the database's `now()` unless it passes them.
 */

export type StaffRow = typeof staff.$inferSelect;
export type ClientRow = typeof clients.$inferSelect;
export type AppointmentRow = typeof appointments.$inferSelect;

let serial = 0;

/** Created and updated at `when` (the test's clock, not the database's). */
export function stamped(when: Date): { createdAt: Date; updatedAt: Date } {
  return { createdAt: when, updatedAt: when };
}

/** A staff member: a worker in Europe/London with a fresh Slack id, unless `values` says otherwise. */
export async function makeStaff(db: Db, values: Partial<typeof staff.$inferInsert> = {}): Promise<StaffRow> {
  const [row] = await db
    .insert(staff)
    .values({ slackUserId: `U0FX${process.pid}${++serial}`, displayName: 'Worker', role: 'worker', timeZone: 'Europe/London', ...values })
    .returning();
  return row!;
}

/** A client in Europe/London (no Telegram ids) unless `values` says otherwise. */
export async function makeClient(db: Db, values: Partial<typeof clients.$inferInsert> = {}): Promise<ClientRow> {
  const [row] = await db
    .insert(clients)
    .values({ timeZone: 'Europe/London', ...values })
    .returning();
  return row!;
}

/** A case as intake creates it (phase intake, a fresh reference), a family case of normal priority unless told. */
export function makeCase(db: Db, values: Pick<NewCase, 'clientId'> & Partial<NewCase>, now: DateTime): Promise<CaseRow> {
  return db.transaction((tx) => insertCase(tx, { category: 'family', priority: 'normal', ...values }, now));
}

/** Sets columns of one case directly, as a test arranges it (no domain rules, no audit). */
export function setCase(db: Db, caseId: string, values: Partial<typeof cases.$inferInsert>) {
  return db.update(cases).set(values).where(eq(cases.id, caseId));
}

/** An appointment (50 minutes, in person, unless told) of a case with its worker. */
export async function makeAppointment(
  db: Db,
  values: Pick<typeof appointments.$inferInsert, 'caseId' | 'workerId' | 'startsAt'> & Partial<typeof appointments.$inferInsert>,
): Promise<AppointmentRow> {
  const [row] = await db
    .insert(appointments)
    .values({ durationMin: 50, mode: 'in_person', ...values })
    .returning();
  return row!;
}
