import { describe, expect, it, vi } from 'vitest';
import { E2E_WAIT } from '../helpers/waits.js';
import { and, eq, like } from 'drizzle-orm';
import { appointments, auditLog, cases, deliveries } from '../../src/db/schema.js';
import type { SimUser } from '../../src/sandbox/telegram-emulator.js';
import { allText, useE2E, STAFF } from './e2e-harness.js';
import { assign, book, englishIntake } from './e2e-flows.js';
import { blockActionBy } from '../helpers/slack-actions.js';

/**
 * Issue 12, part 2: the client's answers to a reminder act. Whole service
 * (real bot, Bolt app, workers, PostgreSQL, Redis); clock from Monday
 * 23 Nov 2026 09:00 UTC (London = UTC). Each client books Wednesday 25 Nov
 * 10:00; the 24 h reminders go out on Tuesday 10:00.
 */
const e = useE2E();

const confirmer = { id: 9_300_001, first_name: 'Ann', language_code: 'en' };
const cannot = { id: 9_300_002, first_name: 'Bo', language_code: 'en' };
const other = { id: 9_300_003, first_name: 'Cy', language_code: 'en' };
const late = { id: 9_300_004, first_name: 'Di', language_code: 'en' };
const refs: Record<number, string> = {};
/** The 24 h reminder's buttons as first sent (a client's phone may still show them after they were removed). */
const firstButtons: Record<number, { messageId: number; data: Record<string, string> }> = {};

const caseOf = async (ref: string) => (await e.deps.db.select().from(cases).where(eq(cases.reference, ref)))[0]!;
const apptOf = async (ref: string) =>
  (
    await e.deps.db
      .select()
      .from(appointments)
      .where(eq(appointments.caseId, (await caseOf(ref)).id))
  )[0]!;
const reminderTo = (u: SimUser) => [...e.tg.messages(u.id)].reverse().find((m) => m.text?.startsWith('Reminder:'))!;
async function pressOn(u: SimUser, messageId: number, label: string) {
  const m = e.tg.messages(u.id).find((x) => x.message_id === messageId)!;
  const data = m.reply_markup?.inline_keyboard.flat().find((x) => x.text === label)?.callback_data ?? firstButtons[u.id]!.data[label]!;
  const before = e.tg.messages(u.id).length;
  const toast = await e.tg.clickButton(u, messageId, data, { force: true });
  await expect.poll(() => e.tg.messages(u.id).length > before, { ...E2E_WAIT, message: 'the bot to answer' }).toBeTruthy();
  return { toast: toast?.text, reply: e.tg.messages(u.id).at(-1)!.text };
}
/** The client's reminder rows for an appointment: which went, which were skipped and why. */
async function clientReminderRows(ref: string) {
  const a = await apptOf(ref);
  const rows = await e.deps.db
    .select()
    .from(deliveries)
    .where(and(eq(deliveries.subjectId, a.id), like(deliveries.kind, 'appointment_reminder%')));
  return rows.map((r) => `${r.kind} ${r.recipient.split(':')[0]} ${r.status}${r.reason ? ` ${r.reason}` : ''}`).sort();
}
const wenSays = (test: (all: string) => boolean, what: string) => e.slackSays(STAFF.wen, (_m, all) => test(all), what);

describe('answers to a reminder', () => {
  it('sets up four clients with an appointment each; the 24 h reminders ask and offer three buttons', async () => {
    for (const u of [confirmer, cannot, other, late]) {
      refs[u.id] = await englishIntake(e, u);
      await assign(e, refs[u.id]!);
      await book(e, refs[u.id]!, '2026-11-25', '10:00');
    }
    await e.advance({ hours: 25 }); // Tue 10:00
    for (const u of [confirmer, cannot, other, late]) {
      const r = reminderTo(u);
      expect(r.text).toBe(
        'Reminder: you have an appointment with your case worker on Wednesday 25 November at 10:00 (in person, at 12 High Street, room 2).\nPlease tell us if you can come.',
      );
      expect(r.reply_markup!.inline_keyboard.flat().map((b) => b.text)).toEqual(['Confirm', 'I need another time', "I can't come"]);
      firstButtons[u.id] = { messageId: r.message_id, data: Object.fromEntries(r.reply_markup!.inline_keyboard.flat().map((b) => [b.text, b.callback_data!])) };
    }
  }, 120_000);

  it('Confirm: the client is thanked, the worker hears it', async () => {
    const ref = refs[confirmer.id]!;
    const r = await pressOn(confirmer, reminderTo(confirmer).message_id, 'Confirm');
    expect(r.reply).toBe('You confirmed this appointment. Thank you. See you then.');
    await wenSays(
      (all) => all.includes(`The client of ${ref} answered the reminder for Wed 25 Nov 10:00 GMT, in person, 60 min: *confirmed*.`),
      'the confirmation',
    );
  });

  it("I can't come: the appointment is marked, the client's 2 h reminder is skipped with that reason, the worker gets [Reschedule] [Cancel appointment] [Keep it]", async () => {
    const ref = refs[cannot.id]!;
    const r = await pressOn(cannot, reminderTo(cannot).message_id, "I can't come");
    expect(r.toast).toBe('Thank you for telling us. Your worker will get in touch with you.');
    expect(r.reply).toBe("You said you can't come. Thank you for telling us. Your worker will get in touch with you.");
    expect(await apptOf(ref)).toMatchObject({ clientResponse: 'cant_come', status: 'scheduled' });
    const notice = await wenSays((all) => all.includes(`The client of ${ref} says they *can't come*`), 'the notice');
    expect(notice.text).toBe(
      `The client of ${ref} says they *can't come* to the appointment on Wed 25 Nov 10:00 GMT, in person, 60 min. Their remaining reminders for it are off. Reschedule, cancel or keep it.`,
    );
    expect(allText(notice)).toContain('If nothing is decided, the case is due for follow-up Wed 25 Nov 09:00 GMT and you will be nudged then.');
    expect(
      (notice.blocks as Array<{ type: string; elements?: Array<{ text: { text: string } }> }>)
        .find((b) => b.type === 'actions')!
        .elements!.map((x) => x.text.text),
    ).toEqual(['Reschedule', 'Cancel appointment', 'Keep it']);
    expect(await clientReminderRows(ref)).toEqual([
      'appointment_reminder.PT24H client sent',
      'appointment_reminder.PT24H staff sent',
      'appointment_reminder.PT2H client skipped client_cannot_come',
      'appointment_reminder.PT30M staff pending',
    ]);
    // Why the client hears nothing more is in the case's delivery log.
    await e.driver.slashCommand({ userId: STAFF.wen, command: '/case', text: `${ref} log` });
    const log = await vi.waitUntil(
      () =>
        e.slack.responseUrlPosts
          .filter((p) => p.context.user === STAFF.wen)
          .map((p) => JSON.stringify(p.body))
          .find((b) => b.includes(`Messages for ${ref}`)),
      E2E_WAIT,
    );
    expect(log).toContain('`appointment_reminder.PT2H` → client (telegram) · due Wed 25 Nov 08:00 GMT · *skipped* — client_cannot_come');
  });

  it('I need another time: the client is asked which times suit; their answer reaches the worker in the case thread with the buttons; the client is told the worker will confirm', async () => {
    const ref = refs[other.id]!;
    const r = await pressOn(other, reminderTo(other).message_id, 'I need another time');
    expect(r.reply).toBe(
      'You asked for another time. Thank you for telling us. Which days and times would suit you? Please write them here in one message, for example "weekday mornings" or "Thursday after 3 pm".',
    );
    await wenSays((all) => all.includes(`The client of ${ref} *needs another time*`), 'the notice');
    await e.say(other, 'Thursday after 3 pm or Friday morning');
    await e.botSays(
      other,
      (t) => t === 'Thank you. I have passed this on to your worker, who will confirm a new time with you.',
      'the client told the worker will confirm',
    );
    const c = await caseOf(ref);
    const answer = await wenSays(
      (all) => all.includes('Days and times that suit them') && all.includes('Thursday after 3 pm or Friday morning'),
      'the answer in the thread',
    );
    expect(answer.thread_ts).toBe(c.slackThreadTs);
    expect(answer.text).toBe(
      `The client of ${ref} needs another time for Wed 25 Nov 10:00 GMT, in person, 60 min. Days and times that suit them: Thursday after 3 pm or Friday morning`,
    );
    expect(allText(answer)).toContain('"action_id":"appt_reschedule"');
    expect(allText(answer)).toContain('"action_id":"appt_keep"');
    expect(await clientReminderRows(ref)).toContain('appointment_reminder.PT2H client skipped client_needs_other_time');
    // A later message is just a message again.
    await e.say(other, 'Thanks!');
    await e.botSays(other, (t) => t.includes('Thanks!') === false && /worker/.test(t) && !t.includes('confirm a new time'), 'the ordinary acknowledgement');

    // The worker reschedules from the thread; the client hears the new time; the follow-up the answer set is gone.
    await e.driver.blockAction(STAFF.wen, { channel: answer.channel, ts: answer.ts }, 'appt_reschedule');
    const view = await vi.waitUntil(() => e.slack.openViews(STAFF.wen).find((v) => JSON.stringify(v).includes('appointment_modal')), E2E_WAIT);
    const res = await e.driver.viewSubmission(STAFF.wen, view.id, {
      date: { v: '2026-11-26' },
      time: { v: '15:30' },
      duration: { v: '60' },
      mode: { v: 'in_person' },
      location: { v: '12 High Street, room 2' },
    });
    expect(res).toMatchObject({ status: 200, body: '' });
    await e.botSays(other, (t) => t.includes('It is now on Thursday 26 November at 15:30'), 'the new time');
    expect(await caseOf(ref)).toMatchObject({ nextFollowUpAt: null });
  });

  it('a button on a reminder for an appointment moved since is answered with the new time', async () => {
    const ref = refs[late.id]!;
    const old = reminderTo(late);
    const card = e.slack.messages(STAFF.wen).find((m) => allText(m).includes(ref) && allText(m).includes('appt_reschedule'))!;
    await e.driver.blockAction(STAFF.wen, { channel: card.channel, ts: card.ts }, 'appt_reschedule');
    const view = await vi.waitUntil(() => e.slack.openViews(STAFF.wen).find((v) => JSON.stringify(v).includes('appointment_modal')), E2E_WAIT);
    await e.driver.viewSubmission(STAFF.wen, view.id, { date: { v: '2026-11-27' }, time: { v: '11:00' }, duration: { v: '60' }, mode: { v: 'phone' } });
    await e.botSays(late, (t) => t.includes('Friday 27 November at 11:00'), 'the new time');
    const r = await pressOn(late, old.message_id, 'Confirm');
    expect(r.reply).toBe('This appointment was moved: it is now on Friday 27 November at 11:00.');
    expect((await apptOf(ref)).clientResponse).toBeNull();
  });

  it("the next morning: a confirmed client's 2 h reminder just reminds; nothing goes to the client who can't come; at 09:00 the nudge ladder takes over; [Keep it] ends it", async () => {
    await e.advance({ hours: 22 }); // Wed 08:00, 2 h before
    const second = reminderTo(confirmer);
    expect(second.text).toBe(
      'Reminder: you have an appointment with your case worker on Wednesday 25 November at 10:00 (in person, at 12 High Street, room 2). See you then.',
    );
    expect(second.reply_markup?.inline_keyboard ?? []).toEqual([]);
    expect(e.tg.messages(cannot.id).filter((m) => m.text?.startsWith('Reminder:'))).toHaveLength(1);
    expect(await clientReminderRows(refs[confirmer.id]!)).toEqual([
      'appointment_reminder.PT24H client sent',
      'appointment_reminder.PT24H staff sent',
      'appointment_reminder.PT2H client sent',
      'appointment_reminder.PT30M staff pending',
    ]);

    const ref = refs[cannot.id]!;
    await e.advance({ hours: 1, minutes: 5 }); // Wed 09:05: the worker did nothing since Tuesday
    const nudge = await wenSays((all) => all.includes(ref) && all.includes('"action_id":"esc_snooze_day"'), 'the follow-up nudge');
    expect(nudge.text).toContain(ref);

    const notice = e.slack.messages(STAFF.wen).find((m) => m.text.startsWith(`The client of ${ref} says they *can't come*`))!;
    await e.driver.blockAction(STAFF.wen, { channel: notice.channel, ts: notice.ts }, 'appt_keep');
    await expect
      .poll(() => allText(e.slack.messages(STAFF.wen).find((m) => m.ts === notice.ts)!).includes('Kept by <@'), {
        ...E2E_WAIT,
        message: 'the notice marked kept',
      })
      .toBeTruthy();
    expect(allText(e.slack.messages(STAFF.wen).find((m) => m.ts === notice.ts)!)).not.toContain('appt_keep');
    expect(await caseOf(ref)).toMatchObject({ nextFollowUpAt: null });
    const kept = await e.deps.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'appointment.kept'), eq(auditLog.caseId, (await caseOf(ref)).id)));
    expect(kept.map((a) => a.details)).toEqual([{ version: 1, answer: 'cant_come', followUpCleared: true }]);
  });

  it('a button on a reminder for an appointment that has passed says so', async () => {
    await e.advance({ hours: 3 }); // Wed 12:05
    const r = await pressOn(confirmer, firstButtons[confirmer.id]!.messageId, "I can't come");
    expect(r.reply).toBe('This appointment has already passed, so this button no longer does anything.');
    expect((await apptOf(refs[confirmer.id]!)).clientResponse).toBe('confirmed');
    // The worker's [Keep it] on a notice about an appointment that has passed gets what is true now as well.
    const ref = refs[cannot.id]!;
    const notice = e.slack.messages(STAFF.wen).find((m) => m.text.startsWith(`The client of ${ref} says they *can't come*`))!;
    const before = e.slack.responseUrlPosts.length;
    await e.driver.interaction({
      ...blockActionBy(e, STAFF.wen),
      channel: { id: notice.channel },
      container: { type: 'message', channel_id: notice.channel, message_ts: notice.ts },
      response_url: e.slack.issueResponseUrl({ channel: notice.channel, user: STAFF.wen, message_ts: notice.ts, kind: 'block_actions' }),
      actions: [{ type: 'button', action_id: 'appt_keep', block_id: 'x', value: `${(await apptOf(ref)).id}:1`, action_ts: '1' }],
    });
    const said = await vi.waitUntil(() => e.slack.responseUrlPosts.length > before && e.slack.responseUrlPosts.at(-1)!.body.text, E2E_WAIT);
    expect(said).toBe('This appointment has passed (it was on Wed 25 Nov 10:00 GMT).');
  });
});
