import { and, desc, eq, gt, isNotNull, isNull } from 'drizzle-orm';
import type { DateTime } from 'luxon';
import type { Db } from '../db/client.js';
import { appointments, cases, clients, consents, notes, type referrals, staff } from '../db/schema.js';
import type { FieldCipher } from '../lib/crypto.js';
import type { Language } from '../intake/intake.domain.js';

/** Thin queries for the client record, consent and the client's own view of their case. */
export type ClientRow = typeof clients.$inferSelect;
export type ConsentRow = typeof consents.$inferSelect;
export type CaseRow = typeof cases.$inferSelect;

export const PREFERRED_NAME_AAD = 'clients.preferred_name';
export const NOTE_BODY_AAD = 'notes.body';

export async function findClientByTelegramUser(db: Db, telegramUserId: number): Promise<ClientRow | undefined> {
  const [row] = await db.select().from(clients).where(eq(clients.telegramUserId, telegramUserId)).limit(1);
  return row;
}

/** Create the client, or return the existing one for this Telegram user (a retry or a second instance). */
export async function ensureClient(
  tx: Db,
  cipher: FieldCipher,
  input: { telegramUserId: number; chatId: number; language: Language; timeZone: string; preferredName?: string | undefined },
  now: DateTime,
): Promise<{ client: ClientRow; created: boolean }> {
  const at = now.toJSDate();
  const [created] = await tx
    .insert(clients)
    .values({
      telegramUserId: input.telegramUserId,
      telegramChatId: input.chatId,
      language: input.language,
      timeZone: input.timeZone,
      preferredNameEnc: cipher.seal(input.preferredName, PREFERRED_NAME_AAD),
      createdAt: at,
      updatedAt: at,
    })
    .onConflictDoNothing({ target: clients.telegramUserId })
    .returning();
  if (created) return { client: created, created: true };
  const existing = (await findClientByTelegramUser(tx, input.telegramUserId))!;
  return { client: existing, created: false };
}

export async function updateClient(
  tx: Db,
  id: string,
  set: Partial<Pick<ClientRow, 'telegramChatId' | 'language' | 'timeZone' | 'preferredNameEnc' | 'remindersOff' | 'erasureRequestedAt'>>,
  now: DateTime,
): Promise<void> {
  await tx
    .update(clients)
    .set({ ...set, updatedAt: now.toJSDate() })
    .where(eq(clients.id, id));
}

export async function recordConsentGiven(tx: Db, clientId: string, a: { version: string; language: Language; at: string }): Promise<ConsentRow> {
  const [row] = await tx
    .insert(consents)
    .values({ clientId, agreementVersion: a.version, language: a.language, givenAt: new Date(a.at) })
    .returning();
  return row!;
}

/** "Not now": only the fact of the refusal, linked to nobody. */
export async function recordConsentDeclined(tx: Db, a: { version: string; language: Language; at: DateTime }): Promise<ConsentRow> {
  const [row] = await tx
    .insert(consents)
    .values({ clientId: null, agreementVersion: a.version, language: a.language, declinedAt: a.at.toJSDate() })
    .returning();
  return row!;
}

export async function revokeConsents(tx: Db, clientId: string, now: DateTime): Promise<void> {
  await tx
    .update(consents)
    .set({ revokedAt: now.toJSDate() })
    .where(and(eq(consents.clientId, clientId), isNotNull(consents.givenAt), isNull(consents.revokedAt)));
}

export async function consentsOf(db: Db, clientId: string): Promise<ConsentRow[]> {
  return db.select().from(consents).where(eq(consents.clientId, clientId)).orderBy(consents.createdAt);
}

export async function findOpenCase(db: Db, clientId: string, opts: { forUpdate?: boolean } = {}): Promise<CaseRow | undefined> {
  const q = db
    .select()
    .from(cases)
    .where(and(eq(cases.clientId, clientId), eq(cases.status, 'open')))
    .orderBy(desc(cases.openedAt))
    .limit(1);
  const [row] = opts.forUpdate ? await q.for('update') : await q;
  return row;
}

export async function casesOf(db: Db, clientId: string): Promise<CaseRow[]> {
  return db.select().from(cases).where(eq(cases.clientId, clientId)).orderBy(desc(cases.openedAt));
}

export async function staffDisplayName(db: Db, staffId: string): Promise<string | undefined> {
  const [row] = await db.select({ displayName: staff.displayName }).from(staff).where(eq(staff.id, staffId)).limit(1);
  return row?.displayName;
}

export async function nextAppointment(db: Db, caseId: string, now: DateTime) {
  const [row] = await db
    .select()
    .from(appointments)
    .where(and(eq(appointments.caseId, caseId), eq(appointments.status, 'scheduled'), gt(appointments.startsAt, now.toJSDate())))
    .orderBy(appointments.startsAt)
    .limit(1);
  return row;
}

export async function clientMessagesOf(db: Db, caseIds: string[]) {
  if (caseIds.length === 0) return [];
  const out = [];
  for (const caseId of caseIds) {
    out.push(
      ...(await db
        .select()
        .from(notes)
        .where(and(eq(notes.caseId, caseId), eq(notes.kind, 'message'), eq(notes.direction, 'from_client')))
        .orderBy(notes.contactAt)),
    );
  }
  return out;
}

/** Whether this exact agreement (version + moment) is already on record for the client. */
export async function hasConsent(db: Db, clientId: string, a: { version: string; at: string }): Promise<boolean> {
  const [row] = await db
    .select({ id: consents.id })
    .from(consents)
    .where(and(eq(consents.clientId, clientId), eq(consents.agreementVersion, a.version), eq(consents.givenAt, new Date(a.at))))
    .limit(1);
  return !!row;
}

type Answerable = typeof appointments | typeof referrals;
type ClientAnswerRow<T extends Answerable> = {
  row: T['$inferSelect'];
  clientId: string;
  chatId: ClientRow['telegramChatId'];
  zone: string;
  language: string;
  caseStatus: CaseRow['status'];
};

/**
 * A row of a case that its client answers from Telegram (an appointment, a referral), locked for the answer, with
 * the client's zone and language and the case's status; undefined when it is not there or not this chat's client's
 * (another chat's button, or a forged token, learns nothing about it).
 */
export async function lockForClientAnswer<T extends Answerable>(tx: Db, table: T, id: string, telegramChatId: number): Promise<ClientAnswerRow<T> | undefined> {
  // Drizzle cannot build a query over a generic table; both tables have the id and caseId columns used here.
  const t = table as typeof appointments;
  const [found] = await tx
    .select({ row: t, clientId: clients.id, chatId: clients.telegramChatId, zone: clients.timeZone, language: clients.language, caseStatus: cases.status })
    .from(t)
    .innerJoin(cases, eq(cases.id, t.caseId))
    .innerJoin(clients, eq(clients.id, cases.clientId))
    .where(eq(t.id, id))
    .for('update', { of: t })
    .limit(1);
  return found && found.chatId === telegramChatId ? (found as ClientAnswerRow<T>) : undefined;
}
