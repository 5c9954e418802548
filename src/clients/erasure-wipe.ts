import { and, eq, gt, inArray, isNotNull, like, or, sql } from 'drizzle-orm';
import type { DateTime } from 'luxon';
import type { Db } from '../db/client.js';
import {
  appointments,
  callbackTokens,
  caseAnonymisations,
  caseloadOverrides,
  cases,
  clients,
  deliveries,
  escalations,
  goals,
  intakeSessions,
  noteRedactions,
  notes,
  referralConsents,
  referrals,
} from '../db/schema.js';
import type { FieldCipher } from '../lib/crypto.js';
import { intakeRecipient } from '../intake/intake-notice.kind.js';

/**
 * The two halves of forgetting a client, shared by an erasure request and by
 * retention. Both are plain UPDATE/DELETE statements in the caller's
 * transaction and safe to run twice (a resumed job does exactly that).
 *
 * What stays is what statistics and accountability need: the case reference,
 * dates, category, type, priority, phase and status, appointment times and
 * outcomes, the ledger's who-was-told-when, escalation history, consent
 * versions and dates, and the audit log (ids and action names only).
 */
export const ERASED_REASON = 'erased';

/** Columns that must stay non-null hold an envelope of the empty string: nothing to read, and every reader still works. */
const blank = (cipher: FieldCipher, aad: string) => cipher.encrypt('', aad);

export type AnonymiseCause = 'erasure' | 'retention_closed' | 'retention_withdrawn';

/**
 * Every personal value of these cases: intake answers, plan, self-help focus,
 * evaluation, goals, notes and relayed messages, redaction reasons, escalation
 * snooze and resolution reasons, referral reasons and verbal-consent reasons. Future appointments are cancelled (version
 * bumped, so reminders already planned are skipped) and pending deliveries for
 * the cases end `skipped` with reason `erased`.
 */
export async function anonymiseCases(
  tx: Db,
  cipher: FieldCipher,
  caseIds: string[],
  now: DateTime,
  cause: AnonymiseCause,
  keepDeliveryId?: string,
): Promise<number> {
  if (caseIds.length === 0) return 0;
  const at = now.toJSDate();
  await tx
    .update(cases)
    .set({
      intakeEnc: null,
      planEnc: null,
      selfHelpFocusEnc: null,
      urgency: null,
      // A closed case must keep an evaluation (CHECK): an empty one.
      evaluationEnc: sql`case when ${cases.evaluationEnc} is null then null else ${blank(cipher, 'cases.evaluation')} end`,
      version: sql`${cases.version} + 1`,
      updatedAt: at,
    })
    .where(inArray(cases.id, caseIds));
  await tx
    .update(goals)
    .set({ descriptionEnc: blank(cipher, 'goals.description'), assessmentEnc: null, outcomeEnc: null, updatedAt: at })
    .where(inArray(goals.caseId, caseIds));
  await tx
    .update(notes)
    .set({ bodyEnc: blank(cipher, 'notes.body') })
    .where(inArray(notes.caseId, caseIds));
  await tx
    .update(noteRedactions)
    .set({ reasonEnc: blank(cipher, 'note_redactions.reason') })
    .where(inArray(noteRedactions.noteId, tx.select({ id: notes.id }).from(notes).where(inArray(notes.caseId, caseIds))));
  await tx
    .update(escalations)
    .set({ snoozeReason: sql`case when ${escalations.snoozeReason} is null then null else ${ERASED_REASON} end` })
    .where(and(inArray(escalations.caseId, caseIds), isNotNull(escalations.snoozeReason)));
  // Resolutions are codes, except a staff member's free-text reason, stored as an envelope.
  await tx
    .update(escalations)
    .set({ resolution: ERASED_REASON })
    .where(and(inArray(escalations.caseId, caseIds), like(escalations.resolution, 'v1.%')));
  // Referral reasons are the client's story in other words; a verbal consent's reason may say where they were.
  await tx
    .update(referrals)
    .set({ reasonEnc: blank(cipher, 'referrals.reason'), updatedAt: at })
    .where(inArray(referrals.caseId, caseIds));
  await tx
    .update(referralConsents)
    .set({ verbalReasonEnc: blank(cipher, 'referral_consents.verbal_reason') })
    .where(
      and(
        isNotNull(referralConsents.verbalReasonEnc),
        inArray(referralConsents.referralId, tx.select({ id: referrals.id }).from(referrals).where(inArray(referrals.caseId, caseIds))),
      ),
    );
  // Why a case went to a worker over their caseload limit may name the client.
  await tx
    .update(caseloadOverrides)
    .set({ reasonEnc: blank(cipher, 'caseload_overrides.reason') })
    .where(inArray(caseloadOverrides.caseId, caseIds));
  // Where a meeting was (it may be the client's home) goes with everything else; the times stay.
  await tx
    .update(appointments)
    .set({ locationEnc: null })
    .where(and(inArray(appointments.caseId, caseIds), isNotNull(appointments.locationEnc)));
  await tx
    .update(appointments)
    .set({ status: 'cancelled', version: sql`${appointments.version} + 1`, updatedAt: at })
    .where(and(inArray(appointments.caseId, caseIds), eq(appointments.status, 'scheduled'), gt(appointments.startsAt, at)));
  await tx
    .update(deliveries)
    .set({ status: 'skipped', reason: ERASED_REASON, claimedAt: null, claimToken: null, updatedAt: at })
    .where(and(inArray(deliveries.caseId, caseIds), eq(deliveries.status, 'pending'), keepDeliveryId ? sql`${deliveries.id} <> ${keepDeliveryId}` : sql`true`));
  await tx
    .insert(caseAnonymisations)
    .values(caseIds.map((caseId) => ({ caseId, anonymisedAt: at, cause })))
    .onConflictDoNothing();
  return caseIds.length;
}

/** Pending messages to the client not tied to a case (e.g. an intake reply), except the erasure confirmation. */
export async function skipClientDeliveries(tx: Db, clientId: string, now: DateTime, keepDeliveryId?: string): Promise<void> {
  await tx
    .update(deliveries)
    .set({ status: 'skipped', reason: ERASED_REASON, claimedAt: null, claimToken: null, updatedAt: now.toJSDate() })
    .where(
      and(
        eq(deliveries.recipient, `client:${clientId}`),
        eq(deliveries.status, 'pending'),
        keepDeliveryId ? sql`${deliveries.id} <> ${keepDeliveryId}` : sql`true`,
      ),
    );
}

/**
 * The client row itself: name, Telegram user and chat ids, time zone; their
 * intake drafts and button tokens. The row stays (cases point at it) and is
 * shown to staff as "erased". Returns the chat id it had (to clear Redis state keyed by it).
 */
export async function wipeClientIdentity(tx: Db, clientId: string, now: DateTime, defaultZone: string): Promise<{ chatId: number | null }> {
  const [c] = await tx.select({ userId: clients.telegramUserId, chatId: clients.telegramChatId }).from(clients).where(eq(clients.id, clientId)).for('update');
  if (!c) return { chatId: null };
  const conds = [];
  if (c.userId != null) conds.push(eq(intakeSessions.telegramUserId, c.userId));
  if (c.chatId != null) conds.push(eq(intakeSessions.telegramChatId, c.chatId));
  if (conds.length) await tx.delete(intakeSessions).where(or(...conds));
  if (c.chatId != null) {
    await tx.delete(callbackTokens).where(eq(callbackTokens.chatId, c.chatId));
    // The intake notices (nudge, expiry) were addressed to the chat before there was a client row:
    // the ledger keeps them as this client's, without the chat id; any still waiting is not sent.
    const byChat = intakeRecipient(c.chatId);
    await tx
      .update(deliveries)
      .set({ status: 'skipped', reason: ERASED_REASON, claimedAt: null, claimToken: null, updatedAt: now.toJSDate() })
      .where(and(eq(deliveries.recipient, byChat), eq(deliveries.status, 'pending')));
    await tx
      .update(deliveries)
      .set({ recipient: `client:${clientId}`, updatedAt: now.toJSDate() })
      .where(eq(deliveries.recipient, byChat));
  }
  await tx
    .update(clients)
    .set({
      preferredNameEnc: null,
      telegramUserId: null,
      telegramChatId: null,
      timeZone: defaultZone,
      botBlockedAt: null,
      erasedAt: sql`coalesce(${clients.erasedAt}, ${now.toUTC().toISO()}::timestamptz)`,
      updatedAt: now.toJSDate(),
    })
    .where(eq(clients.id, clientId));
  return { chatId: c.chatId };
}

/** Redis list of message ids kept 48 h for /exit (src/telegram/telegram.tracker.ts writes it under this key). */
export function trackedMessagesKey(prefix: string, chatId: number): string {
  return `${prefix}:tg:msgs:${chatId}`;
}
