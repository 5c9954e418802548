import { staffTime } from '../../appointments/appointment.format.js';
import { decideErasure } from '../../clients/erasure-request.service.js';
import { REFERRAL_OUTCOMES } from '../../db/schema.js';
import { endHandover } from '../../handover/handover.service.js';
import { OUTCOME_LABELS } from '../../referrals/referrals.domain.js';
import { recordReferralOutcome } from '../../referrals/referrals.service.js';
import { ERASURE_TITLE, holdModal } from '../erasure-buttons.flow.js';
import { markActed, messageOf } from '../escalation-buttons.flow.js';
import { endedText } from '../handover.screen.js';
import { tell } from '../slack.kit.js';
import { type StaffActionHandler, buttonValue } from './types.js';
import { ERASURE_ACTIONS, HANDOVER_UNDO_ACTION, REFERRAL_OUTCOME_ACTION } from '../ui/ids.js';
import { isUuid } from '../../lib/uuid.js';

/**
 * Buttons of the data lifecycle (erasure requests) and of the casework links
 * (leave cover, referrals), keyed by action id; each after the staff wrapper.
 * Who may decide is checked by the services from PostgreSQL rows.
 */
export const CASEWORK_ACTIONS = {
  /** [Erase now] on an erasure request: the case's supervisor (or an admin) approves; the erasure job runs. */
  [ERASURE_ACTIONS.eraseNow]: async ({ deps, me, a, body, action, client }) => {
    const r = await decideErasure(deps, { requestId: buttonValue(action), staffId: me.id, decision: 'erase' });
    if (!r.ok) return tell(a, r.message);
    const line =
      r.status === 'already'
        ? 'This erasure was already approved; it is being carried out.'
        : `🗑️ Erasure approved by <@${me.slackUserId}> at ${staffTime(deps.clock.now().toJSDate(), me.timeZone)}. The client's personal data is being erased; they will be told when it is done.`;
    await markActed(deps, client, messageOf(body), line, [], { subjectId: buttonValue(action), title: ERASURE_TITLE });
  },

  /** [Hold — reason required] on an erasure request: opens the reason modal. */
  [ERASURE_ACTIONS.hold]: async ({ deps, a, body, action, client }) => {
    const requestId = buttonValue(action);
    if (!isUuid(requestId)) return tell(a, 'This erasure request no longer exists.');
    await client.views.open({ trigger_id: body.trigger_id, view: holdModal(requestId, messageOf(body), deps.config.ERASURE_HOLD_REVIEW_DAYS) });
  },

  /** [Undo handover]: the cases still held by the covering worker go back at once (permission checked by the service). */
  [HANDOVER_UNDO_ACTION]: async ({ deps, me, a, action }) => {
    const id = buttonValue(action);
    if (!isUuid(id)) return tell(a, 'This button is out of date.');
    await tell(a, endedText(await endHandover(deps, id, { mode: 'undo', actor: me })));
  },
} satisfies Record<string, StaffActionHandler>;

/** Buttons registered by id prefix (`<prefix>_<choice>`), keyed by the prefix. */
export const CASEWORK_PREFIX_ACTIONS = {
  /** [Reached them] [Still waiting] [Client declined] [Not suitable] on a referral follow-up: recorded (case access checked), shown on the card. */
  [REFERRAL_OUTCOME_ACTION]: async ({ deps, me, a, body, action, client }) => {
    const [id, outcome] = buttonValue(action).split(':');
    if (!id || !isUuid(id) || !(REFERRAL_OUTCOMES as readonly string[]).includes(outcome ?? '')) return tell(a, 'This button is out of date.');
    const o = outcome as (typeof REFERRAL_OUTCOMES)[number];
    const r = await recordReferralOutcome(deps, me, id, o);
    if (!r.ok) return tell(a, r.message);
    if (r.duplicate) return;
    const line = `🔗 Referral outcome on ${r.value.caseReference}: *${OUTCOME_LABELS[o]}* (<@${me.slackUserId}>)${o === 'waiting' ? ` — I'll ask again in ${deps.config.REFERRAL_FOLLOWUP_DAYS} days.` : '.'}`;
    await markActed(deps, client, messageOf(body), line, [], { subjectId: id, title: 'Referral follow-up' });
  },
} satisfies Record<string, StaffActionHandler>;
