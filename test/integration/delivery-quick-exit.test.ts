import { describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Update } from 'telegraf/types';
import { deliveries, staff } from '../../src/db/schema.js';
import { planAppointmentReminders } from '../../src/appointments/reminders.service.js';
import { messageClient } from '../../src/cases/case-messages.service.js';
import { sendDelivery } from '../../src/delivery/send.service.js';
import type { TgMessage } from '../../src/sandbox/telegram-emulator.types.js';
import { bookAppointment, CLIENT_CHAT } from './delivery-fixtures.js';
import { REMINDER_24H_ENV, useDeliveryWorld, useTelegramBot } from '../helpers/delivery-world.js';

/**
 * The quick exit (/exit) must wipe every bot message in the client's chat,
 * including those the delivery worker sent (a worker's message, the
 * appointment notice, a reminder), not only the bot's own replies: whoever
 * picks up the phone next should find nothing. The sender records each
 * Telegram message it sends to a client, whatever its kind.
 */
const w = useDeliveryWorld({ env: REMINDER_24H_ENV });
const tb = useTelegramBot(w);

async function sendDue(): Promise<string[]> {
  const rows = await w.deps.db
    .select()
    .from(deliveries)
    .where(
      and(
        eq(deliveries.status, 'pending'),
        eq(deliveries.channel, 'telegram'),
        sql`coalesce(${deliveries.notBefore}, ${deliveries.dueAt}) <= ${w.deps.clock.now().toJSDate()}`,
      ),
    )
    .orderBy(deliveries.dueAt, deliveries.id);
  const kinds: string[] = [];
  for (const r of rows) if ((await sendDelivery(w.deps, r.id, { finalAttempt: true })).kind === 'sent') kinds.push(r.kind.split('.')[0]!);
  return kinds;
}

describe('quick exit after messages from the delivery worker', () => {
  it("/exit deletes the worker's message and the reminder too, and sends nothing", async () => {
    const [worker] = await w.deps.db.select().from(staff).where(eq(staff.id, w.workerId));
    const m = await messageClient(w.deps, worker!, { caseId: w.caseId, text: 'See you on Wednesday at the office.', idempotencyKey: 'quick-exit-1' });
    expect(m).toMatchObject({ ok: true });
    const apptId = await bookAppointment(w, '2026-11-25T10:00:00Z');
    await planAppointmentReminders(w.deps, apptId);
    expect(await sendDue()).toContain('message_to_client');
    w.deps.clock.set(DateTime.fromISO('2026-11-24T10:00:00Z', { zone: 'utc' }));
    expect(await sendDue()).toContain('appointment_reminder');
    const before = w.tg.history(CLIENT_CHAT).filter((x) => !x.deleted);
    const fromBot = (x: TgMessage) => x.from?.is_bot === true;
    expect(
      before
        .filter(fromBot)
        .map((x) => x.text)
        .join('\n'),
    ).toContain('See you on Wednesday');

    const got = new Promise<Update>((resolve) => w.tg.once('update', (u) => resolve(u as unknown as Update)));
    const sent = w.tg.sendText({ id: CLIENT_CHAT, first_name: 'Client' }, '/exit');
    await tb.bot.handleUpdate(await got);
    await tb.settle();
    await sent;
    expect(w.tg.history(CLIENT_CHAT).filter((x) => !x.deleted)).toEqual([]);
    expect(w.tg.history(CLIENT_CHAT).filter(fromBot)).toHaveLength(before.filter(fromBot).length); // /exit itself sent nothing
  });
});
