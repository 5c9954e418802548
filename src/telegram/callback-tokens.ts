import { randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { DateTime } from 'luxon';
import type { Db } from '../db/client.js';
import { executePrepared } from '../db/prepared.js';
import { callbackTokens } from '../db/schema.js';

/**
 * Telegram callback_data is at most 64 bytes and comes back from the client,
 * so it must never carry data we trust. A button carries `t:<token>`; the
 * action lives here, bound to the chat it was sent to, with an expiry.
 */
const CALLBACK_PREFIX = 't:';

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

/**
 * Every button of one reply (or several) in one statement; the data strings
 * come back in input order. Arrays through unnest: the statement text is the
 * same whatever the number of buttons, and there is nothing per row to build.
 */
export async function issueCallbackTokens(db: Db, input: { chatId: number; actions: CallbackAction[]; expiresAt: DateTime }, now: DateTime): Promise<string[]> {
  if (input.actions.length === 0) return [];
  const tokens = input.actions.map(() => randomBytes(12).toString('base64url'));
  await executePrepared(
    db,
    'tg_issue_tokens',
    sql`insert into ${callbackTokens} (token, chat_id, action, expires_at, created_at)
    select u.token, ${input.chatId}, u.action::jsonb, ${input.expiresAt.toUTC().toISO()}::timestamptz, ${now.toUTC().toISO()}::timestamptz
    from unnest(${sql.param(tokens)}::text[], ${sql.param(input.actions.map((a) => JSON.stringify(a)))}::text[]) as u(token, action)`,
  );
  return tokens.map((t) => CALLBACK_PREFIX + t);
}

export type CallbackTokenRow = typeof callbackTokens.$inferSelect;

export type ResolvedCallback = { ok: true; action: CallbackAction } | { ok: false; reason: 'malformed' | 'unknown' | 'expired' | 'wrong_chat' };

/**
 * Look up a pressed button. Tokens stay valid until expiry (a person may press
 * "Confirm" twice; the action itself must be idempotent); `consume` marks
 * one-shot tokens used so a second press is refused.
 */
export async function resolveCallbackToken(
  db: Db,
  data: string | undefined,
  chatId: number,
  now: DateTime,
  opts: { consume?: boolean; row?: CallbackTokenRow | null } = {},
): Promise<ResolvedCallback> {
  const token = tokenOf(data);
  if (!token) return { ok: false, reason: 'malformed' };
  // `row`: the token's row already read in this update (null: none); not for consuming.
  const [row] =
    opts.row !== undefined && !opts.consume
      ? opts.row
        ? [opts.row]
        : []
      : await db.select().from(callbackTokens).where(eq(callbackTokens.token, token)).limit(1);
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

/** The token in well-formed callback_data, else undefined. */
export function tokenOf(data: string | undefined): string | undefined {
  if (!data?.startsWith(CALLBACK_PREFIX) || data.length > 64) return undefined;
  const token = data.slice(CALLBACK_PREFIX.length);
  return /^[A-Za-z0-9_-]{8,40}$/.test(token) ? token : undefined;
}

/** A row read as `to_json(callback_tokens)` (snake_case keys, ISO timestamps). */
export function callbackRowFromJson(j: Record<string, unknown>): CallbackTokenRow {
  return {
    token: j.token as string,
    chatId: Number(j.chat_id),
    action: j.action as Record<string, unknown>,
    expiresAt: new Date(j.expires_at as string),
    usedAt: j.used_at == null ? null : new Date(j.used_at as string),
    createdAt: new Date(j.created_at as string),
  };
}

/** A confirmation answered (both its buttons) or anything else of these types in one chat: nothing left to press. */
export async function deleteChatTokens(db: Db, chatId: number, types: string[]): Promise<number> {
  const res = await db
    .delete(callbackTokens)
    .where(and(eq(callbackTokens.chatId, chatId), sql`${callbackTokens.action}->>'type' in ${types}`))
    .returning({ t: callbackTokens.token });
  return res.length;
}

export async function deleteExpiredCallbackTokens(db: Db, now: DateTime): Promise<number> {
  const res = await db.delete(callbackTokens).where(sql`${callbackTokens.expiresAt} < ${now.toJSDate()}`).returning({ t: callbackTokens.token });
  return res.length;
}
