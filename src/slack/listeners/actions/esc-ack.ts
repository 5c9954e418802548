import { eq } from 'drizzle-orm';
import type { RegisterListener } from '../index.js';
import { staff } from '../../../db/schema.js';
import { ESC_ACTIONS } from '../../ui/ids.js';
import { acknowledgeEscalation } from '../../../escalations/escalation-actions.service.js';
import { markActed, registerEscalationButton, when } from '../../escalation-buttons.flow.js';
import { tell } from '../../slack.kit.js';
import { crisisFollowUpBlocks } from '../../ui/escalation.blocks.js';

/** [Acknowledge] on an escalation or crisis page: stops the ladder's repeats; the message says who has it. */
export const registerEscAck: RegisterListener = (app, deps) =>
  registerEscalationButton(app, deps, ESC_ACTIONS.ack, async ({ me, a, row, msg, client, own }) => {
    const r = await acknowledgeEscalation(deps, { escalationId: row.e.id, staffId: me.id });
    if (!r.ok) return tell(a, r.message);
    if (r.status === 'already') {
      const [by] = row.e.acknowledgedBy
        ? await deps.db.select({ slack: staff.slackUserId }).from(staff).where(eq(staff.id, row.e.acknowledgedBy)).limit(1)
        : [];
      const line = `✅ Already acknowledged${by ? ` by <@${by.slack}>` : ''}${row.e.acknowledgedAt ? ` at ${when(me, row.e.acknowledgedAt)}` : ''}.`;
      await markActed(deps, client, msg, line, [], own);
      return tell(a, `${line} Nothing more to do here.`);
    }
    const tail = row.e.reason === 'crisis' ? ' The pages stop; please make sure the client is contacted now.' : ' No more reminders about it.';
    const line = `✅ Acknowledged by <@${me.slackUserId}> at ${when(me, deps.clock.now().toJSDate())}.${tail}`;
    const followUp = crisisFollowUpBlocks(me, r, row.e.id, row.c.id);
    await markActed(deps, client, msg, line, followUp, own);
    // Without a message to update (it could not be found), the acknowledger still sees what is due next.
    if (followUp.length && !msg) await tell(a, line, followUp);
  });
