import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { cases, clients, staff } from '../db/schema.js';
import { isLang, type Lang } from '../i18n/i18n.js';

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

/**
 * What every client-facing Telegram kind checks first: the case is still open
 * and its client can be written to now; then the chat and the client's language.
 * `closedToo`: also when the case has been closed (telling the client that an
 * appointment was cancelled because the case closed).
 */
export async function openCaseClient(
  db: Db,
  caseId: string,
  recipient: string,
  opts: { closedToo?: boolean } = {},
): Promise<{ case: CaseRow; client: ClientRow; chatId: number; lang: Lang } | { skip: string }> {
  const c = await loadCase(db, caseId);
  if (!c || (c.status !== 'open' && !(opts.closedToo && c.status === 'closed'))) return { skip: 'case_not_open' };
  const client = await loadClient(db, recipientId(recipient, 'client') ?? '');
  const why = clientUnreachable(client);
  if (why) return { skip: why };
  return { case: c, client: client!, chatId: client!.telegramChatId!, lang: isLang(client!.language) ? client!.language : 'en' };
}
