import { eq } from 'drizzle-orm';
import { escalations } from '../db/schema.js';
import { deliveryKind } from '../delivery/kinds/kind.js';
import { openCaseClient } from '../delivery/recipients.js';
import { createI18n } from '../i18n/i18n.js';
import { EMERGENCY_CONTACTS_SETTING } from '../lib/languages.js';
import { CRISIS_CHECKIN_KIND } from './crisis-followup.service.js';

const i18n = createI18n();

/**
 * The day after a crisis was acknowledged: a short check-in to the client, in
 * their language (discreet mode names nothing), with the emergency contacts.
 * Skipped when cancelled by staff (the row says so), when the case is no
 * longer open, or when the client cannot be written to.
 */
export const crisisCheckinKind = deliveryKind({
  kind: CRISIS_CHECKIN_KIND,
  async render(deps, row) {
    const [e] = await deps.db.select({ caseId: escalations.caseId }).from(escalations).where(eq(escalations.id, row.subjectId)).limit(1);
    if (!e) return { skip: 'escalation_not_found' };
    const target = await openCaseClient(deps.db, e.caseId, row.recipient);
    if ('skip' in target) return target;
    const contacts = deps.config[EMERGENCY_CONTACTS_SETTING[target.lang]];
    const key = deps.config.DISCREET_MODE ? 'crisis.checkin_discreet' : 'crisis.checkin';
    return { channel: 'telegram', chatId: target.chatId, text: i18n.t(target.lang, key, { contacts }) };
  },
});
