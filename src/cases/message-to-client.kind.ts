import { eq } from 'drizzle-orm';
import { notes } from '../db/schema.js';
import { deliveryKind } from '../delivery/kinds/kind.js';
import { clientUnreachable, loadCase, loadClient, loadStaff, recipientId } from '../delivery/recipients.js';
import { createI18n, isLang } from '../lib/i18n.js';
import { MessageTracker } from '../telegram/telegram.tracker.js';
import { AAD } from './case-aad.js';

const i18n = createI18n();

/** The worker's first name only: enough for the client to know who writes, nothing more. */
export function firstName(displayName: string | null | undefined): string {
  return (displayName ?? '').trim().split(/\s+/)[0] ?? '';
}

/**
 * A worker's message to the client on Telegram, in the client's language:
 * "Message from your worker Ana: …". Discreet mode names no worker or agency
 * (someone else may see the phone). Decided at send time: a client who has
 * since blocked the bot or asked for erasure is skipped with that reason.
 */
export const messageToClientKind = deliveryKind({
  kind: 'message_to_client',
  async render(deps, row) {
    const [note] = await deps.db.select().from(notes).where(eq(notes.id, row.subjectId)).limit(1);
    if (!note) return { skip: 'note_not_found' };
    const c = await loadCase(deps.db, note.caseId);
    if (!c || c.status !== 'open') return { skip: 'case_not_open' };
    const client = await loadClient(deps.db, recipientId(row.recipient, 'client') ?? '');
    const why = clientUnreachable(client);
    if (why) return { skip: why };
    const lang = isLang(client!.language) ? client!.language : 'en';
    const t = i18n.fixed(lang);
    const body = deps.cipher.decrypt(note.bodyEnc, AAD.noteBody);
    const worker = note.authorStaffId ? await loadStaff(deps.db, note.authorStaffId) : undefined;
    const text = deps.config.DISCREET_MODE
      ? t('worker_message.discreet', { value: body })
      : t('worker_message.text', { name: firstName(worker?.displayName) || t('appt_notice.your_worker'), value: body });
    return { channel: 'telegram', chatId: client!.telegramChatId!, text };
  },
  async afterSent(deps, row, sent) {
    const client = await loadClient(deps.db, recipientId(row.recipient, 'client') ?? '');
    if (client?.telegramChatId) await new MessageTracker(deps.redis, deps.config.QUEUE_PREFIX).add(client.telegramChatId, Number(sent.externalRef));
  },
});
