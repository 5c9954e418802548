import { describe, expect, it, vi } from 'vitest';
import { E2E_WAIT } from '../helpers/waits.js';
import { and, eq, like } from 'drizzle-orm';
import { cases, clients, deliveries, escalations } from '../../src/db/schema.js';
import { useE2E, STAFF } from './e2e-harness.js';
import { assign, book, englishIntake } from './e2e-flows.js';

/** Crisis mid-intake, and a client who blocks the bot, through the whole service. Clock: Mon 23 Nov 2026 09:00 UTC. */
const e = useE2E();

describe('a crisis phrase mid-intake', () => {
  it('gets the emergency contacts at once, and the on-call supervisor is paged within one escalation tick', async () => {
    const ana = { id: 9_200_001, first_name: 'Ana', language_code: 'en' };
    await e.say(ana, '/start');
    await e.press(ana, 'English');
    await e.press(ana, 'I agree');
    await e.press(ana, "Yes, I'm safe");
    const before = Math.max(...e.tg.messages(ana.id).map((m) => m.message_id));
    await e.say(ana, 'I want to end my life');
    // At once: the reply to this very message carries the emergency numbers (no clock moved, no tick run).
    const reply = await e.botSays(ana, (t) => t.includes('999') && t.includes('116 123'), 'the emergency reply', 3000);
    expect(reply.message_id).toBeGreaterThan(before);
    // One escalation tick (ESCALATION_TICK_SECONDS = 15) later, Sam (on call) has the page.
    await e.advance({ seconds: 15 } as never);
    const page = await e.slackSays(STAFF.sam, (_m, all) => /crisis/i.test(all), 'the crisis page');
    // The page says where to look, not what the client wrote.
    expect(JSON.stringify(page)).not.toContain('end my life');

    // Until someone acknowledges, Sam is paged again (ONCALL_REPEAT_MINUTES, default 15); after, never again.
    // Pages posted to Sam (an acknowledged page is later edited, so count posts, not what the DM shows now).
    const samDm = [STAFF.sam, e.slack.dmChannel(STAFF.sam)];
    const pages = () =>
      e.slack.calls.filter(
        (c) => c.method === 'chat.postMessage' && c.ok && samDm.includes(String(c.params.channel)) && JSON.stringify(c.params).includes('esc_ack'),
      ).length;
    const first = pages();
    await e.advance({ minutes: 16 });
    await expect.poll(() => pages() > first, { ...E2E_WAIT, message: 'the repeated page' }).toBeTruthy();
    const latest = e.slack
      .messages(STAFF.sam)
      .filter((m) => JSON.stringify(m.blocks ?? []).includes('esc_ack'))
      .at(-1)!;
    await e.driver.blockAction(STAFF.sam, { channel: latest.channel, ts: latest.ts }, 'esc_ack');
    await expect
      .poll(async () => (await e.deps.db.select().from(escalations).where(eq(escalations.reason, 'crisis')))[0]?.acknowledgedAt, {
        ...E2E_WAIT,
        message: 'the acknowledgement',
      })
      .toBeTruthy();
    const afterAck = pages();
    await e.advance({ minutes: 16 });
    await e.advance({ minutes: 16 });
    expect(pages()).toBe(afterAck);
  });
});

describe('the client blocks the bot', () => {
  it('fails the reminder with that reason, tells the worker, and does not retry', async () => {
    const bo = { id: 9_200_002, first_name: 'Bo', language_code: 'en' };
    const reference = await englishIntake(e, bo);
    await assign(e, reference);
    await book(e, reference, '2026-11-26', '10:00'); // Thursday
    await e.botSays(bo, (t) => t.includes('Thursday 26 November'), 'the appointment notice');
    e.tg.blockBy(bo.id);
    const attempts = () => e.tg.calls.filter((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === bo.id && !c.ok).length;

    await e.advance({ hours: 49 }); // Wed 10:00: the 24 h reminder is due
    const [kase] = await e.deps.db.select().from(cases).where(eq(cases.reference, reference));
    const failed = await vi.waitUntil(async () => {
      const rows = await e.deps.db
        .select()
        .from(deliveries)
        .where(and(eq(deliveries.caseId, kase!.id), like(deliveries.kind, 'appointment_reminder.PT24H'), eq(deliveries.status, 'failed')));
      return rows.find((r) => r.recipient.startsWith('client'));
    }, E2E_WAIT);
    expect(failed.reason).toBe('client_blocked_bot');
    await e.slackSays(STAFF.wen, (_m, all) => all.includes(reference) && /block/i.test(all), 'the worker told the client blocked the bot');
    const [client] = await e.deps.db.select().from(clients).where(eq(clients.id, kase!.clientId));
    expect(client!.botBlockedAt).not.toBeNull();

    // The 2 h reminder is refused once too; then every client row of the case is finished and nothing is queued again.
    await e.advance({ hours: 22 });
    await expect
      .poll(
        async () => {
          const rows = await e.deps.db
            .select()
            .from(deliveries)
            .where(and(eq(deliveries.caseId, kase!.id), like(deliveries.recipient, 'client%')));
          return rows.every((r) => r.status !== 'pending') && rows;
        },
        { ...E2E_WAIT, message: 'every client message finished' },
      )
      .toBeTruthy();
    const n = attempts();
    expect(n).toBeLessThanOrEqual(2);
    // Hours later, with every ledger row of the case due and sent or finished, Telegram saw no new attempt.
    await e.advance({ hours: 3 });
    await expect
      .poll(
        async () => {
          const rows = await e.deps.db.select().from(deliveries).where(eq(deliveries.caseId, kase!.id));
          return rows.every((r) => r.status !== 'pending' || r.dueAt.getTime() > e.deps.clock.now().toMillis());
        },
        { ...E2E_WAIT, message: 'every due message of the case finished' },
      )
      .toBeTruthy();
    expect(attempts()).toBe(n);
  });
});
