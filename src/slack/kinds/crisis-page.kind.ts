import { DateTime } from 'luxon';
import { staffTime } from '../../appointments/appointment.format.js';
import { deliveryKind } from '../../delivery/kinds/kind.js';
import { loadStaff, recipientId, staffUnreachable } from '../../delivery/recipients.js';
import { loadEscalation, safetyPlanOverdue } from '../../escalations/escalation-context.js';
import type { ActionsBlock, KnownBlock } from '@slack/types';
import type { SlackOutbound } from '../../delivery/outbound.js';
import { clip } from '../../lib/clip.js';
import { type Button, buttonMessage, divider, section } from '../ui/blocks.js';
import { describeTrouble } from '../ui/escalation.text.js';
import { ACTIONS, BLOCKS } from '../ui/ids.js';

/**
 * A crisis page: to the on-call person at once, then up the tiers (team
 * supervisors and the supervision channel, then admins) every
 * ONCALL_REPEAT_MINUTES until someone acknowledges. After acknowledgement it
 * pages again only if the safety-plan note is overdue. Channel posts carry the
 * case reference only, like every channel post.
 */
export const crisisPageKind = deliveryKind({
  kind: 'crisis_page',
  urgent: true,
  async render(deps, row) {
    const x = await loadEscalation(deps, row);
    if ('skip' in x) return x;
    const channel = recipientId(row.recipient, 'channel');
    const s = channel ? undefined : await loadStaff(deps.db, recipientId(row.recipient, 'staff') ?? '');
    if (!channel) {
      const unreachable = staffUnreachable(s);
      if (unreachable) return { skip: unreachable };
    }
    const zone = s?.timeZone ?? deps.config.DEFAULT_TIMEZONE;
    const now = deps.clock.now();
    let text: string;
    let actions: Button[];
    if (safetyPlanOverdue(x.e, now)) {
      const by = x.e.acknowledgedBy ? await loadStaff(deps.db, x.e.acknowledgedBy) : undefined;
      text =
        `:rotating_light: The crisis on ${x.c.reference} was acknowledged${by ? ` by <@${by.slackUserId}>` : ''} at ${staffTime(x.e.acknowledgedAt!, zone)}, ` +
        `but no safety plan has been logged (it was due ${staffTime(x.e.safetyPlanDueAt!, zone)}). Please make sure someone follows up with the client now.`;
      actions = [
        { text: 'Record safety plan', actionId: ACTIONS.logNote, value: x.c.id, style: 'danger' },
        { text: 'Open case', actionId: ACTIONS.openCase, value: x.c.id },
      ];
    } else {
      const minutes = Math.floor(now.diff(DateTime.fromJSDate(x.e.openedAt), 'minutes').minutes);
      const repeat = x.e.notifications > 1 ? ` (page ${x.e.notifications}: nobody has acknowledged for ${minutes} min)` : '';
      const who = x.worker ? ` Worker: <@${x.worker.slackUserId}>.` : ' No worker assigned yet.';
      text = `:rotating_light: ${describeTrouble(deps, x, zone)}${repeat}${who}`;
      actions = [
        { text: 'Acknowledge — I am on it', actionId: ACTIONS.escAck, value: x.e.id, style: 'danger' },
        { text: 'Open case', actionId: ACTIONS.openCase, value: x.c.id },
      ];
    }
    return buttonMessage(channel ?? s!.slackUserId, text, BLOCKS.crisisPage, actions);
  },
  /**
   * Pages waiting for the same person in one message (delivery/combine.ts): a line saying how many, then each
   * page as rendered above, its text and its own buttons (block id per crisis, so acting on one leaves the
   * others' buttons: slack/escalation-buttons.flow.ts).
   */
  combine(parts) {
    const first = parts[0]!.out as SlackOutbound;
    const head = `:rotating_light: *${parts.length} crises* are waiting for someone. Each needs its own acknowledgement.`;
    const blocks: KnownBlock[] = [section(head)];
    for (const { row, out } of parts) {
      const [text, buttons] = (out as SlackOutbound).blocks ?? [];
      if (!text) continue;
      blocks.push(divider(), text);
      if (buttons?.type === 'actions') blocks.push({ ...(buttons as ActionsBlock), block_id: BLOCKS.crisisPageOf(row.subjectId) });
    }
    return { channel: 'slack', to: first.to, text: clip(`${head} ${parts.map((p) => p.out.text).join(' · ')}`, 3000), blocks };
  },
});
