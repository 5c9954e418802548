import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { appointments } from '../../src/db/schema.js';
import { planAppointmentReminders } from '../../src/appointments/reminders.service.js';
import { advanceTo, bookAppointment, CLIENT_CHAT, clientTexts, ledger, settle, slackTexts, WORKER_SLACK } from './delivery-fixtures.js';
import { useDeliveryWorkers, useDeliveryWorld } from '../helpers/delivery-world.js';

/**
 * Appointment reminders through the real sender: PostgreSQL ledger, BullMQ
 * workers on Redis, telegraf's client against the Telegram emulator and the
 * Slack WebClient against the Slack emulator. Time moves by ManualClock.
 */
const w = useDeliveryWorld();
useDeliveryWorkers(w);

describe('appointment reminders', () => {
  it('sends the client and worker reminders at their local times, once each, and the outcome question after the end', async () => {
    // Wednesday 25 Nov 2026 10:00 London (GMT = UTC), booked Monday 09:00.
    const apptId = await bookAppointment(w, '2026-11-25T10:00:00Z');
    const plan = await planAppointmentReminders(w.deps, apptId);
    expect(plan.rows.map((r) => [r.kind, r.recipient.split(':')[0], r.dueAt.toISOString(), r.status]).sort()).toEqual([
      ['appointment_reminder.PT24H', 'client', '2026-11-24T10:00:00.000Z', 'pending'],
      ['appointment_reminder.PT24H', 'staff', '2026-11-24T10:00:00.000Z', 'pending'],
      ['appointment_reminder.PT2H', 'client', '2026-11-25T08:00:00.000Z', 'pending'],
      ['appointment_reminder.PT30M', 'staff', '2026-11-25T09:30:00.000Z', 'pending'],
      ['outcome_question', 'staff', '2026-11-25T12:00:00.000Z', 'pending'],
    ]);
    // Planning again changes nothing.
    const again = await planAppointmentReminders(w.deps, apptId);
    expect(again.rows.map((r) => r.id).sort()).toEqual(plan.rows.map((r) => r.id).sort());

    await advanceTo(w, '2026-11-24T09:59:59Z');
    await settle(w);
    expect(clientTexts(w)).toEqual([]);
    expect(slackTexts(w, WORKER_SLACK)).toEqual([]);

    await advanceTo(w, '2026-11-24T10:00:00Z');
    await settle(w);
    expect(clientTexts(w)).toEqual([
      'Reminder: you have an appointment with your case worker on Wednesday 25 November at 10:00 (in person).\nPlease tell us if you can come.',
    ]);
    const reminder = w.tg.lastMessage(CLIENT_CHAT)!;
    const labels = (reminder.reply_markup as { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> }).inline_keyboard.map((r) => r[0]!.text);
    expect(labels).toEqual(['Confirm', 'I need another time', "I can't come"]);
    expect(slackTexts(w, WORKER_SLACK)).toEqual([
      `Reminder: appointment for ${w.reference} — Wed 25 Nov 10:00 GMT, in person, 60 min. The client has not answered the reminder yet.`,
    ]);

    await advanceTo(w, '2026-11-25T08:00:00Z');
    await settle(w);
    await advanceTo(w, '2026-11-25T09:30:00Z');
    await settle(w);
    expect(clientTexts(w)).toHaveLength(2);
    expect(slackTexts(w, WORKER_SLACK)).toHaveLength(2);

    await advanceTo(w, '2026-11-25T11:59:00Z');
    await settle(w);
    expect(slackTexts(w, WORKER_SLACK)).toHaveLength(2);
    await advanceTo(w, '2026-11-25T12:00:00Z');
    await settle(w);
    const dms = w.slack.messages(WORKER_SLACK);
    expect(dms).toHaveLength(3);
    expect(dms[2]!.text).toBe(
      `How did the appointment for ${w.reference} go? (Wed 25 Nov 10:00 GMT, in person, 60 min) A note is due by Thu 26 Nov 12:00 GMT: the case's follow-up is set to then.`,
    );
    const actions = (dms[2]!.blocks as Array<{ type: string; elements?: Array<{ action_id: string }> }>).find((b) => b.type === 'actions')!;
    expect(actions.elements!.map((e) => e.action_id)).toEqual(['appt_outcome_attended', 'appt_outcome_no_show', 'case_log_note']);

    const rows = await ledger(w);
    expect(rows.filter((r) => r.subjectId === apptId).map((r) => [r.kind, r.status, r.attempts, r.externalRef !== null])).toEqual([
      ['appointment_reminder.PT24H', 'sent', 1, true],
      ['appointment_reminder.PT24H', 'sent', 1, true],
      ['appointment_reminder.PT2H', 'sent', 1, true],
      ['appointment_reminder.PT30M', 'sent', 1, true],
      ['outcome_question', 'sent', 1, true],
    ]);
  });

  it('a reschedule supersedes the old version: its reminders never go out, the new ones do', async () => {
    const before = clientTexts(w).length;
    await advanceTo(w, '2026-11-30T09:00:00Z'); // Monday
    const apptId = await bookAppointment(w, '2026-12-02T15:00:00Z');
    await planAppointmentReminders(w.deps, apptId);
    // Rescheduled to Thursday 11:00 before any reminder went out.
    await w.deps.db
      .update(appointments)
      .set({ startsAt: new Date('2026-12-03T11:00:00Z'), version: 2 })
      .where(eq(appointments.id, apptId));
    const re = await planAppointmentReminders(w.deps, apptId);
    expect(re.retired).toBe(5);

    await advanceTo(w, '2026-12-01T15:00:00Z'); // the old 24 h slot
    await settle(w);
    expect(clientTexts(w)).toHaveLength(before);
    await advanceTo(w, '2026-12-02T11:00:00Z'); // the new 24 h slot
    await settle(w);
    expect(clientTexts(w).slice(before)).toEqual([
      'Reminder: you have an appointment with your case worker on Thursday 3 December at 11:00 (in person).\nPlease tell us if you can come.',
    ]);
    const rows = (await ledger(w)).filter((r) => r.subjectId === apptId);
    expect(rows.filter((r) => r.version === 1).map((r) => [r.status, r.reason])).toEqual(Array(5).fill(['skipped', 'superseded']));
  });

  it('cancelling retires every pending reminder with reason "cancelled"', async () => {
    const before = clientTexts(w).length;
    const apptId = await bookAppointment(w, '2026-12-10T10:00:00Z');
    await planAppointmentReminders(w.deps, apptId);
    await w.deps.db.update(appointments).set({ status: 'cancelled', version: 2 }).where(eq(appointments.id, apptId));
    const re = await planAppointmentReminders(w.deps, apptId);
    expect(re.rows).toEqual([]);
    await advanceTo(w, '2026-12-10T11:30:00Z');
    await settle(w);
    expect(clientTexts(w)).toHaveLength(before);
    const rows = (await ledger(w)).filter((r) => r.subjectId === apptId);
    expect(rows.map((r) => [r.status, r.reason])).toEqual(Array(5).fill(['skipped', 'cancelled']));
  });
});
