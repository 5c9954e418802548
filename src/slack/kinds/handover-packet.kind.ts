import { deliveryKind } from '../../delivery/kinds/kind.js';
import { loadStaff, recipientId, staffUnreachable } from '../../delivery/recipients.js';
import { HANDOVER_PACKET_KIND } from '../../handover/handover.service.js';
import { loadHandoverPacket } from '../../handover/handover-packet.js';
import { handoverPacketBlocks, handoverPacketText } from '../ui/handover.blocks.js';

/** One moved case's handover packet in the covering worker's DM; skipped when the case has moved on since. */
export const handoverPacketKind = deliveryKind({
  kind: HANDOVER_PACKET_KIND,
  async render(deps, row) {
    const worker = await loadStaff(deps.db, recipientId(row.recipient, 'staff') ?? '');
    const why = staffUnreachable(worker);
    if (why) return { skip: why };
    const p = await loadHandoverPacket(deps, row.subjectId);
    if ('skip' in p) return p;
    const from = await loadStaff(deps.db, p.fromStaffId);
    return {
      channel: 'slack',
      to: worker!.slackUserId,
      text: handoverPacketText(p),
      blocks: handoverPacketBlocks(p, from?.slackUserId ?? null, worker!.timeZone, deps.clock.now()),
    };
  },
});
