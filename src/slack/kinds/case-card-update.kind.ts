import { and, eq, gt } from 'drizzle-orm';
import { deliveries } from '../../db/schema.js';
import { deliveryKind } from '../../delivery/kinds/kind.js';
import { loadCase, loadStaff, recipientId, staffUnreachable } from '../../delivery/recipients.js';
import { loadCaseCard } from '../../cases/case-card.js';
import { CASE_CARD_UPDATE_KIND } from '../../cases/case-card-refresh.js';
import { caseCardBlocks, caseCardText } from '../ui/case-card.blocks.js';
import { assignedPreamble } from './assignment-dm.kind.js';

/**
 * The case card already posted in the assigned worker's DM, edited in place
 * (chat.update) after a change, so it never shows a stale "Last note: none
 * yet". Rendered from the rows at send time; an older update of the same card
 * is skipped ('superseded') when a newer one is planned.
 */
export const caseCardUpdateKind = deliveryKind({
  kind: CASE_CARD_UPDATE_KIND,
  async render(deps, row) {
    const [newer] = await deps.db
      .select({ id: deliveries.id })
      .from(deliveries)
      .where(
        and(
          eq(deliveries.kind, CASE_CARD_UPDATE_KIND),
          eq(deliveries.subjectId, row.subjectId),
          eq(deliveries.recipient, row.recipient),
          gt(deliveries.version, row.version),
        ),
      )
      .limit(1);
    if (newer) return { skip: 'superseded' };
    const c = await loadCase(deps.db, row.subjectId);
    if (!c) return { skip: 'case_not_found' };
    // The card named is the one in this channel; a reassignment posts a new card elsewhere.
    if (!c.slackChannel || !c.slackThreadTs || recipientId(row.recipient, 'channel') !== c.slackChannel) return { skip: 'reassigned' };
    const worker = c.assignedWorkerId ? await loadStaff(deps.db, c.assignedWorkerId) : undefined;
    const why = staffUnreachable(worker);
    if (why) return { skip: why };
    const card = await loadCaseCard(deps, c.id);
    if (!card) return { skip: 'case_not_found' };
    return {
      channel: 'slack',
      to: c.slackChannel,
      update: { ts: c.slackThreadTs },
      text: `You have been assigned ${caseCardText(card)}`,
      blocks: [assignedPreamble(card.reference), ...caseCardBlocks(card, worker!.timeZone, deps.clock.now())],
    };
  },
});
