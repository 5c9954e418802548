import { eq } from 'drizzle-orm';
import { intakeSessions } from '../db/schema.js';
import { deliveryKind } from '../delivery/kinds/kind.js';
import type { Recipient } from '../delivery/ledger.js';
import { createI18n, isLang, type Lang } from '../i18n/i18n.js';

/**
 * The intake sweep's two messages to someone with an unfinished request —
 * the idle nudge and the notice that the draft was deleted — as ledger rows
 * like every other message: once per (kind, subject, version, recipient),
 * rate-budgeted, retried, counted, and recorded for the quick exit (/exit
 * deletes them with the rest of the conversation). Worded for discreet mode.
 *
 * The person may not be a client yet (no clients row before the intake is
 * submitted), so the recipient names their Telegram chat: `client:tg:<chat id>`.
 * - nudge: the subject is the draft; rendered from it at send time (skipped if
 *   the draft is gone or the person came back in the meantime); the version is
 *   the idle spell (its last activity, in minutes), so one nudge per spell;
 * - expired: the draft is deleted with the row's planning, so the subject
 *   carries the draft's id and language (`<id>:<lang>`).
 */
export const INTAKE_NUDGE_KIND = 'intake_nudge';
export const INTAKE_EXPIRED_KIND = 'intake_expired';

const i18n = createI18n();

export function intakeRecipient(chatId: number): Recipient {
  return `client:tg:${chatId}`;
}

function chatOfIntakeRecipient(recipient: string): number | null {
  const m = /^client:tg:(-?\d{1,20})$/.exec(recipient);
  return m ? Number(m[1]) : null;
}

export const idleSpell = (lastActivityAt: Date) => Math.floor(lastActivityAt.getTime() / 60_000);

export const intakeNudgeKind = deliveryKind({
  kind: INTAKE_NUDGE_KIND,
  async render(deps, row) {
    const [s] = await deps.db
      .select({ chatId: intakeSessions.telegramChatId, language: intakeSessions.language, lastActivityAt: intakeSessions.lastActivityAt })
      .from(intakeSessions)
      .where(eq(intakeSessions.id, row.subjectId))
      .limit(1);
    if (!s) return { skip: 'intake_gone' };
    if (idleSpell(s.lastActivityAt) !== row.version) return { skip: 'intake_resumed' };
    const lang: Lang = isLang(s.language) ? s.language : 'en';
    return { channel: 'telegram', chatId: s.chatId, text: i18n.t(lang, deps.config.DISCREET_MODE ? 'nudge.discreet' : 'nudge.text') };
  },
});

export const intakeExpiredKind = deliveryKind({
  kind: INTAKE_EXPIRED_KIND,
  async render(deps, row) {
    const chatId = chatOfIntakeRecipient(row.recipient);
    if (chatId === null) return { skip: 'no_channel' };
    const lang = row.subjectId.split(':')[1];
    return { channel: 'telegram', chatId, text: i18n.t(isLang(lang) ? lang : 'en', deps.config.DISCREET_MODE ? 'expired.discreet' : 'expired.text') };
  },
});
