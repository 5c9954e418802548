import { randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { DateTime } from 'luxon';
import type { Db } from '../db/client.js';
import { callbackTokens } from '../db/schema.js';

/**
 * Telegram callback_data is at most 64 bytes and comes back from the client,
 * so it must never carry data we trust. A button carries `t:<token>`; the
 * action lives here, bound to the chat it was sent to, with an expiry.
 */
export const CALLBACK_PREFIX = 't:';

export type CallbackAction = Record<string, unknown> & { type: string };

export async function issueCallbackToken(db: Db, input: { chatId: number; action: CallbackAction; expiresAt: DateTime }, now: DateTime): Promise<string> {
  const token = randomBytes(12).toString('base64url'); // 16 chars
  await db.insert(callbackTokens).values({
    token,
    chatId: input.chatId,
    action: input.action,
    expiresAt: input.expiresAt.toJSDate(),
    createdAt: now.toJSDate(),
  });
  return CALLBACK_PREFIX + token;
}

export type ResolvedCallback =
  | { ok: true; action: CallbackAction }
  | { ok: false; reason: 'malformed' | 'unknown' | 'expired' | 'wrong_chat' };

/**
 * Look up a pressed button. Tokens stay valid until expiry (a person may press
 * "Confirm" twice; the action itself must be idempotent); `consume` marks
 * one-shot tokens used so a second press is refused.
 */
export async function resolveCallbackToken(db: Db, data: string | undefined, chatId: number, now: DateTime, opts: { consume?: boolean } = {}): Promise<ResolvedCallback> {
  if (!data || !data.startsWith(CALLBACK_PREFIX) || data.length > 64) return { ok: false, reason: 'malformed' };
  const token = data.slice(CALLBACK_PREFIX.length);
  if (!/^[A-Za-z0-9_-]{8,40}$/.test(token)) return { ok: false, reason: 'malformed' };
  const [row] = await db.select().from(callbackTokens).where(eq(callbackTokens.token, token)).limit(1);
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.chatId !== chatId) return { ok: false, reason: 'wrong_chat' };
  if (row.expiresAt.getTime() <= now.toMillis()) return { ok: false, reason: 'expired' };
  if (opts.consume) {
    const used = await db
      .update(callbackTokens)
      .set({ usedAt: now.toJSDate() })
      .where(and(eq(callbackTokens.token, token), isNull(callbackTokens.usedAt), gt(callbackTokens.expiresAt, now.toJSDate())))
      .returning({ token: callbackTokens.token });
    if (used.length === 0) return { ok: false, reason: 'expired' };
  }
  return { ok: true, action: row.action as CallbackAction };
}

export async function deleteExpiredCallbackTokens(db: Db, now: DateTime): Promise<number> {
  const res = await db.delete(callbackTokens).where(sql`${callbackTokens.expiresAt} < ${now.toJSDate()}`).returning({ t: callbackTokens.token });
  return res.length;
}
