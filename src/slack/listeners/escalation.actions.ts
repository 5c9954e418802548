import { eq } from 'drizzle-orm';
import { staff } from '../../db/schema.js';
import { acknowledgeEscalation, cancelCheckin, snoozeEscalation } from '../../escalations/escalation-actions.service.js';
import { REFUSE } from '../access.js';
import { crisisFollowUpBlocks, crisisOutcomeModal, notNeededModal, snoozeModal } from '../ui/escalation.blocks.js';
import { escalationButton, markActed, openReasonModal, SNOOZE_CHOICES, when } from '../escalation-buttons.flow.js';
import { tell } from '../slack.kit.js';
import type { StaffActionHandler } from './types.js';
import { CRISIS_ACTIONS, ESC_ACTIONS } from '../ui/ids.js';

/** The button itself is the reason: the worker's own follow-up nudge comes back in a day. */
const SNOOZE_DAY_REASON = 'Snoozed for 1 day from the follow-up reminder';

/**
 * The buttons on escalation, follow-up nudge and crisis-page messages, keyed by
 * action id. Each runs after the staff wrapper (ack, directory) and the
 * escalation's access check (escalationButton); the message then says who acted.
 */
export const ESCALATION_ACTIONS = {
  /** [Acknowledge] on an escalation or crisis page: stops the ladder's repeats; the message says who has it. */
  [ESC_ACTIONS.ack]: escalationButton(async ({ deps, me, a, row, msg, client, own }) => {
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
    const edited = await markActed(deps, client, msg, line, followUp, own);
    // Without a message to update (it could not be found, or it lists other crises and came without its blocks),
    // the acknowledger still sees what is due next.
    if (followUp.length && !edited) await tell(a, line, followUp);
  }),

  /** [Snooze — reason required] on an escalation: a modal asks how long and why (the reason is required). */
  [ESC_ACTIONS.snooze]: escalationButton(async (x) => {
    const { a, row } = x;
    if (row.e.resolvedAt) return tell(a, 'This has already been resolved; nothing more to do.');
    if (row.e.reason === 'crisis') return tell(a, 'A crisis cannot be snoozed: please acknowledge it, or hand it to someone who can act now.');
    if (row.c.status !== 'open') return tell(a, REFUSE.closed);
    await openReasonModal(x, (meta) => snoozeModal(row.c.reference, meta, SNOOZE_CHOICES));
  }),

  /** [Snooze 1 day] on a worker's follow-up nudge. */
  [ESC_ACTIONS.snoozeDay]: escalationButton(async ({ deps, me, a, row, msg, client, own }) => {
    const until = deps.clock.now().plus({ days: 1 });
    const r = await snoozeEscalation(deps, { escalationId: row.e.id, staffId: me.id, until, reason: SNOOZE_DAY_REASON, once: true });
    if (!r.ok) return tell(a, r.message);
    if (r.status === 'already') return tell(a, `This is already snoozed until ${when(me, r.until!.toJSDate())}; nothing changed.`);
    await markActed(deps, client, msg, `💤 Snoozed for 1 day by <@${me.slackUserId}>: I'll remind you again after ${when(me, until.toJSDate())}.`, [], own);
  }),

  /** [No follow-up needed — reason] on a follow-up nudge: a modal asks why (required). */
  [ESC_ACTIONS.notNeeded]: escalationButton(async (x) => {
    const { a, row } = x;
    if (row.e.resolvedAt) return tell(a, 'This has already been resolved; nothing more to do.');
    if (row.e.reason === 'crisis') return tell(a, 'A crisis cannot be closed this way: please acknowledge it.');
    await openReasonModal(x, (meta) => notNeededModal(row.c.reference, meta));
  }),

  /** [Cancel check-in] after a crisis is acknowledged. */
  [CRISIS_ACTIONS.cancelCheckin]: escalationButton(async ({ deps, me, a, row }) => {
    const r = await cancelCheckin(deps, { escalationId: row.e.id, staffId: me.id });
    return tell(a, r.ok ? `The check-in message to the client for ${row.c.reference} is cancelled (recorded).` : r.message);
  }),

  /** [Record outcome] of a crisis: the only way a crisis ends (a modal asks what happened). */
  [CRISIS_ACTIONS.outcome]: escalationButton(async (x) => {
    const { a, row } = x;
    if (row.e.reason !== 'crisis') return tell(a, 'This button is for crises only.');
    if (row.e.resolvedAt) return tell(a, 'This crisis has already been resolved; nothing more to do.');
    await openReasonModal(x, (meta) => crisisOutcomeModal(row.c.reference, meta));
  }),
} satisfies Record<string, StaffActionHandler>;
