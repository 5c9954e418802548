import { eq, sql } from 'drizzle-orm';
import { appointments, cases, clients } from '../db/schema.js';
import type { Deps } from '../deps.js';
import type { Outbound } from '../delivery/kinds/kind.js';
import type { DeliveryRow } from '../delivery/ledger.js';
import { clientUnreachable, loadStaff, recipientId, staffUnreachable, type ClientRow } from '../delivery/recipients.js';
import { createI18n, isLang } from '../i18n/i18n.js';
import { clientDetail, clientTime, staleReason, type AppointmentRow } from './appointment.format.js';
import { ANSWER_SKIP_REASON, isActingAnswer } from './client-answer.js';

const i18n = createI18n();
export const APPOINTMENT_RESPOND = 'appointment.respond';
type AppointmentAnswer = 'confirmed' | 'needs_other_time' | 'cant_come';

/**
 * Reminder before an appointment: the client on Telegram (own language and
 * zone, [Confirm] [I need another time] [I can't come]; neutral wording in
 * discreet mode), the worker in a Slack DM (src/slack/kinds/appointment-reminder.kind.ts).
 * Decided at send time: a reminder for an older version or a cancelled
 * appointment is skipped, never sent.
 */
export type Reminder =
  | { for: 'client'; appt: AppointmentRow; client: ClientRow }
  | {
      for: 'worker';
      appt: AppointmentRow;
      reference: string;
      /** The worker's Slack user id and zone. */
      to: string;
      zone: string;
    };

export async function loadReminder(deps: Deps, row: DeliveryRow): Promise<Reminder | { skip: string }> {
  // One statement for the appointment, its case and (for the client's copy) the client: a
  // monthly reminder run renders thousands of these back to back.
  const clientId = recipientId(row.recipient, 'client');
  const [found] = await deps.db
    .select({ appt: appointments, c: { status: cases.status, reference: cases.reference }, client: clients })
    .from(appointments)
    .innerJoin(cases, eq(cases.id, appointments.caseId))
    .leftJoin(clients, clientId ? eq(clients.id, clientId) : sql`false`)
    .where(eq(appointments.id, row.subjectId))
    .limit(1);
  const appt = found?.appt;
  const stale = staleReason(appt, row);
  if (stale) return { skip: stale };
  if (appt!.status !== 'scheduled') return { skip: `appointment_${appt!.status}` };
  if (appt!.startsAt.getTime() <= deps.clock.now().toMillis()) return { skip: 'appointment_started' };
  const c = found!.c;
  if (c.status !== 'open') return { skip: 'case_not_open' };

  if (clientId) {
    const client = found!.client ?? undefined;
    const unreachable = clientUnreachable(client);
    if (unreachable) return { skip: unreachable };
    if (client!.remindersOff) return { skip: 'reminders_off' };
    // The client said this time does not work: no reminder asks them again (the worker decides what happens).
    if (isActingAnswer(appt!.clientResponse)) return { skip: ANSWER_SKIP_REASON[appt!.clientResponse] };
    return { for: 'client', appt: appt!, client: client! };
  }

  const workerId = recipientId(row.recipient, 'staff');
  const worker = workerId ? await loadStaff(deps.db, workerId) : undefined;
  const unreachable = staffUnreachable(worker);
  if (unreachable) return { skip: unreachable };
  return { for: 'worker', appt: appt!, reference: c.reference, to: worker!.slackUserId, zone: worker!.timeZone };
}

/** The client's reminder on Telegram, in their language and zone; with the answer buttons unless they confirmed already. */
export function clientReminder(deps: Deps, { appt, client }: { appt: AppointmentRow; client: ClientRow }): Outbound {
  const lang = isLang(client.language) ? client.language : 'en';
  const t = i18n.fixed(lang);
  const when = clientTime(appt.startsAt, client.timeZone, lang, t('appt.date_format'));
  const confirmed = appt.clientResponse === 'confirmed';
  const text = deps.config.DISCREET_MODE
    ? t('appt.reminder_discreet', { when })
    : t(confirmed ? 'appt.reminder_confirmed' : 'appt.reminder', { when, detail: clientDetail(t as never, appt, deps) });
  // Confirmed already: this reminder just reminds.
  if (confirmed) return { channel: 'telegram', chatId: client.telegramChatId!, text };
  const action = (answer: AppointmentAnswer) => ({ type: APPOINTMENT_RESPOND, appointmentId: appt.id, version: appt.version, answer });
  return {
    channel: 'telegram',
    chatId: client.telegramChatId!,
    text,
    buttons: [
      [{ label: t('appt.confirm'), action: action('confirmed') }],
      [{ label: t('appt.other_time'), action: action('needs_other_time') }],
      [{ label: t('appt.cant_come'), action: action('cant_come') }],
    ],
  };
}
