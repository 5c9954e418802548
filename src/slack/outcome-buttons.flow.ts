import type { App, BlockButtonAction } from '@slack/bolt';
import type { Deps } from '../deps.js';
import { loadAppointment } from '../appointments/appointment.format.js';
import { recordAppointmentOutcome } from '../appointments/appointment-outcome.service.js';
import { OUTCOME_ACTIONS } from '../appointments/outcome-question.kind.js';
import { caseForActor } from './access.js';
import { actions, button } from './blocks/common.js';
import { askerOf, markActed, messageOf, when } from './escalation-buttons.flow.js';
import { guarded, staffOrRefuse, tell } from './slack.kit.js';
import { UUID_PATTERN } from '../lib/uuid.js';

/**
 * [Attended] / [No-show] on the outcome question (value `<appointmentId>:<version>`).
 * Access is the case's (the worker on their own case, their supervisor, admins);
 * the service is idempotent per version, so a double click records once.
 * The message keeps only [Log note] and says who recorded what.
 */
const VALUE = new RegExp(`^(${UUID_PATTERN}):(\\d{1,6})$`, 'i');
const LABEL = { attended: 'Attended', no_show: 'No-show' } as const;

export function registerOutcomeButton(app: App, deps: Deps, outcome: 'attended' | 'no_show'): void {
  const actionId = outcome === 'attended' ? OUTCOME_ACTIONS.attended : OUTCOME_ACTIONS.noShow;
  app.action<BlockButtonAction>(actionId, async ({ ack, body, action, client, respond }) => {
    await ack();
    const a = askerOf(body, client, respond);
    await guarded(deps, a, `action:${actionId}`, async () => {
      const me = await staffOrRefuse(deps, a);
      if (!me) return;
      const m = VALUE.exec(String(action.value ?? ''));
      const appt = m ? await loadAppointment(deps.db, m[1]!) : undefined;
      if (!m || !appt) return tell(a, 'This appointment no longer exists.');
      const access = await caseForActor(deps, me, { id: appt.caseId }, actionId);
      if (!access.ok) return tell(a, access.message);
      const r = await recordAppointmentOutcome(deps, { appointmentId: appt.id, version: Number(m[2]), outcome, staffId: me.id });
      if (!r.ok) return tell(a, r.message);
      const own = { subjectId: appt.id, title: `Appointment on ${when(me, appt.startsAt)}` };
      const logNote = [
        actions('appointment_outcome_done', [button({ text: 'Log note', actionId: OUTCOME_ACTIONS.logNote, value: appt.caseId, style: 'primary' })]),
      ];
      if (r.status === 'unchanged') {
        await markActed(deps, client, messageOf(body), `Recorded: *${LABEL[outcome]}*.`, logNote, own);
        return tell(a, `This was already recorded as ${LABEL[outcome].toLowerCase()}; nothing changed.`);
      }
      let line = `Recorded by <@${me.slackUserId}>: *${LABEL[outcome]}*.`;
      if (r.followUpAt) line += ` Follow-up set for ${when(me, r.followUpAt.toJSDate())}.`;
      if (r.supervisorInformed) line += ' Second missed appointment in a row: the supervisor is informed.';
      await markActed(deps, client, messageOf(body), line, logNote, own);
    });
  });
}
