import { eq } from 'drizzle-orm';
import type { DateTime } from 'luxon';
import type { Db } from '../db/client.js';
import { cases, clients, staff, type PRIORITIES } from '../db/schema.js';
import type { Category } from '../lib/categories.js';
import { allocateReference } from './case-reference.js';

export type CaseRow = typeof cases.$inferSelect;

export interface NewCase {
  clientId: string;
  category: Category;
  priority: (typeof PRIORITIES)[number];
  urgency?: string | null;
  crisis?: boolean;
  /** Encrypted intake answers (FieldCipher envelope, AAD 'cases.intake'). */
  intakeEnc?: string | null;
  /**
   * A reference allocated beforehand, outside the transaction (allocateReference in its own statement): the
   * year's counter row is then locked for that statement only, not until this transaction commits, so a crisis
   * opening a case does not wait behind intake submissions in flight. Without it, one is allocated here.
   */
  reference?: string;
}

/** Create a case in phase intake with a fresh reference. Call inside a transaction with the rows it belongs to. */
export async function insertCase(tx: Db, input: NewCase, now: DateTime): Promise<CaseRow> {
  const reference = input.reference ?? (await allocateReference(tx, now.toUTC().year));
  const at = now.toJSDate();
  const [row] = await tx
    .insert(cases)
    .values({
      reference,
      clientId: input.clientId,
      category: input.category,
      priority: input.priority,
      urgency: input.urgency ?? null,
      crisis: input.crisis ?? false,
      intakeEnc: input.intakeEnc ?? null,
      phase: 'intake',
      status: 'open',
      openedAt: at,
      createdAt: at,
      updatedAt: at,
    })
    .returning();
  return row!;
}

export async function findCaseById(db: Db, id: string): Promise<CaseRow | undefined> {
  const [row] = await db.select().from(cases).where(eq(cases.id, id)).limit(1);
  return row;
}

export async function findCaseByReference(db: Db, reference: string): Promise<CaseRow | undefined> {
  const [row] = await db.select().from(cases).where(eq(cases.reference, reference)).limit(1);
  return row;
}

/** The case with its client and its assigned worker (null when unassigned), for readers that show all three. */
export async function findCaseWithPeople(db: Db, id: string) {
  const [row] = await db
    .select({ c: cases, client: clients, worker: staff })
    .from(cases)
    .innerJoin(clients, eq(clients.id, cases.clientId))
    .leftJoin(staff, eq(staff.id, cases.assignedWorkerId))
    .where(eq(cases.id, id))
    .limit(1);
  return row;
}
