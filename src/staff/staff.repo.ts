import { and, eq } from 'drizzle-orm';
import type { DateTime } from 'luxon';
import type { Db } from '../db/client.js';
import { staff, type STAFF_ROLES } from '../db/schema.js';

/** Thin queries over the staff directory (Slack users with a role and a supervisor). */
export type StaffRow = typeof staff.$inferSelect;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Active directory entry for a Slack user, or undefined (not in the directory, or removed). */
export async function findActiveStaffBySlack(db: Db, slackUserId: string): Promise<StaffRow | undefined> {
  const [row] = await db
    .select()
    .from(staff)
    .where(and(eq(staff.slackUserId, slackUserId), eq(staff.active, true)))
    .limit(1);
  return row;
}

export async function findStaffBySlack(db: Db, slackUserId: string): Promise<StaffRow | undefined> {
  const [row] = await db.select().from(staff).where(eq(staff.slackUserId, slackUserId)).limit(1);
  return row;
}

export async function findStaffById(db: Db, id: string): Promise<StaffRow | undefined> {
  const [row] = await db.select().from(staff).where(eq(staff.id, id)).limit(1);
  return row;
}

export async function listActiveStaff(db: Db): Promise<StaffRow[]> {
  return db.select().from(staff).where(eq(staff.active, true)).orderBy(staff.role, staff.displayName);
}

/** Workers (and anyone else) whose supervisor is `supervisorId`. */
export async function teamOf(db: Db, supervisorId: string): Promise<StaffRow[]> {
  return db
    .select()
    .from(staff)
    .where(and(eq(staff.supervisorId, supervisorId), eq(staff.active, true)))
    .orderBy(staff.displayName);
}

export interface StaffInput {
  slackUserId: string;
  displayName: string;
  role: StaffRole;
  supervisorId: string | null;
  timeZone: string;
}

/** Add, or re-activate and update, a directory entry. */
export async function upsertStaff(tx: Db, input: StaffInput, now: DateTime): Promise<StaffRow> {
  const at = now.toJSDate();
  const [row] = await tx
    .insert(staff)
    .values({ ...input, active: true, createdAt: at, updatedAt: at })
    .onConflictDoUpdate({
      target: staff.slackUserId,
      set: { displayName: input.displayName, role: input.role, supervisorId: input.supervisorId, timeZone: input.timeZone, active: true, updatedAt: at },
    })
    .returning();
  return row!;
}
