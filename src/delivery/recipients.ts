import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { cases, clients, staff } from '../db/schema.js';

/** Lookups the delivery kinds share when rendering (ids in, rows out; no caching: rows change). */
export type StaffRow = typeof staff.$inferSelect;
export type ClientRow = typeof clients.$inferSelect;
export type CaseRow = typeof cases.$inferSelect;

export function recipientId(recipient: string, type: 'client' | 'staff' | 'channel'): string | null {
  return recipient.startsWith(`${type}:`) ? recipient.slice(type.length + 1) : null;
}

export async function loadStaff(db: Db, id: string): Promise<StaffRow | undefined> {
  const [row] = await db.select().from(staff).where(eq(staff.id, id)).limit(1);
  return row;
}

export async function loadClient(db: Db, id: string): Promise<ClientRow | undefined> {
  const [row] = await db.select().from(clients).where(eq(clients.id, id)).limit(1);
  return row;
}

export async function loadCase(db: Db, id: string): Promise<CaseRow | undefined> {
  const [row] = await db.select().from(cases).where(eq(cases.id, id)).limit(1);
  return row;
}

/** Why a client cannot be written to right now, or null. */
export function clientUnreachable(c: ClientRow | undefined): string | null {
  if (!c) return 'client_not_found';
  if (c.erasedAt || c.erasureRequestedAt) return 'client_erased';
  if (c.botBlockedAt) return 'client_blocked_bot';
  if (!c.telegramChatId) return 'no_channel';
  return null;
}

/** A staff member who can receive a Slack DM, or the reason they cannot. */
export function staffUnreachable(s: StaffRow | undefined): string | null {
  if (!s) return 'staff_not_found';
  if (!s.active) return 'staff_inactive';
  return null;
}
