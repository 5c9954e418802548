import { and, eq } from 'drizzle-orm';
import { cases } from '../../db/schema.js';
import { deliveryKind } from '../../delivery/kinds/kind.js';
import { loadCase, loadStaff, recipientId, staffUnreachable } from '../../delivery/recipients.js';
import { loadCaseCard } from '../../cases/case-card.js';
import { caseCardBlocks, caseCardText } from '../ui/case-card.blocks.js';
import { section } from '../ui/blocks.js';

/**
 * The full case card in the newly assigned worker's DM. Its ts becomes the
 * case's thread: client messages are posted under it (client_reply). A card
 * for an assignment that has since changed is skipped ('reassigned').
 */
/** The line above the card in the worker's DM (kept when the card is updated in place). */
export const assignedPreamble = (reference: string) =>
  section(`*You have been assigned case ${reference}.* Messages from the client will appear in this thread.`);

export const assignmentDmKind = deliveryKind({
  kind: 'assignment_dm',
  async render(deps, row) {
    const workerId = recipientId(row.recipient, 'staff');
    const worker = workerId ? await loadStaff(deps.db, workerId) : undefined;
    const why = staffUnreachable(worker);
    if (why) return { skip: why };
    const c = await loadCase(deps.db, row.subjectId);
    if (!c) return { skip: 'case_not_found' };
    if (c.status !== 'open') return { skip: 'case_not_open' };
    if (c.assignedWorkerId !== worker!.id) return { skip: 'reassigned' };
    const card = await loadCaseCard(deps, c.id);
    if (!card) return { skip: 'case_not_found' };
    const now = deps.clock.now();
    return {
      channel: 'slack',
      to: worker!.slackUserId,
      text: `You have been assigned ${caseCardText(card)}`,
      blocks: [assignedPreamble(card.reference), ...caseCardBlocks(card, worker!.timeZone, now)],
    };
  },
  async afterSent(deps, row, sent) {
    const workerId = recipientId(row.recipient, 'staff');
    if (!workerId || !sent.channelRef) return;
    await deps.db
      .update(cases)
      .set({ slackChannel: sent.channelRef, slackThreadTs: sent.externalRef })
      .where(and(eq(cases.id, row.subjectId), eq(cases.assignedWorkerId, workerId)));
  },
});
