import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases, clients, deliveries } from '../../src/db/schema.js';
import { sendDelivery } from '../../src/delivery/send.service.js';
import { deliverySendJob } from '../../src/jobs/delivery-send.job.js';
import { SlackEmulator } from '../../src/sandbox/slack-emulator.js';
import { createHarness, type Harness } from './telegram-harness.js';
import { caseAudit } from '../helpers/audit.js';

/**
 * The intake card is planned like every other message: the ledger row is
 * written in the intake submit's own transaction (one commit with the case),
 * its send job is added after commit, and the ordinary sender posts it to the
 * Slack intake channel.
 */
const INTAKE = 'C0INTAKE01';
let slack: SlackEmulator;
let h: Harness;
beforeAll(async () => {
  slack = new SlackEmulator({ channels: [{ id: INTAKE, name: 'intake', members: [] }], rateLimits: false });
  await slack.start();
  h = await createHarness({
    env: { SLACK_BOT_TOKEN: slack.botToken, SLACK_SIGNING_SECRET: 'test-signing-secret', SLACK_API_URL: slack.apiUrl, SLACK_INTAKE_CHANNEL: INTAKE },
  });
});
afterAll(async () => {
  await h?.close();
  await slack?.stop();
});

const user = { id: 7101, first_name: 'Ana', language_code: 'en' };

describe('intake card', () => {
  it('is a ledger row written in the submit transaction, queued after commit, and posted to the intake channel by the sender', async () => {
    await h.command(user, '/start');
    await h.click(user, 'English');
    await h.click(user, 'I agree');
    await h.click(user, "Yes, I'm safe");
    await h.text(user, 'Ana');
    await h.click(user, 'Housing');
    await h.text(user, 'My landlord wants me out by the end of the month.');
    await h.text(user, 'A safe place to live.');
    await h.text(user, 'My sister.');
    await h.click(user, 'Skip');
    await h.click(user, 'This week');
    await h.click(user, 'Evenings');
    await h.click(user, 'London');
    const done = await h.click(user, 'Send my request');
    const reference = /C-2026-\d{4}/.exec(done.at(-1)!.text!)?.[0];
    expect(reference).toBeDefined();

    const [client] = await h.deps.db.select().from(clients).where(eq(clients.telegramUserId, user.id));
    const [c] = await h.deps.db.select().from(cases).where(eq(cases.clientId, client!.id));
    const [card] = await h.deps.db
      .select()
      .from(deliveries)
      .where(and(eq(deliveries.kind, 'intake_card'), eq(deliveries.subjectId, c!.id)));
    expect(card).toMatchObject({ recipient: `channel:${INTAKE}`, channel: 'slack', caseId: c!.id, status: 'pending' });
    // One commit: the case row and its card row were written by the same transaction (xmin is the writing transaction's id).
    const xmin = async (table: string, id: string) =>
      ((await h.deps.db.execute(sql`select xmin::text as x from ${sql.identifier(table)} where id = ${id}`)) as unknown as { rows: Array<{ x: string }> })
        .rows[0]!.x;
    expect(await xmin('deliveries', card!.id)).toBe(await xmin('cases', c!.id));
    const [planned] = await caseAudit(h.deps.db, c!.id, 'case.intake_card_planned');
    expect(planned).toMatchObject({ subjectType: 'delivery', subjectId: card!.id });
    // After commit: the send job (the due-row tick would send the row if it were lost).
    expect(await h.deps.queues.queue('delivery').getJob(deliverySendJob.jobId({ deliveryId: card!.id }))).toBeDefined();

    // The normal delivery path posts it to the intake channel.
    await sendDelivery(h.deps, card!.id, { finalAttempt: true });
    const posted = slack.messages(INTAKE).find((m) => m.text.includes(reference!));
    expect(posted?.text).toBe(`New case ${reference} (Housing, Normal)`);
    const [sent] = await h.deps.db.select().from(deliveries).where(eq(deliveries.id, card!.id));
    expect(sent!.status).toBe('sent');
    expect((await h.deps.db.select().from(cases).where(eq(cases.id, c!.id)))[0]).toMatchObject({ intakeCardChannel: INTAKE, intakeCardTs: posted!.ts });
  });
});
