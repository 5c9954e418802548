import { eq } from 'drizzle-orm';
import type { Update } from 'telegraf/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases, clients, deliveries, notes } from '../../src/db/schema.js';
import { loadSession } from '../../src/intake/intake.repo.js';
import type { SimUser } from '../../src/sandbox/telegram-emulator.js';
import { createHarness, type Harness } from './telegram-harness.js';

let h: Harness;
beforeAll(async () => {
  // 4,000-character answers allowed so the review and /mydata would overflow a Telegram message if not handled.
  h = await createHarness({ env: { INTAKE_FIELD_MAX_CHARS: '4000' } });
});
afterAll(async () => h?.close());

let nextId = 9000;
const newUser = (lang = 'en'): SimUser => ({ id: nextId++, first_name: 'Pat', language_code: lang });

async function toStep(user: SimUser, step: 'name' | 'story' | 'review' | 'timezone', opts: { story?: string } = {}) {
  await h.command(user, '/start');
  await h.click(user, 'English');
  await h.click(user, 'I agree');
  await h.click(user, "Yes, I'm safe");
  if (step === 'name') return;
  await h.text(user, 'Pat');
  await h.click(user, 'Health');
  if (step === 'story') return;
  await h.text(user, opts.story ?? 'I am unwell and alone.');
  await h.text(user, opts.story ?? 'Feel better.');
  await h.text(user, opts.story ?? 'A neighbour.');
  await h.text(user, opts.story ?? 'I cook well.');
  await h.click(user, 'This month');
  // typed, not pressed: the availability buttons stay on that old message
  await h.text(user, 'after 6pm');
  if (step === 'timezone') return;
  await h.click(user, 'London');
}

async function openCaseUser(): Promise<SimUser> {
  const user = newUser();
  await toStep(user, 'review');
  await h.click(user, 'Send my request');
  return user;
}

describe('bad input gets a clear answer and loses nothing', () => {
  it('an overlong answer is refused with the limit stated, and the step is kept', async () => {
    const user = newUser();
    await toStep(user, 'name');
    const r1 = await h.text(user, 'x'.repeat(101));
    expect(r1.at(-1)!.text).toContain('under 100 characters');
    expect(r1.at(-1)!.text).toContain('What would you like us to call you?');
    expect(await h.step(user)).toBe('name');
    await h.text(user, 'Pat');
    await h.click(user, 'Health');
    const r2 = await h.text(user, 'y'.repeat(4001));
    expect(r2.at(-1)!.text).toContain('under 4,000 characters');
    expect(await h.step(user)).toBe('story');
    const session = await loadSession(h.deps.db, h.deps.cipher, user.id);
    expect(session!.state.answers).toMatchObject({ name: 'Pat', category: 'health' });
    expect(session!.state.answers.story).toBeUndefined();
  });

  it.each([
    ['photo', { photo: [{ file_id: 'p1', file_unique_id: 'u1', width: 90, height: 90 }] }],
    ['voice', { voice: { file_id: 'v1', file_unique_id: 'u2', duration: 3 } }],
    ['sticker', { sticker: { file_id: 's1', file_unique_id: 'u3', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false } }],
    ['location', { location: { latitude: 51.5, longitude: -0.12 } }],
    ['contact', { contact: { phone_number: '+440000', first_name: 'Pat' } }],
  ])('a %s gets "please answer in text or use the buttons" at that step, progress kept', async (_kind, fields) => {
    const user = newUser();
    await toStep(user, 'story');
    const replies = await h.sendRaw(user, fields);
    expect(replies.at(-1)!.text).toContain('Please answer in text or use the buttons');
    expect(replies.at(-1)!.text).toContain('In your own words');
    expect(await h.step(user)).toBe('story');
    expect((await loadSession(h.deps.db, h.deps.cipher, user.id))!.state.answers.name).toBe('Pat');
  });

  it('a button from an old message is refused politely and the current question asked again', async () => {
    const user = newUser();
    await toStep(user, 'timezone');
    const old = h.messages(user).find((m) => m.reply_markup?.inline_keyboard.flat().some((b) => b.text === 'Mornings'))!;
    const { answer, replies } = await h.clickData(user, old.message_id, h.buttonData(old, 'Mornings'));
    expect(answer).toMatchObject({ text: "That button doesn't work any more." });
    expect(replies.at(-1)!.text).toContain('from an earlier message');
    expect(replies.at(-1)!.text).toContain('which time zone are you in?');
    expect(await h.step(user)).toBe('timezone');
    expect((await loadSession(h.deps.db, h.deps.cipher, user.id))!.state.answers.availability).toEqual({ kind: 'text', text: 'after 6pm' });
  });

  it("forged callback_data (not a token, an unknown token, another chat's token) is refused", async () => {
    const user = newUser();
    const other = newUser();
    await toStep(user, 'story');
    await h.command(other, '/start');
    const msg = h.last(user);
    const othersToken = h.buttonData(h.last(other), 'English');
    for (const data of ['lang:en', 't:AAAAAAAAAAAAAAAA', othersToken, 'x'.repeat(64)]) {
      const { answer, replies } = await h.clickData(user, msg.message_id, data);
      expect(answer).toMatchObject({ text: "That button doesn't work any more." });
      expect(replies.at(-1)!.text).toContain('In your own words');
    }
    expect(await h.step(user)).toBe('story');
  });

  it('an edited message during intake is explained and the answers stay as they were', async () => {
    const user = newUser();
    await toStep(user, 'story');
    const nameMsg = h.tg.history(user.id).find((m) => m.text === 'Pat' && m.from && !m.from.is_bot)!;
    const before = Math.max(...h.tg.history(user.id).map((m) => m.message_id));
    await h.handle(await h.tg.editText(user, nameMsg.message_id, 'Patricia'));
    await h.app.settle();
    const replies = h.messages(user).filter((m) => m.message_id > before);
    expect(replies[0]!.text).toContain('I see you edited a message');
    expect(replies.at(-1)!.text).toContain('In your own words');
    expect((await loadSession(h.deps.db, h.deps.cipher, user.id))!.state.answers.name).toBe('Pat');
  });

  it('an edited message on an open case is passed on too', async () => {
    const user = await openCaseUser();
    await h.text(user, 'See you Tuesday');
    const mine = h.tg
      .history(user.id)
      .filter((m) => m.text === 'See you Tuesday')
      .at(-1)!;
    await h.handle(await h.tg.editText(user, mine.message_id, 'See you Wednesday'));
    await h.app.settle();
    expect(h.last(user).text).toContain("I've passed on the edited version");
    const [client] = await h.deps.db.select().from(clients).where(eq(clients.telegramUserId, user.id));
    const [c] = await h.deps.db.select().from(cases).where(eq(cases.clientId, client!.id));
    const texts = (await h.deps.db.select().from(notes).where(eq(notes.caseId, c!.id))).map((n) => h.deps.cipher.decrypt(n.bodyEnc, 'notes.body'));
    expect(texts.sort()).toEqual(['See you Tuesday', 'See you Wednesday']);
  });

  it('an unknown command gets help', async () => {
    const user = newUser();
    const replies = await h.command(user, '/dance');
    expect(replies.at(-1)!.text).toContain("I don't know that command.");
    expect(replies.at(-1)!.text).toContain('/status');
  });

  it('the same update delivered twice (even at once) creates one case, not two', async () => {
    const user = newUser();
    await toStep(user, 'review');
    const review = h.last(user);
    const got = new Promise<Parameters<Harness['handle']>[0]>((r) => h.tg.once('update', r));
    const clicked = h.tg.clickButton(user, review.message_id, h.buttonData(review, 'Send my request'));
    const update = await got;
    const again = await h.tg.redeliver(update.update_id);
    expect(again.update_id).toBe(update.update_id);
    await Promise.all([h.app.bot.handleUpdate(update as unknown as Update), h.app.bot.handleUpdate(again as unknown as Update)]);
    await clicked;
    await h.app.settle();
    const [client] = await h.deps.db.select().from(clients).where(eq(clients.telegramUserId, user.id));
    expect(await h.deps.db.select().from(cases).where(eq(cases.clientId, client!.id))).toHaveLength(1);
    expect(h.messages(user).filter((m) => m.text?.includes('Your reference is'))).toHaveLength(1);
  });

  it('no reply is ever longer than 4,096 characters, and /mydata splits rather than cuts', async () => {
    const user = newUser();
    const long = 'z'.repeat(3990);
    await toStep(user, 'review', { story: long });
    await h.click(user, 'Send my request');
    const mydata = await h.command(user, '/mydata');
    for (const m of h.messages(user)) expect(m.text!.length).toBeLessThanOrEqual(4096);
    expect(mydata.length).toBeGreaterThan(1);
    // every character of every long answer is in the copy
    expect(
      mydata
        .map((m) => m.text)
        .join('')
        .split('z').length - 1,
    ).toBeGreaterThanOrEqual(4 * 3990);
  });

  it('a flood is throttled: every message kept, the person told once, one reply after the window', async () => {
    let floodClock = 0;
    const flood = await createHarness({ env: { TELEGRAM_FLOOD_MAX_MESSAGES: '3', TELEGRAM_FLOOD_WINDOW_SECONDS: '30' }, floodNow: () => floodClock });
    try {
      // an open case first, each step in its own window
      const user = { id: 9900, first_name: 'F', language_code: 'en' };
      const step = async (fn: () => Promise<unknown>) => {
        floodClock += 60_000;
        await fn();
      };
      await step(() => flood.command(user, '/start'));
      for (const label of ['English', 'I agree', "Yes, I'm safe"]) await step(() => flood.click(user, label));
      await step(() => flood.text(user, 'F'));
      await step(() => flood.click(user, 'Something else'));
      for (const t of ['a', 'b', 'c', 'd']) await step(() => flood.text(user, t));
      await step(() => flood.click(user, 'No rush'));
      await step(() => flood.click(user, 'Any time'));
      await step(() => flood.click(user, 'London'));
      await step(() => flood.click(user, 'Send my request'));
      floodClock += 60_000;

      // 10 messages in one window: 3 answered, then one notice, the rest held
      const before = Math.max(...flood.tg.history(user.id).map((m) => m.message_id));
      for (let i = 0; i < 10; i++) await flood.handle(await flood.tg.sendText(user, `message ${i}`));
      const during = flood.messages(user).filter((m) => m.message_id > before);
      expect(during.map((m) => m.text)).toEqual([
        ...Array(3).fill("Thanks — I've passed this on. A worker will read it soon."),
        "You're sending messages very quickly. Every text you send is saved: as your answer, added to it, or as a note for your case worker (photos and voice messages are not). I'll show you where we are in a moment.",
      ]);
      // when the window ends, one acknowledgement goes out (the window is ended here rather than
      // waited for, so a slow machine cannot end it in the middle of the ten messages)
      const last = Math.max(...flood.tg.history(user.id).map((m) => m.message_id));
      await flood.app.settle();
      const after = await flood.tg.waitForMessage(user.id, () => true, { after: last, timeoutMs: 5000 });
      expect(after.text).toBe("Thanks — I've passed this on. A worker will read it soon.");
      // nothing lost: all ten are on the case, each with a relay to the worker side
      const [client] = await flood.deps.db.select().from(clients).where(eq(clients.telegramUserId, user.id));
      const [c] = await flood.deps.db.select().from(cases).where(eq(cases.clientId, client!.id));
      const kept = await flood.deps.db.select().from(notes).where(eq(notes.caseId, c!.id));
      expect(kept.map((n) => flood.deps.cipher.decrypt(n.bodyEnc, 'notes.body')).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `message ${i}`).sort());
      const relays = await flood.deps.db.select().from(deliveries).where(eq(deliveries.caseId, c!.id));
      expect(relays.filter((d) => d.kind === 'client_reply')).toHaveLength(10);
    } finally {
      await flood.close();
    }
  });
});
