import { and, eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { cases, clients, consents, deliveries, erasureRequests, intakeSessions, notes } from '../../src/db/schema.js';
import { DELIVERY_KINDS } from '../../src/catalogue.js';
import type { SimUser } from '../../src/sandbox/telegram-emulator.js';
import { MessageTracker } from '../../src/telegram/telegram.tracker.js';
import { useHarness } from './telegram-harness.js';
import { makeAppointment, makeStaff } from '../helpers/factories.js';
import { caseAudit, subjectAudit } from '../helpers/audit.js';
import { setCase } from '../helpers/factories.js';

const h = useHarness();

let nextId = 6000;
const newUser = (lang = 'en'): SimUser => ({ id: nextId++, first_name: 'Robin', language_code: lang });

/** The buttons pressed and words typed through a whole intake, in each language. */
const INTAKE_ANSWERS = {
  zh: {
    language: '中文',
    agree: '我同意',
    safe: '安全',
    name: '阿华',
    category: '住房',
    texts: ['房东要我搬走', '找到住处', '朋友', '我很能干'],
    when: '本周内',
    times: '晚上',
    area: '北京 / 上海',
    submit: '提交申请',
  },
  en: {
    language: 'English',
    agree: 'I agree',
    safe: "Yes, I'm safe",
    name: 'Robin',
    category: 'Legal',
    texts: ['A court letter', 'Understand it', 'My brother', 'I am organised'],
    when: 'This week',
    times: 'Mornings',
    area: 'London',
    submit: 'Send my request',
  },
};

async function submitted(user: SimUser, opts: { zh?: boolean } = {}) {
  await h.command(user, '/start');
  const a = opts.zh ? INTAKE_ANSWERS.zh : INTAKE_ANSWERS.en;
  await h.click(user, a.language);
  await h.click(user, a.agree);
  await h.click(user, a.safe);
  await h.text(user, a.name);
  await h.click(user, a.category);
  for (const t of a.texts) await h.text(user, t);
  await h.click(user, a.when);
  await h.click(user, a.times);
  await h.click(user, a.area);
  await h.click(user, a.submit);
  const [client] = await h.deps.db.select().from(clients).where(eq(clients.telegramUserId, user.id));
  const [c] = await h.deps.db.select().from(cases).where(eq(cases.clientId, client!.id));
  return { client: client!, c: c! };
}

async function worker(name: string) {
  const w = await makeStaff(h.deps.db, { slackUserId: `U${nextId++}`, displayName: name, role: 'worker', timeZone: 'Europe/London' });
  return w!;
}

describe('always-available commands', () => {
  it('registers the command list with the Bot API in English and Chinese', async () => {
    await h.app.registerCommands();
    const en = h.tg.myCommands({ language_code: 'en' }) as Array<{ command: string; description: string }>;
    const zh = h.tg.myCommands({ language_code: 'zh' }) as Array<{ command: string; description: string }>;
    expect(en.map((c) => c.command)).toEqual(['start', 'help', 'status', 'language', 'cancel', 'stop', 'withdraw', 'mydata', 'forget', 'exit']);
    expect(zh.map((c) => c.command)).toEqual(en.map((c) => c.command));
    expect(zh[0]!.description).toMatch(/[\u4e00-\u9fff]/);
  });

  it('/help works mid-intake without losing the draft', async () => {
    const user = newUser();
    await h.command(user, '/start');
    await h.click(user, 'English');
    const help = (await h.command(user, '/help')).at(-1)!.text!;
    expect(help).toContain('/withdraw');
    // The actual numbers from EMERGENCY_CONTACTS_EN, not "call the emergency number".
    expect(help).toContain(`If you are in danger, get help straight away:\n${h.deps.config.EMERGENCY_CONTACTS_EN}`);
    expect(await h.step(user)).toBe('agreement');
  });

  it('"Not now" ends politely and keeps only the fact of the refusal', async () => {
    const user = newUser();
    await h.command(user, '/start');
    await h.click(user, 'English');
    const [before] = await h.deps.db.select().from(consents).orderBy(consents.createdAt);
    const bye = await h.click(user, 'Not now');
    expect(bye.at(-1)!.text).toContain("I haven't kept any of your details");
    expect(await h.step(user)).toBeUndefined();
    expect(await h.deps.db.select().from(clients).where(eq(clients.telegramUserId, user.id))).toEqual([]);
    const all = await h.deps.db.select().from(consents);
    const declined = all.filter((c) => c.declinedAt && c.id !== before?.id);
    expect(declined.at(-1)).toMatchObject({ clientId: null, givenAt: null, language: 'en' });
  });

  it('/language mid-intake switches language and returns to the same question', async () => {
    const user = newUser();
    await h.command(user, '/start');
    await h.click(user, 'English');
    await h.click(user, 'I agree');
    await h.click(user, "Yes, I'm safe");
    await h.command(user, '/language');
    const back = await h.click(user, '中文');
    expect(back.at(-1)!.text).toContain('好的，接下来我们用中文交流');
    expect(await h.step(user)).toBe('name');
  });

  it('/cancel deletes the draft; with nothing to cancel it says so', async () => {
    const user = newUser();
    await h.command(user, '/start');
    expect((await h.command(user, '/cancel')).at(-1)!.text).toContain('deleted your unfinished request');
    expect(await h.deps.db.select().from(intakeSessions).where(eq(intakeSessions.telegramUserId, user.id))).toEqual([]);
    expect((await h.command(user, '/cancel')).at(-1)!.text).toBe('There is nothing to cancel right now.');
  });

  it("/status: nothing yet, a draft, then phase, the worker's first name and the next appointment in the client's zone and language", async () => {
    const user = newUser('zh');
    expect((await h.command(user, '/status')).at(-1)!.text).toContain('/start');
    const { c } = await submitted(user, { zh: true });
    expect((await h.command(user, '/status')).at(-1)!.text).toContain('目前还没有安排社工');
    const w = await worker('Ana Maria Lopez');
    await setCase(h.deps.db, c.id, { assignedWorkerId: w.id, assignedAt: new Date(), phase: 'assessment' });
    // 2026-11-25 10:00 UTC is 18:00 in Shanghai
    await makeAppointment(h.deps.db, {
      caseId: c.id,
      workerId: w.id,
      startsAt: DateTime.fromISO('2026-11-25T10:00:00Z').toJSDate(),
      durationMin: 50,
      mode: 'in_person',
    });
    const status = (await h.command(user, '/status')).at(-1)!.text!;
    expect(status).toContain(c.reference);
    expect(status).toContain('您的社工：Ana');
    expect(status).not.toContain('Lopez');
    expect(status).toContain('2026年11月25日');
    expect(status).toMatch(/18:00|下午6:00/);
    const audit = await caseAudit(h.deps.db, c.id, 'case.status_viewed_by_client');
    expect(audit.length).toBeGreaterThan(0);

    const drafting = newUser();
    await h.command(drafting, '/start');
    expect((await h.command(drafting, '/status')).at(-1)!.text).toContain('part-way through');
  });

  it('free text after intake is kept on the case and relayed to the worker (never an error)', async () => {
    const user = newUser();
    const { c } = await submitted(user);
    const ack1 = await h.text(user, 'Can we meet on Friday?');
    expect(ack1.at(-1)!.text).toBe("Thanks — I've passed this on. A worker will read it soon.");
    const w = await worker('Ben Okafor');
    await setCase(h.deps.db, c.id, { assignedWorkerId: w.id, assignedAt: new Date() });
    const ack2 = await h.text(user, 'Also my landlord called.');
    expect(ack2.at(-1)!.text).toBe("Thanks — I've passed this to your worker.");
    const msgs = await h.deps.db.select().from(notes).where(eq(notes.caseId, c.id)).orderBy(notes.createdAt);
    expect(msgs.map((n) => [n.kind, n.direction])).toEqual([
      ['message', 'from_client'],
      ['message', 'from_client'],
    ]);
    expect(msgs[0]!.bodyEnc).not.toContain('Friday');
    const relays = await h.deps.db
      .select()
      .from(deliveries)
      .where(and(eq(deliveries.caseId, c.id), eq(deliveries.kind, 'client_reply')));
    expect(relays.map((d) => [d.subjectId, d.recipient, d.channel]).sort()).toEqual(
      [
        [msgs[0]!.id, 'channel:intake', 'slack'],
        [msgs[1]!.id, `staff:${w.id}`, 'slack'],
      ].sort(),
    );
    // nothing else on the case changed (a client message is not a worker's record)
    const [after] = await h.deps.db.select().from(cases).where(eq(cases.id, c.id));
    expect(after!.lastNoteAt).toBeNull();
  });

  it('/stop and /start turn reminders off and on', async () => {
    const user = newUser();
    const { client } = await submitted(user);
    expect((await h.command(user, '/stop')).at(-1)!.text).toContain('Reminders are off');
    expect((await h.deps.db.select().from(clients).where(eq(clients.id, client.id)))[0]!.remindersOff).toBe(true);
    const on = await h.command(user, '/start');
    expect(on[0]!.text).toBe('Reminders are back on.');
    expect((await h.deps.db.select().from(clients).where(eq(clients.id, client.id)))[0]!.remindersOff).toBe(false);
  });

  it('/withdraw, confirmed: case withdrawn and closed, the worker told by a Slack DM with no personal text; a second press is refused', async () => {
    const user = newUser();
    const { client, c } = await submitted(user);
    const w = await worker('Cleo Ng');
    await setCase(h.deps.db, c.id, { assignedWorkerId: w.id, assignedAt: new Date() });
    expect((await h.command(user, '/withdraw')).at(-1)!.text).toContain('Do you want to withdraw');
    const confirm = h.last(user);
    const done = await h.click(user, 'Yes, withdraw');
    expect(done.at(-1)!.text).toContain('You have withdrawn');
    const [after] = await h.deps.db.select().from(cases).where(eq(cases.id, c.id));
    expect(after).toMatchObject({ status: 'withdrawn', closureReason: 'withdrawn_by_client' });
    expect(after!.closedAt).toBeInstanceOf(Date);
    const [consent] = await h.deps.db.select().from(consents).where(eq(consents.clientId, client.id));
    expect(consent!.revokedAt).toBeInstanceOf(Date);
    const [notice] = await h.deps.db
      .select()
      .from(deliveries)
      .where(and(eq(deliveries.caseId, c.id), eq(deliveries.kind, 'withdrawal_notice')));
    expect(notice).toMatchObject({ recipient: `staff:${w.id}`, channel: 'slack', subjectId: c.id });
    const rendered = await DELIVERY_KINDS.get('withdrawal_notice')!.render(h.deps, notice!);
    expect(rendered).toEqual({ channel: 'slack', to: w.slackUserId, text: `Case ${c.reference} was withdrawn by the client` });
    const again = await h.clickData(user, confirm.message_id, h.buttonData(confirm, 'Yes, withdraw'));
    expect(again.answer).toMatchObject({ text: "That button doesn't work any more." });
    expect((await h.command(user, '/withdraw')).at(-1)!.text).toContain("don't have an open request");
  });

  it("/mydata shows what is stored, decrypted and readable, in the client's language", async () => {
    const user = newUser();
    await submitted(user);
    await h.text(user, 'A note for my worker');
    const text = (await h.command(user, '/mydata')).map((m) => m.text).join('\n');
    for (const part of [
      'Name: Robin',
      'Language: English',
      'Time zone: Europe/London',
      'Reminders: on',
      'agreed on',
      'A court letter',
      'I am organised',
      'A note for my worker',
    ]) {
      expect(text).toContain(part);
    }
    const none = newUser();
    expect((await h.command(none, '/mydata')).at(-1)!.text).toBe("We don't hold any information about you.");
  });

  it('/forget, confirmed: erasure request recorded, audited and acknowledged; the draft deleted', async () => {
    const user = newUser();
    const { client } = await submitted(user);
    await h.command(user, '/forget');
    const ack = await h.click(user, 'Yes, delete it');
    expect(ack.at(-1)!.text).toContain('received your request to delete your information');
    const [after] = await h.deps.db.select().from(clients).where(eq(clients.id, client.id));
    expect(after!.erasureRequestedAt).toBeInstanceOf(Date);
    const audit = await subjectAudit(h.deps.db, client.id, 'client.erasure_requested');
    expect(audit).toHaveLength(1);
    // …and it opens the request a supervisor decides on (issue 15).
    const [req] = await h.deps.db.select().from(erasureRequests).where(eq(erasureRequests.clientId, client.id));
    expect(req).toMatchObject({ status: 'pending', requestedBy: 'client' });
  });

  it("/exit deletes the bot's and the client's messages in the chat and sends nothing", async () => {
    const user = newUser();
    await h.command(user, '/start');
    await h.click(user, 'English');
    await h.click(user, 'I agree');
    const botBefore = h.messages(user).length;
    expect(botBefore).toBeGreaterThan(2);
    const sent = await h.command(user, '/exit');
    expect(sent).toEqual([]);
    expect(h.tg.history(user.id).every((m) => m.deleted)).toBe(true);
    expect(h.messages(user)).toHaveLength(botBefore);
  });

  it('quick exit forgets no message id: ids of several chats added together are all kept, and ones added a moment ago are taken too', async () => {
    const tracker = new MessageTracker(h.deps.redis, h.deps.config.QUEUE_PREFIX);
    void tracker.add(990001, 5, 2);
    void tracker.add(990002, 3);
    void tracker.add(990001, 9);
    expect(await tracker.takeAll(990001)).toEqual({ ids: [2, 5, 9], complete: true });
    // Another process (another app instance) finds them in Redis.
    const other = new MessageTracker(h.deps.redis, h.deps.config.QUEUE_PREFIX);
    expect(await other.takeAll(990002)).toEqual({ ids: [3], complete: true });
    expect(await tracker.takeAll(990001)).toEqual({ ids: [], complete: true });
  });
});
