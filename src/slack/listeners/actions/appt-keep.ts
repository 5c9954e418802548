import type { BlockButtonAction } from '@slack/bolt';
import type { RegisterListener } from '../index.js';
import { keepAppointment } from '../../../appointments/appointment-keep.service.js';
import { ANSWER_ACTIONS } from '../../../appointments/client-answer.js';
import { appointmentNowText } from '../../case-modals.flow.js';
import { askerOf, markActed, messageOf, when } from '../../escalation-buttons.flow.js';
import { guarded, staffOrRefuse, tell } from '../../slack.kit.js';

/**
 * [Keep it] under a client's "can't come" / "another time": the appointment
 * stays; the notice loses its buttons and says who decided. A press on an
 * older notice is answered with what is true now (passed, moved, cancelled).
 */
export const registerApptKeep: RegisterListener = (app, deps) => {
  app.action<BlockButtonAction>(ANSWER_ACTIONS.keep, async ({ ack, body, action, client, respond }) => {
    await ack();
    const a = askerOf(body, client, respond);
    await guarded(deps, a, `action:${ANSWER_ACTIONS.keep}`, async () => {
      const me = await staffOrRefuse(deps, a);
      if (!me) return;
      const [id = '', v = ''] = String(action.value ?? '').split(':');
      if (!/^[0-9a-f-]{36}$/i.test(id)) return tell(a, 'This appointment no longer exists.');
      const r = await keepAppointment(deps, me, id, Number.parseInt(v, 10) || 0);
      if (!r.ok) return tell(a, 'stale' in r ? appointmentNowText(r.stale, me.timeZone, deps.clock.now()) : r.message);
      if (r.duplicate) return;
      const appt = r.value.appointment;
      await markActed(deps, client, messageOf(body), `Kept by <@${me.slackUserId}>: the appointment stays on ${when(me, appt.startsAt)}. The client gets no more reminders for it; tell them with *Message client*.`);
    });
  });
};
