import { eq } from 'drizzle-orm';
import { cases } from '../../db/schema.js';
import { deliveryKind } from '../../delivery/kinds/kind.js';
import { loadCase, recipientId } from '../../delivery/recipients.js';
import { openCaseIntake } from '../../intake/intake.repo.js';
import { AAD } from '../../cases/case-aad.js';
import { findCaseWithPeople } from '../../cases/cases.repo.js';
import { assignablePicker } from '../../cases/caseload-limit.js';
import { firstName } from '../../cases/message-to-client.kind.js';
import { intakeCardBlocks, intakeCardText, type IntakeCardInput } from '../ui/intake-card.blocks.js';
import type { Deps } from '../../deps.js';

/**
 * A new case from the Telegram intake, posted to the intake channel with
 * [Assign to me] and [Assign…]. Safe fields only (see intake-card.blocks.ts).
 * afterSent remembers the message so assignment can update it.
 */
export async function intakeCardInput(deps: Deps, caseId: string): Promise<IntakeCardInput | undefined> {
  const row = await findCaseWithPeople(deps.db, caseId);
  if (!row) return undefined;
  const safe = new Set(deps.config.INTAKE_CARD_SAFE_FIELDS);
  const intake = openCaseIntake(deps.cipher, row.c.intakeEnc);
  let name: string | null = null;
  if (safe.has('first_name') && row.client.preferredNameEnc && !row.client.erasedAt) {
    try {
      name = firstName(deps.cipher.decrypt(row.client.preferredNameEnc, AAD.preferredName)) || null;
    } catch {
      name = null;
    }
  }
  return {
    caseId: row.c.id,
    reference: row.c.reference,
    category: row.c.category,
    urgency: row.c.urgency,
    priority: row.c.priority,
    crisis: row.c.crisis,
    safety: intake?.safety ?? null,
    firstName: name,
    language: safe.has('language') ? row.client.language : null,
    assignedSlackUserId: row.worker?.slackUserId ?? null,
    picker: { limit: deps.config.CASELOAD_LIMIT, people: await assignablePicker(deps.db, deps.config.CASELOAD_LIMIT) },
  };
}

export const intakeCardKind = deliveryKind({
  kind: 'intake_card',
  async render(deps, row) {
    const channel = recipientId(row.recipient, 'channel');
    if (!channel) return { skip: 'not_a_channel' };
    const x = await intakeCardInput(deps, row.subjectId);
    if (!x) return { skip: 'case_not_found' };
    const c = await loadCase(deps.db, row.subjectId);
    if (c?.status !== 'open') return { skip: 'case_not_open' };
    return { channel: 'slack', to: channel, text: intakeCardText(x), blocks: intakeCardBlocks(x) };
  },
  async afterSent(deps, row, sent) {
    await deps.db
      .update(cases)
      .set({ intakeCardChannel: sent.channelRef ?? recipientId(row.recipient, 'channel'), intakeCardTs: sent.externalRef })
      .where(eq(cases.id, row.subjectId));
  },
});
