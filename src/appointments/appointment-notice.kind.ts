import { deliveryKind } from '../delivery/kinds/kind.js';
import { loadStaff, openCaseClient } from '../delivery/recipients.js';
import { createI18n } from '../i18n/i18n.js';
import { firstName } from '../cases/message-to-client.kind.js';
import { clientDetail, clientTime, loadAppointment } from './appointment.format.js';

const i18n = createI18n();

/**
 * Tells the client on Telegram that an appointment was booked, moved or
 * cancelled, in their language and time zone: "Your appointment with Ana is
 * on Wednesday 25 November at 10:00 (in person)." One row per appointment
 * version: a notice for a version that has since changed again is skipped
 * ('superseded') so the client only hears the latest.
 */
export const appointmentNoticeKind = deliveryKind({
  kind: 'appointment_notice',
  async render(deps, row) {
    const appt = await loadAppointment(deps.db, row.subjectId);
    if (!appt) return { skip: 'appointment_not_found' };
    if (appt.version !== row.version) return { skip: 'superseded' };
    if (appt.status !== 'scheduled' && appt.status !== 'cancelled') return { skip: `appointment_${appt.status}` };
    if (appt.startsAt.getTime() <= deps.clock.now().toMillis()) return { skip: 'appointment_started' };
    // A cancellation is still news when the case has closed (closing cancels what is ahead).
    const target = await openCaseClient(deps.db, appt.caseId, row.recipient, { closedToo: appt.status === 'cancelled' });
    if ('skip' in target) return target;
    const { client, lang } = target;
    const t = i18n.fixed(lang);
    const when = clientTime(appt.startsAt, client.timeZone, lang, t('appt.date_format'));
    const worker = await loadStaff(deps.db, appt.workerId);
    const name = firstName(worker?.displayName) || t('appt_notice.your_worker');
    const which =
      appt.status === 'cancelled' ? (target.case.status === 'closed' ? 'cancelled_closed' : 'cancelled') : appt.version > 1 ? 'rescheduled' : 'scheduled';
    const text = deps.config.DISCREET_MODE
      ? t(`appt_notice.${which}_discreet`, { when })
      : t(`appt_notice.${which}`, { name, when, detail: clientDetail(t as never, appt, deps) });
    return { channel: 'telegram', chatId: target.chatId, text };
  },
});
