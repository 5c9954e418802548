import { eq } from 'drizzle-orm';
import { notes } from '../db/schema.js';
import { deliveryKind } from '../delivery/kinds/kind.js';
import { loadStaff, openCaseClient } from '../delivery/recipients.js';
import { createI18n } from '../i18n/i18n.js';
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
    const target = await openCaseClient(deps.db, note.caseId, row.recipient);
    if ('skip' in target) return target;
    const t = i18n.fixed(target.lang);
    const body = deps.cipher.decrypt(note.bodyEnc, AAD.noteBody);
    const worker = note.authorStaffId ? await loadStaff(deps.db, note.authorStaffId) : undefined;
    const text = deps.config.DISCREET_MODE
      ? t('worker_message.discreet', { value: body })
      : t('worker_message.text', { name: firstName(worker?.displayName) || t('appt_notice.your_worker'), value: body });
    return { channel: 'telegram', chatId: target.chatId, text };
  },
});
