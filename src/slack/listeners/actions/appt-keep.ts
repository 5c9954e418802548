import type { BlockButtonAction } from '@slack/bolt';
import type { RegisterListener } from '../index.js';
import { keepAppointment } from '../../../appointments/appointment-keep.service.js';
import { ANSWER_ACTIONS } from '../../../appointments/client-answer.js';
import { appointmentNowText } from '../../case-modals.flow.js';
import { askerOf, markActed, messageOf, when } from '../../escalation-buttons.flow.js';
import { guarded, staffOrRefuse, tell } from '../../slack.kit.js';
import { caseForActor } from '../../access.js';
import { describeForStaff, loadAppointment } from '../../../appointments/appointment.format.js';
import { isUuid } from '../../../lib/uuid.js';

/**
 * [Keep it] under a client's "can't come" / "another time": the appointment
 * stays; the notice loses its buttons and says who decided. A press on an
 * older notice is answered with what is true now (passed, moved, cancelled).
 * Only the notice we posted about this appointment is edited (never a message
 * a forged channel/ts names); otherwise the line goes to the person's DM.
 */
export const registerApptKeep: RegisterListener = (app, deps) => {
  app.action<BlockButtonAction>(ANSWER_ACTIONS.keep, async ({ ack, body, action, client, respond }) => {
    await ack();
    const a = askerOf(body, client, respond);
    await guarded(deps, a, `action:${ANSWER_ACTIONS.keep}`, async () => {
      const me = await staffOrRefuse(deps, a);
      if (!me) return;
      const [id = '', v = ''] = String(action.value ?? '').split(':');
      const found = isUuid(id) ? await loadAppointment(deps.db, id) : undefined;
      if (!found) return tell(a, 'This appointment no longer exists.');
      // Access first: what is true now about the appointment is the case's to tell.
      const access = await caseForActor(deps, me, { id: found.caseId }, ANSWER_ACTIONS.keep);
      if (!access.ok) return tell(a, access.message);
      const r = await keepAppointment(deps, me, id, Number.parseInt(v, 10) || 0);
      if (!r.ok) return tell(a, 'stale' in r ? appointmentNowText(r.stale, me.timeZone, deps.clock.now()) : r.message);
      if (r.duplicate) return;
      const appt = r.value.appointment;
      const line = `Kept by <@${me.slackUserId}>: the appointment stays on ${when(me, appt.startsAt)}. The client gets no more reminders for it; tell them with *Message client*.`;
      const at = describeForStaff(appt, me.timeZone);
      const ref = access.case.reference;
      const title =
        r.value.answer === 'needs_other_time'
          ? `The client of ${ref} *needs another time* for the appointment on ${at}.`
          : `The client of ${ref} says they *can't come* to the appointment on ${at}.`;
      const own = { subjectId: appt.id, title };
      if (!(await markActed(deps, client, messageOf(body), line, [], own)))
        await client.chat.postMessage({ channel: me.slackUserId, text: line }).catch(() => {});
    });
  });
};
