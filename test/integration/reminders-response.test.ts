import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Telegraf } from 'telegraf';
import { and, eq } from 'drizzle-orm';
import { appointments, deliveries } from '../../src/db/schema.js';
import { planAppointmentReminders } from '../../src/appointments/reminders.service.js';
import { createBot } from '../../src/telegram/telegram.bot.js';
import { appointmentResponseComposer } from '../../src/telegram/composers/appointment-response.composer.js';
import type { BotContext } from '../../src/telegram/telegram.env.js';
import { startWorkers, type RunningWorkers } from '../../workers/start.js';
import { advanceTo, bookAppointment, CLIENT_CHAT, createWorld, settle, WORKER_SLACK, type World } from './delivery-fixtures.js';
import { SLACK_WAIT } from '../helpers/waits.js';
import { subjectAudit } from '../helpers/audit.js';

/**
 * The client answers a reminder on Telegram: the real telegraf bot (webhook
 * mode) receives the button press from the emulator, the answer is recorded,
 * the worker is told in Slack at once, and stale or repeated presses are safe.
 */
let w: World;
let workers: RunningWorkers;
let server: http.Server;
const passedOn: string[] = [];
const client = { id: CLIENT_CHAT, first_name: 'Client' };

beforeAll(async () => {
  w = await createWorld({ env: { REMINDER_OFFSETS_CLIENT: 'PT24H', REMINDER_OFFSETS_WORKER: 'PT24H' } });
  workers = await startWorkers(w.deps, { queues: ['delivery'] });
  const real = createBot(w.deps, { token: w.tg.token, apiRoot: w.tg.url, botInfo: w.tg.botInfo });
  // Mounted as the Telegram front end will: before the generic button handler (here a recorder of what is passed on).
  const bot = new Telegraf<BotContext>(w.tg.token, { telegram: { apiRoot: w.tg.url, webhookReply: false } });
  bot.botInfo = w.tg.botInfo;
  bot.use((ctx, next) => {
    (ctx as BotContext).state ??= {};
    // As in the bot itself: the update's replies on the send budget, their 429s waited out.
    real.env.pacer.pace(ctx.telegram);
    return next();
  });
  bot.use(appointmentResponseComposer(real.env));
  bot.on('callback_query', async (ctx) => {
    passedOn.push('callback');
    await ctx.answerCbQuery();
  });
  server = http.createServer(bot.webhookCallback('/hook'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  await bot.telegram.setWebhook(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`);
});
afterAll(async () => {
  await new Promise<void>((r) => server?.close(() => r()));
  await workers?.close(2000);
  await w?.close();
});

function buttonsOf(messageId: number): Array<{ text: string; callback_data: string }> {
  const m = w.tg.messages(CLIENT_CHAT).find((x) => x.message_id === messageId)!;
  return ((m.reply_markup as { inline_keyboard?: Array<Array<{ text: string; callback_data: string }>> } | undefined)?.inline_keyboard ?? []).flat();
}

/** An appointment booked at `startsAt` with its reminders planned; at `remindAt` they are sent: the client's reminder. */
async function remindedOf(startsAt: string, remindAt: string) {
  const apptId = await bookAppointment(w, startsAt);
  await planAppointmentReminders(w.deps, apptId);
  await advanceTo(w, remindAt);
  await settle(w);
  return { apptId, reminder: w.tg.lastMessage(CLIENT_CHAT)! };
}

describe('the client answers a reminder', () => {
  it('"I can\'t come" is recorded, the worker is told at once, a second press tells nobody twice', async () => {
    const { apptId, reminder } = await remindedOf('2026-11-25T10:00:00Z', '2026-11-24T10:00:00Z');
    const cantCome = buttonsOf(reminder.message_id).find((b) => b.text === "I can't come")!;
    const slackBefore = w.slack.messages(WORKER_SLACK).length;

    const toast = await w.tg.clickButton(client, reminder.message_id, cantCome.callback_data);
    expect(toast?.text).toBe('Thank you for telling us. Your worker will get in touch with you.');
    const confirmation = await w.tg.waitForMessage(CLIENT_CHAT, () => true, { after: reminder.message_id });
    expect(confirmation.text).toBe("You said you can't come. Thank you for telling us. Your worker will get in touch with you.");
    expect(buttonsOf(reminder.message_id)).toEqual([]); // buttons removed
    const [appt] = await w.deps.db.select().from(appointments).where(eq(appointments.id, apptId));
    expect(appt).toMatchObject({ clientResponse: 'cant_come' });

    await settle(w);
    const told = w.slack
      .messages(WORKER_SLACK)
      .slice(slackBefore)
      .map((m) => m.text);
    expect(told).toEqual([
      `The client of ${w.reference} says they *can't come* to the appointment on Wed 25 Nov 10:00 GMT, in person, 60 min. Their remaining reminders for it are off. Reschedule, cancel or keep it.`,
    ]);

    // The same press again (e.g. a double tap delivered twice): nothing new for the worker.
    await w.tg.clickButton(client, reminder.message_id, cantCome.callback_data, { force: true });
    await settle(w);
    expect(w.slack.messages(WORKER_SLACK).slice(slackBefore)).toHaveLength(1);
    const audits = await subjectAudit(w.deps.db, apptId, 'appointment.client_responded');
    expect(audits).toHaveLength(1);
    expect(passedOn).toEqual([]);
  });

  it('a press on a reminder for an appointment that was rescheduled since is answered "outdated" and changes nothing', async () => {
    const { apptId, reminder } = await remindedOf('2026-11-26T10:00:00Z', '2026-11-25T10:00:00Z');
    const confirm = buttonsOf(reminder.message_id).find((b) => b.text === 'Confirm')!;
    await w.deps.db
      .update(appointments)
      .set({ version: 2, startsAt: new Date('2026-11-27T10:00:00Z') })
      .where(eq(appointments.id, apptId));
    const toast = await w.tg.clickButton(client, reminder.message_id, confirm.callback_data);
    expect(toast?.text).toBe('This appointment was moved: it is now on Friday 27 November at 10:00.');
    const [appt] = await w.deps.db.select().from(appointments).where(eq(appointments.id, apptId));
    expect(appt!.clientResponse).toBeNull();
    const notices = await w.deps.db
      .select()
      .from(deliveries)
      .where(and(eq(deliveries.subjectId, apptId), eq(deliveries.kind, 'appointment_response.confirmed')));
    expect(notices).toEqual([]);
  });

  it('a reminder\'s button pressed "from" another message (a client app can claim any message of the chat) records the answer but edits only our reminder', async () => {
    const first = await bookAppointment(w, '2026-11-30T10:00:00Z');
    const second = await bookAppointment(w, '2026-11-30T15:00:00Z');
    await planAppointmentReminders(w.deps, first);
    await planAppointmentReminders(w.deps, second);
    await advanceTo(w, '2026-11-29T15:00:00Z');
    await settle(w);
    const reminders = w.tg
      .messages(CLIENT_CHAT)
      .filter((m) => m.text?.startsWith('Reminder:') && buttonsOf(m.message_id).length > 0)
      .slice(-2);
    expect(reminders).toHaveLength(2);
    const [ofFirst, ofSecond] = reminders[0]!.text!.includes('10:00') ? reminders : [reminders[1]!, reminders[0]!];
    const confirmFirst = buttonsOf(ofFirst!.message_id).find((b) => b.text === 'Confirm')!;
    const secondButtons = buttonsOf(ofSecond!.message_id);
    // The first reminder's [Confirm], sent as if pressed on the second reminder.
    const toast = await w.tg.clickButton(client, ofSecond!.message_id, confirmFirst.callback_data, { force: true });
    expect(toast?.text).toBeTruthy();
    await w.tg.waitForMessage(CLIENT_CHAT, (m) => m.text?.startsWith('You confirmed') ?? false, { after: ofSecond!.message_id });
    expect((await w.deps.db.select().from(appointments).where(eq(appointments.id, first)))[0]!.clientResponse).toBe('confirmed');
    expect((await w.deps.db.select().from(appointments).where(eq(appointments.id, second)))[0]!.clientResponse).toBeNull();
    expect(buttonsOf(ofSecond!.message_id)).toEqual(secondButtons);
    // Pressed on its own reminder, the buttons go.
    await w.tg.clickButton(client, ofFirst!.message_id, confirmFirst.callback_data);
    await expect.poll(() => buttonsOf(ofFirst!.message_id).length === 0, SLACK_WAIT).toBe(true);
  });

  it('any other button is passed on to the next handler untouched', async () => {
    const { issueCallbackToken } = await import('../../src/telegram/callback-tokens.js');
    const data = await issueCallbackToken(
      w.deps.db,
      { chatId: CLIENT_CHAT, action: { type: 'lang', lang: 'zh' }, expiresAt: w.deps.clock.now().plus({ days: 1 }) },
      w.deps.clock.now(),
    );
    const last = w.tg.lastMessage(CLIENT_CHAT)!;
    await w.tg.clickButton(client, last.message_id, data, { force: true });
    expect(passedOn).toEqual(['callback']);
  });
});
