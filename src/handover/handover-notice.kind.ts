import { and, eq, isNull } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Deps } from '../deps.js';
import { escalations, handoverCases, handovers } from '../db/schema.js';
import { deliveryKind } from '../delivery/kinds/kind.js';
import { loadStaff, openCaseClient } from '../delivery/recipients.js';
import { createI18n } from '../i18n/i18n.js';
import { firstName } from '../cases/message-to-client.kind.js';
import { caseIntake } from '../cases/case-file.js';
import { HANDOVER_NOTICE_KIND, NOTICE_VERSION } from './handover.service.js';
import { DATE_LOCALE } from '../lib/languages.js';

const i18n = createI18n();

/** Why the client is not told automatically (a person should tell them), or null. */
export async function clientNotTold(
  deps: Pick<Deps, 'db' | 'cipher'>,
  c: { id: string; intakeEnc: string | null },
): Promise<'crisis_open' | 'intake_paused' | null> {
  const [crisis] = await deps.db
    .select({ id: escalations.id })
    .from(escalations)
    .where(and(eq(escalations.caseId, c.id), eq(escalations.reason, 'crisis'), isNull(escalations.resolvedAt)))
    .limit(1);
  if (crisis) return 'crisis_open';
  const intake = caseIntake(deps, c.intakeEnc);
  if (intake && !intake.complete) return 'intake_paused';
  return null;
}

/**
 * Tells the client on Telegram, in their language, who their contact is now
 * (version 1: the covering worker, with the until date when there is one;
 * version 2: their own worker again). Decided at send time:
 * - the case has moved on since (undone before this went out, reassigned,
 *   closed) → skipped ('superseded' / 'case_not_open'): the client hears only what is true;
 * - a crisis is open on the case, or the client paused their request after
 *   one → not sent ('crisis_open' / 'intake_paused'): a person tells them, and
 *   the handover packet says so to the covering worker;
 * - discreet mode names nobody.
 */
export const handoverNoticeKind = deliveryKind({
  kind: HANDOVER_NOTICE_KIND,
  async render(deps, row) {
    const [hit] = await deps.db
      .select({ hc: handoverCases, h: handovers })
      .from(handoverCases)
      .innerJoin(handovers, eq(handovers.id, handoverCases.handoverId))
      .where(eq(handoverCases.id, row.subjectId))
      .limit(1);
    if (!hit) return { skip: 'handover_not_found' };
    const target = await openCaseClient(deps.db, hit.hc.caseId, row.recipient);
    if ('skip' in target) return target;
    const back = row.version === NOTICE_VERSION.back;
    const contactId = back ? hit.h.fromStaffId : hit.h.toStaffId;
    if (target.case.assignedWorkerId !== contactId) return { skip: 'superseded' };
    const why = await clientNotTold(deps, target.case);
    if (why) return { skip: why };
    const t = i18n.fixed(target.lang);
    if (deps.config.DISCREET_MODE) return { channel: 'telegram', chatId: target.chatId, text: t('handover.discreet') };
    const name = firstName((await loadStaff(deps.db, contactId))?.displayName) || t('appt_notice.your_worker');
    if (back) return { channel: 'telegram', chatId: target.chatId, text: t('handover.back', { name }) };
    if (!hit.h.untilOn) return { channel: 'telegram', chatId: target.chatId, text: t('handover.new_contact', { name }) };
    const previous = firstName((await loadStaff(deps.db, hit.h.fromStaffId))?.displayName) || t('appt_notice.your_worker');
    const date = DateTime.fromISO(hit.h.untilOn).setLocale(DATE_LOCALE[target.lang]).toFormat(t('handover.date_format'));
    return { channel: 'telegram', chatId: target.chatId, text: t('handover.new_contact_until', { name, previous, date }) };
  },
});
