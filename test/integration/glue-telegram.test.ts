import { describe, expect, it } from 'vitest';
import { Worker } from 'bullmq';
import { and, eq, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Update } from 'telegraf/types';
import { appointments, clients, deliveries } from '../../src/db/schema.js';
import { planAppointmentReminders } from '../../src/appointments/reminders.service.js';
import { sendDelivery } from '../../src/delivery/send.service.js';
import type { TgUpdate } from '../../src/sandbox/telegram-emulator.js';
import { createDispatcher } from '../../workers/start.js';
import { bookAppointment, CLIENT_CHAT, ONCALL_SLACK, WORKER_SLACK } from './delivery-fixtures.js';
import { REMINDER_24H_ENV, useDeliveryWorld, useTelegramBot } from '../helpers/delivery-world.js';
import { subjectAudit } from '../helpers/audit.js';

/**
 * The Telegram glue of reminders & escalations, through the bot the front end
 * builds (createBot: guard → crisis → throttle → commands → reminder answers →
 * other buttons → intake), the Telegram and Slack emulators and real
 * PostgreSQL/Redis: a reminder answered with [Confirm]; a client who had
 * blocked the bot writing again; a crisis paging on-call at once.
 */
const w = useDeliveryWorld({ env: REMINDER_24H_ENV });
const tb = useTelegramBot(w);
const client = { id: CLIENT_CHAT, first_name: 'Client' };

const handle = async (u: TgUpdate) => {
  await tb.bot.handleUpdate(u as unknown as Update);
  await tb.settle();
};

/** What the delivery worker does with due rows: the real sender, to the emulators. */
async function sendDue(): Promise<void> {
  const rows = await w.deps.db
    .select()
    .from(deliveries)
    .where(and(eq(deliveries.status, 'pending'), sql`coalesce(${deliveries.notBefore}, ${deliveries.dueAt}) <= ${w.deps.clock.now().toJSDate()}`));
  for (const r of rows) await sendDelivery(w.deps, r.id, { finalAttempt: true });
}

describe('a client answers a reminder through the full bot', () => {
  it('[Confirm] is recorded (not refused as an unknown button) and the worker is told in Slack', async () => {
    const apptId = await bookAppointment(w, '2026-11-25T10:00:00Z');
    await planAppointmentReminders(w.deps, apptId);
    w.deps.clock.set(DateTime.fromISO('2026-11-24T10:00:00Z', { zone: 'utc' }));
    await sendDue();
    const reminder = [...w.tg.messages(CLIENT_CHAT)].reverse().find((m) => m.reply_markup?.inline_keyboard.flat().some((b) => b.text === 'Confirm'))!;
    expect(reminder).toBeDefined();
    const data = reminder.reply_markup!.inline_keyboard.flat().find((b) => b.text === 'Confirm')!.callback_data!;
    const slackBefore = w.slack.messages(WORKER_SLACK).length;

    const got = new Promise<TgUpdate>((resolve) => w.tg.once('update', resolve));
    const clicked = w.tg.clickButton(client, reminder.message_id, data, { force: true });
    await handle(await got);
    const toast = await clicked;
    expect(toast?.text ?? '').not.toMatch(/no longer|not available|expired/i);

    const [appt] = await w.deps.db.select().from(appointments).where(eq(appointments.id, apptId));
    expect(appt).toMatchObject({ clientResponse: 'confirmed' });
    const audits = await subjectAudit(w.deps.db, apptId, 'appointment.client_responded');
    expect(audits).toHaveLength(1);
    await sendDue();
    const told = w.slack
      .messages(WORKER_SLACK)
      .slice(slackBefore)
      .map((m) => m.text);
    expect(told).toHaveLength(1);
    expect(told[0]).toContain(w.reference);
    expect(told[0]).toMatch(/confirm/i);
  });
});

describe('a client who had blocked the bot writes again', () => {
  it('clears bot_blocked_at (audited), so messages reach them again', async () => {
    await w.deps.db.update(clients).set({ botBlockedAt: w.deps.clock.now().toJSDate() }).where(eq(clients.id, w.clientId));
    await handle(await w.tg.sendText(client, 'Hello, I am back'));
    const [row] = await w.deps.db.select().from(clients).where(eq(clients.id, w.clientId));
    expect(row!.botBlockedAt).toBeNull();
    const audits = await subjectAudit(w.deps.db, w.clientId, 'client.bot_unblocked');
    expect(audits).toHaveLength(1);
    // A second message changes nothing more.
    await handle(await w.tg.sendText(client, 'Are you there?'));
    expect(await subjectAudit(w.deps.db, w.clientId, 'client.bot_unblocked')).toHaveLength(1);
  });
});

describe('a crisis pages on-call at once', () => {
  it('pages the on-call person from the process that heard the crisis: no sweep queued, no worker needed, sent once', async () => {
    const maintenance = w.deps.queues.queue('maintenance');
    const slackBefore = w.slack.dmWith(ONCALL_SLACK).length;
    await handle(await w.tg.sendText(client, 'I want to kill myself'));
    // The emergency reply went out…
    expect(w.tg.messages(CLIENT_CHAT).length).toBeGreaterThan(0);
    // …and the on-call page is in the ledger and already sent, with no maintenance job and no delivery worker.
    const pages = await w.deps.db.select().from(deliveries).where(eq(deliveries.kind, 'crisis_page'));
    expect(pages.map((p) => [p.recipient, p.status])).toEqual([[`staff:${w.oncallId}`, 'sent']]);
    const jobs = await maintenance.getJobs(['waiting', 'delayed', 'prioritized']);
    expect(jobs.filter((j) => j.name === 'escalations.tick')).toHaveLength(0);
    expect(
      w.slack
        .dmWith(ONCALL_SLACK)
        .slice(slackBefore)
        .filter((m) => m.text.includes(':rotating_light:')),
    ).toHaveLength(1);

    // A sweep run afterwards by the real processor takes no second step for it: still one page.
    const worker = new Worker('maintenance', createDispatcher(w.deps), { connection: w.deps.redis, prefix: w.deps.queues.prefix });
    try {
      await maintenance.add('escalations.tick', {});
      await expect.poll(async () => (await maintenance.getJobCounts('waiting', 'active')).waiting ?? 0, { timeout: 10_000, interval: 50 }).toBe(0);
      await expect.poll(async () => (await maintenance.getJobCounts('active')).active ?? 0, { timeout: 10_000, interval: 50 }).toBe(0);
    } finally {
      await worker.close();
    }
    expect(await w.deps.db.select().from(deliveries).where(eq(deliveries.kind, 'crisis_page'))).toHaveLength(1);
  });
});
