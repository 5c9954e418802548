import { deliveryKind } from '../delivery/kinds/kind.js';
import { createI18n, isLang } from '../i18n/i18n.js';
import { erasureRunJob } from '../jobs/erasure-run.job.js';
import { confirmationTarget } from './erasure.service.js';

const i18n = createI18n();

/**
 * "Your information has been deleted", in the client's language — the last
 * message this chat ever gets. Unlike every other client kind it goes to a
 * client who asked for erasure (that is the point); once it has gone, the
 * erasure job is run again to blank the chat id itself.
 */
export const erasureDoneKind = deliveryKind({
  kind: 'erasure_done',
  async render(deps, row) {
    const hit = await confirmationTarget(deps.db, row.subjectId);
    if (!hit) return { skip: 'erasure_request_not_found' };
    if (hit.c.erasedAt || hit.c.telegramChatId == null) return { skip: 'client_erased' };
    if (hit.c.botBlockedAt) return { skip: 'client_blocked_bot' };
    const t = i18n.fixed(isLang(hit.c.language) ? hit.c.language : 'en');
    return { channel: 'telegram', chatId: hit.c.telegramChatId, text: t('erasure.done') };
  },
  async afterSent(deps, row) {
    await deps.queues.add(erasureRunJob, { requestId: row.subjectId });
  },
});
