import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SLACK_WAIT } from '../helpers/waits.js';
import { and, eq } from 'drizzle-orm';
import { deliveries, notes } from '../../src/db/schema.js';
import { createBot, type TelegramBot } from '../../src/telegram/telegram.bot.js';
import { createLater } from '../../src/db/after-commit.js';
import { assignCase } from '../../src/cases/case-assign.service.js';
import { findActiveStaffBySlack } from '../../src/staff/staff.repo.js';
import { blockText, createSlackWorld, dm, flush, INTAKE, newCase, U, openModalByButton, type SlackWorld } from './slack-harness.js';

/**
 * Worker → client → worker: "Message client" in Slack, the message note and
 * its delivery row, the real sender to the Telegram emulator; the client's
 * reply through the real telegraf bot, relayed under the case card in the
 * worker's DM. An unassigned case's reply shows in the intake channel without
 * its text.
 */
let w: SlackWorld;
let bot: TelegramBot;
beforeAll(async () => {
  w = await createSlackWorld();
  bot = createBot(w.deps, { token: w.tg.token, apiRoot: w.tg.url, botInfo: w.tg.botInfo as never, later: createLater(w.deps.logger) });
});
afterAll(async () => {
  await bot?.close();
  await w?.close();
});

async function clientSays(chat: number, text: string) {
  const update = await w.tg.sendText({ id: chat, first_name: 'Client' } as never, text);
  await bot.bot.handleUpdate(update as never);
  await bot.settle();
}

describe('messages with the client', () => {
  it('round trip: worker → Telegram → client reply in the thread under the case card', async () => {
    const c = await newCase(w);
    const [me, worker] = [await findActiveStaffBySlack(w.deps.db, U.sup), await findActiveStaffBySlack(w.deps.db, U.worker)];
    expect(await assignCase(w.deps, me!, c.caseId, worker!)).toMatchObject({ ok: true, status: 'assigned' });
    await flush(w);
    const card = dm(w, U.worker).find((m) => m.text.includes(c.reference))!;

    // [Message client] on the card in the DM.
    const opened = w.slack.waitForCall('views.open');
    await w.driver.blockAction(U.worker, { channel: card.channel, ts: card.ts }, 'case_message');
    await opened;
    const view = w.slack.openViews(U.worker).at(-1)!;
    expect(view.callback_id).toBe('message_modal');
    const tooLong = await w.driver.viewSubmission(U.worker, view.id, { text: { v: 'y'.repeat(3001) } });
    expect(tooLong.body).toEqual({
      response_action: 'errors',
      errors: { text: 'That is 3001 characters; the limit is 3000. Please shorten it or send two messages.' },
    });
    const text = 'Hello Mei, can we talk on Wednesday at 10?';
    expect((await w.driver.viewSubmission(U.worker, view.id, { text: { v: text } })).body).toBe('');
    expect((await w.driver.viewSubmission(U.worker, view.id, { text: { v: text } })).status).toBe(200);

    const sent = await w.deps.db
      .select()
      .from(notes)
      .where(and(eq(notes.caseId, c.caseId), eq(notes.kind, 'message')));
    expect(sent.map((n) => [n.direction, w.deps.cipher.decrypt(n.bodyEnc, 'notes.body')])).toEqual([['to_client', text]]);
    const [row] = await w.deps.db.select().from(deliveries).where(eq(deliveries.subjectId, sent[0]!.id));
    expect(row).toMatchObject({ kind: 'message_to_client', recipient: `client:${c.clientId}`, channel: 'telegram', status: 'pending' });
    expect(await flush(w)).toEqual([{ kind: 'message_to_client', outcome: 'sent' }]);
    expect(w.tg.messages(c.chat).map((m) => m.text)).toEqual([`Message from your worker Wen:\n${text}`]);
    // The worker's confirmation sits in the case thread.
    const confirm = await vi.waitUntil(() => w.slack.thread(card.channel, card.ts).find((m) => m.text.startsWith('✉️ Sent')), SLACK_WAIT);
    expect(confirm.text).toContain(text);

    // The client answers on Telegram; the real bot stores it and plans the relay.
    await clientSays(c.chat, 'Yes, Wednesday is fine. Thank you.');
    expect(await flush(w)).toEqual([{ kind: 'client_reply', outcome: 'sent' }]);
    const reply = w.slack.thread(card.channel, card.ts).find((m) => m.text.startsWith('Message from the client'))!;
    expect(reply.thread_ts).toBe(card.ts);
    expect(reply.text).toBe(`Message from the client (${c.reference}): Yes, Wednesday is fine. Thank you.`);
    const both = await w.deps.db
      .select()
      .from(notes)
      .where(and(eq(notes.caseId, c.caseId), eq(notes.kind, 'message')));
    expect(both.map((n) => n.direction).sort()).toEqual(['from_client', 'to_client']);
  });

  it('a reply on an unassigned case tells the intake channel that a message arrived, never what it says', async () => {
    const c = await newCase(w);
    await clientSays(c.chat, 'Can we talk about my brother and the flat next week?');
    await flush(w);
    const posted = w.slack.messages(INTAKE).find((m) => m.text.includes(c.reference))!;
    expect(posted.text).toBe(`New message from the client of ${c.reference} (unassigned — assign the case to read it).`);
    expect(blockText(posted.blocks)).not.toContain('brother');
  });

  it('discreet mode: the client sees neither the worker nor the service named', async () => {
    const quiet = await createSlackWorld({ env: { DISCREET_MODE: 'true' } });
    try {
      const c = await newCase(quiet, { assignTo: quiet.staff.worker });
      const view = await openModalByButton(quiet, U.worker, 'case_message', c.caseId);
      await quiet.driver.viewSubmission(U.worker, view.id, { text: { v: 'See you Wednesday.' } });
      await flush(quiet);
      expect(quiet.tg.messages(c.chat).map((m) => m.text)).toEqual(['New message:\nSee you Wednesday.']);
    } finally {
      await quiet.close();
    }
  });

  it('a client who blocked the bot cannot be messaged: the worker is told on the field, nothing is stored', async () => {
    const c = await newCase(w, { assignTo: w.staff.worker });
    const { clients } = await import('../../src/db/schema.js');
    await w.deps.db.update(clients).set({ botBlockedAt: new Date() }).where(eq(clients.id, c.clientId));
    const view = await openModalByButton(w, U.worker, 'case_message', c.caseId);
    const res = await w.driver.viewSubmission(U.worker, view.id, { text: { v: 'Hello?' } });
    expect(res.body).toEqual({
      response_action: 'errors',
      errors: { text: 'The client has blocked the bot, so messages cannot reach them. Try another way to contact them.' },
    });
    expect(await w.deps.db.select().from(notes).where(eq(notes.caseId, c.caseId))).toEqual([]);
  });
});
