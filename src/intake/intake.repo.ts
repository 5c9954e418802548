import { and, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { DateTime } from 'luxon';
import type { Db } from '../db/client.js';
import { executePrepared } from '../db/prepared.js';
import { callbackTokens, intakeSessions } from '../db/schema.js';
import type { FieldCipher } from '../lib/crypto.js';
import { parseIntakeState, type IntakeAnswers, type IntakeState, type Language, type Safety } from './intake.domain.js';

/**
 * Resumable intake conversations. The whole state (answers included) is one
 * encrypted envelope (AAD 'intake_sessions.state'); step, language and the
 * activity times stay in plain columns so sweeps never need to decrypt.
 */
const SESSION_AAD = 'intake_sessions.state';
const CASE_INTAKE_AAD = 'cases.intake';

/** What the envelope holds: the domain state plus the crisis case opened mid-intake, if any. */
interface Envelope {
  state: IntakeState;
  caseId?: string;
}

export type SessionRow = typeof intakeSessions.$inferSelect;

export interface Session {
  id: string;
  telegramUserId: number;
  chatId: number;
  state: IntakeState;
  /** A case already created mid-intake by the crisis path; submit completes it instead of opening another. */
  caseId?: string;
  nudgedAt: Date | null;
  lastActivityAt: Date;
  /** The stored envelope as read: a save conditional on it detects any write in between (its IV is random). */
  stateEnc: string;
}

function open(cipher: FieldCipher, row: SessionRow): Session | null {
  let env: Envelope;
  try {
    env = cipher.decryptJson<Envelope>(row.stateEnc, SESSION_AAD);
  } catch {
    return null;
  }
  const state = parseIntakeState(env?.state);
  if (!state) return null;
  return {
    id: row.id,
    telegramUserId: row.telegramUserId,
    chatId: row.telegramChatId,
    state,
    ...(env.caseId ? { caseId: env.caseId } : {}),
    nudgedAt: row.nudgedAt,
    lastActivityAt: row.lastActivityAt,
    stateEnc: row.stateEnc,
  };
}

/** The session of a Telegram user; `forUpdate` locks it for the rest of the transaction. Unreadable state counts as none. */
export async function loadSession(db: Db, cipher: FieldCipher, telegramUserId: number, opts: { forUpdate?: boolean } = {}): Promise<Session | null> {
  const q = db.select().from(intakeSessions).where(eq(intakeSessions.telegramUserId, telegramUserId)).limit(1);
  const [row] = opts.forUpdate ? await q.for('update') : await q;
  return row ? open(cipher, row) : null;
}

/** A row read as `to_json(intake_sessions)` (snake_case keys, ISO timestamps), e.g. by the bot's per-update prefetch. */
export function sessionRowFromJson(j: Record<string, unknown>): SessionRow {
  const date = (v: unknown) => (v == null ? null : new Date(v as string));
  return {
    id: j.id as string,
    telegramUserId: Number(j.telegram_user_id),
    telegramChatId: Number(j.telegram_chat_id),
    step: j.step as string,
    language: j.language as SessionRow['language'],
    stateEnc: j.state_enc as string,
    nudgedAt: date(j.nudged_at),
    lastActivityAt: date(j.last_activity_at)!,
    expiresAt: date(j.expires_at)!,
    createdAt: date(j.created_at)!,
    updatedAt: date(j.updated_at)!,
  };
}

function sessionValues(cipher: FieldCipher, input: { chatId: number; state: IntakeState; caseId?: string | undefined }, now: DateTime, ttlDays: number) {
  const env: Envelope = { state: input.state, ...(input.caseId ? { caseId: input.caseId } : {}) };
  return {
    telegramChatId: input.chatId,
    step: input.state.step,
    language: input.state.language,
    stateEnc: cipher.encryptJson(env, SESSION_AAD),
    lastActivityAt: now.toJSDate(),
    expiresAt: now.plus({ days: ttlDays }).toJSDate(),
    updatedAt: now.toJSDate(),
  };
}

/**
 * Save only if the stored envelope is still `prevStateEnc` (nothing wrote the
 * draft since it was read): one statement instead of lock + upsert. false when
 * it changed or is gone; the caller then takes the locking path.
 */
export async function saveSessionIfUnchanged(
  db: Db,
  cipher: FieldCipher,
  input: { telegramUserId: number; chatId: number; state: IntakeState; caseId?: string | undefined },
  prevStateEnc: string,
  now: DateTime,
  ttlDays: number,
): Promise<boolean> {
  const v = sessionValues(cipher, input, now, ttlDays);
  // Every answer of every intake runs this: a named prepared statement, parsed and planned once per connection.
  const rows = await executePrepared(
    db,
    'intake_save_if_unchanged',
    sql`update ${intakeSessions}
    set telegram_chat_id = ${v.telegramChatId}, step = ${v.step}, language = ${v.language}, state_enc = ${v.stateEnc},
      last_activity_at = ${v.lastActivityAt.toISOString()}::timestamptz, expires_at = ${v.expiresAt.toISOString()}::timestamptz,
      updated_at = ${v.updatedAt.toISOString()}::timestamptz
    where telegram_user_id = ${input.telegramUserId} and state_enc = ${prevStateEnc}
    returning id`,
  );
  return rows.length > 0;
}

async function saveSession(
  db: Db,
  cipher: FieldCipher,
  input: { telegramUserId: number; chatId: number; state: IntakeState; caseId?: string | undefined },
  now: DateTime,
  ttlDays: number,
): Promise<void> {
  const values = sessionValues(cipher, input, now, ttlDays);
  await db
    .insert(intakeSessions)
    .values({ telegramUserId: input.telegramUserId, ...values, createdAt: now.toJSDate() })
    .onConflictDoUpdate({ target: intakeSessions.telegramUserId, set: values });
}

/** Saves the draft of the person writing from this chat (`caseId`: a crisis case the intake will complete), kept INTAKE_DRAFT_TTL_DAYS. */
export async function saveDraft(
  env: { cipher: FieldCipher; config: { INTAKE_DRAFT_TTL_DAYS: number } },
  tx: Db,
  who: { telegramUserId: number; chatId: number },
  state: IntakeState,
  caseId: string | undefined,
  now: DateTime,
): Promise<void> {
  await saveSession(tx, env.cipher, { telegramUserId: who.telegramUserId, chatId: who.chatId, state, caseId }, now, env.config.INTAKE_DRAFT_TTL_DAYS);
}

/**
 * The buttons of a draft's questions go with the draft: their callback tokens
 * (keyed by the chat, bound to intake steps) are deleted whenever a draft is —
 * declined ("Not now"), submitted, cancelled, forgotten or expired. Tokens of
 * other kinds (a client's reminder answers) are left alone.
 */
const INTAKE_TOKEN_TYPES = ['intake', 'begin'] as const;

async function deleteIntakeTokens(db: Db, chatIds: number[]): Promise<number> {
  if (chatIds.length === 0) return 0;
  const rows = await db
    .delete(callbackTokens)
    .where(and(inArray(callbackTokens.chatId, chatIds), sql`${callbackTokens.action}->>'type' in ${INTAKE_TOKEN_TYPES}`))
    .returning({ token: callbackTokens.token });
  return rows.length;
}

/** Delete the draft only if it is still the one read (`prevStateEnc`); in a transaction this also locks it. */
export async function deleteSessionIfUnchanged(db: Db, telegramUserId: number, prevStateEnc: string): Promise<boolean> {
  const rows = await db
    .delete(intakeSessions)
    .where(and(eq(intakeSessions.telegramUserId, telegramUserId), eq(intakeSessions.stateEnc, prevStateEnc)))
    .returning({ chatId: intakeSessions.telegramChatId });
  await deleteIntakeTokens(
    db,
    rows.map((r) => r.chatId),
  );
  return rows.length > 0;
}

/** A new draft unless one exists already (then false, and nothing is written). */
export async function insertSessionIfAbsent(
  db: Db,
  cipher: FieldCipher,
  input: { telegramUserId: number; chatId: number; state: IntakeState },
  now: DateTime,
  ttlDays: number,
): Promise<boolean> {
  const rows = await db
    .insert(intakeSessions)
    .values({ telegramUserId: input.telegramUserId, ...sessionValues(cipher, input, now, ttlDays), createdAt: now.toJSDate() })
    .onConflictDoNothing({ target: intakeSessions.telegramUserId })
    .returning({ id: intakeSessions.id });
  return rows.length > 0;
}

export async function deleteSession(db: Db, telegramUserId: number): Promise<boolean> {
  const rows = await db.delete(intakeSessions).where(eq(intakeSessions.telegramUserId, telegramUserId)).returning({ chatId: intakeSessions.telegramChatId });
  await deleteIntakeTokens(
    db,
    rows.map((r) => r.chatId),
  );
  return rows.length > 0;
}

/** Drafts past their expiry (plain columns only: nothing is decrypted to sweep). */
export async function deleteExpiredSessions(db: Db, now: DateTime): Promise<Array<{ id: string; chatId: number; language: Language }>> {
  const gone = await db
    .delete(intakeSessions)
    .where(lte(intakeSessions.expiresAt, now.toJSDate()))
    .returning({ id: intakeSessions.id, chatId: intakeSessions.telegramChatId, language: intakeSessions.language });
  await deleteIntakeTokens(
    db,
    gone.map((g) => g.chatId),
  );
  return gone;
}

/** Idle since `idleBefore` and not nudged during this idle spell. */
export async function findSessionsToNudge(db: Db, idleBefore: DateTime, now: DateTime, limit = 500): Promise<SessionRow[]> {
  return db
    .select()
    .from(intakeSessions)
    .where(
      and(
        lte(intakeSessions.lastActivityAt, idleBefore.toJSDate()),
        sql`${intakeSessions.expiresAt} > ${now.toJSDate()}`,
        or(isNull(intakeSessions.nudgedAt), lt(intakeSessions.nudgedAt, intakeSessions.lastActivityAt)),
      ),
    )
    .limit(limit);
}

/** The database half of "one nudge per idle spell": only the first caller gets the row back. */
export async function claimNudge(db: Db, id: string, now: DateTime): Promise<boolean> {
  const rows = await db
    .update(intakeSessions)
    .set({ nudgedAt: now.toJSDate() })
    .where(and(eq(intakeSessions.id, id), or(isNull(intakeSessions.nudgedAt), lt(intakeSessions.nudgedAt, intakeSessions.lastActivityAt))))
    .returning({ id: intakeSessions.id });
  return rows.length > 0;
}

export function readSessionRow(cipher: FieldCipher, row: SessionRow): Session | null {
  return open(cipher, row);
}

/** The intake answers as stored on the case (`cases.intake_enc`, AAD 'cases.intake'). Read by the staff side. */
export interface CaseIntakeRecord {
  v: 1;
  answers: IntakeAnswers;
  language: Language;
  safety?: Safety;
  /** false while the case was opened by the crisis path and the client had not finished the questions. */
  complete: boolean;
  agreement?: { version: string; language: Language; at: string };
}

export function sealCaseIntake(cipher: FieldCipher, record: CaseIntakeRecord): string {
  return cipher.encryptJson(record, CASE_INTAKE_AAD);
}

export function openCaseIntake(cipher: FieldCipher, enc: string | null | undefined): CaseIntakeRecord | null {
  if (!enc) return null;
  try {
    return cipher.decryptJson<CaseIntakeRecord>(enc, CASE_INTAKE_AAD);
  } catch {
    return null;
  }
}
