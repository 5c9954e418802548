import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases, clients, notes } from '../../src/db/schema.js';
import { NOTE_BODY_AAD } from '../../src/clients/clients.repo.js';
import { loadSession } from '../../src/intake/intake.repo.js';
import type { SimUser } from '../../src/sandbox/telegram-emulator.js';
import { createHarness, type Harness } from './telegram-harness.js';

/**
 * Hurried input at the intake (issue 19): a paste Telegram split at 4,096
 * characters, messages sent in quick succession, text typed at a button step.
 * Nothing the client writes is lost, and they are told where it went.
 */
let h: Harness;
beforeAll(async () => {
  // The shipped default: a text sent within 2 s of the previous one is another part of it.
  h = await createHarness({ env: { INTAKE_GATHER_SECONDS: '2' } });
});
afterAll(async () => h?.close());

let nextId = 19_000;
const newUser = (): SimUser => ({ id: nextId++, first_name: 'Pat', language_code: 'en' });
// Message dates a client would produce (Unix seconds); questions are answered some seconds apart.
let clockSec = 1_800_000_000;
const later = () => (clockSec += 30);

async function say(user: SimUser, text: string, date = later()) {
  return h.sendRaw(user, { text, date });
}

async function toName(user: SimUser) {
  await h.command(user, '/start');
  await h.click(user, 'English');
  await h.click(user, 'I agree');
  await h.click(user, "Yes, I'm safe");
}

async function toStory(user: SimUser) {
  await toName(user);
  await say(user, 'Pat');
  await h.click(user, 'Health');
}

async function finish(user: SimUser) {
  await say(user, 'Feel better.');
  await say(user, 'A neighbour.');
  await say(user, 'I cook well.');
  await h.click(user, 'This month');
  await say(user, 'after 6pm');
  await h.click(user, 'London');
  await h.click(user, 'Send my request');
}

async function clientMessages(user: SimUser): Promise<string[]> {
  const [c] = await h.deps.db.select({ id: clients.id }).from(clients).where(eq(clients.telegramUserId, user.id));
  const [k] = await h.deps.db.select({ id: cases.id }).from(cases).where(eq(cases.clientId, c!.id));
  const rows = await h.deps.db
    .select()
    .from(notes)
    .where(and(eq(notes.caseId, k!.id), eq(notes.kind, 'message'), eq(notes.direction, 'from_client')));
  return rows.map((r) => h.deps.cipher.decrypt(r.bodyEnc!, NOTE_BODY_AAD));
}

const session = async (user: SimUser) => (await loadSession(h.deps.db, h.deps.cipher, user.id))!.state;

describe('a long paste that Telegram split into parts', () => {
  it('is read as one message: refused as a whole (not the tail stored as the answer), kept for the worker, and the client told', async () => {
    const user = newUser();
    await toStory(user);
    const first = 'a'.repeat(4096);
    const tail = 'b'.repeat(904);
    // Both parts exist before the bot answers either: back to back in the chat, same date.
    const u1 = await h.tg.sendUpdate(user, { text: first, date: clockSec });
    const u2 = await h.tg.sendUpdate(user, { text: tail, date: clockSec });
    const before = Math.max(...h.messages(user).map((m) => m.message_id));
    await h.handle(u1);
    await h.handle(u2);
    await h.app.settle();
    const replies = h.messages(user).filter((m) => m.message_id > before);
    expect(replies[0]!.text).toContain('under 2,000 characters');
    expect(replies[0]!.text).toContain('kept it as a note for your case worker');
    expect(replies.at(-1)!.text).toContain('kept it as a note for your case worker');
    expect(replies.at(-1)!.text).toContain('In your own words');

    const state = await session(user);
    expect(state.step).toBe('story');
    expect(state.answers.story).toBeUndefined();
    expect(state.notes).toEqual([`${first}\n${tail}`]);

    await say(user, 'I am unwell and alone.');
    await finish(user);
    expect(await clientMessages(user)).toEqual([`${first}\n${tail}`]);
  });
});

describe('messages in quick succession', () => {
  it('three messages 300 ms apart at a free-text step become one answer, and the client is told', async () => {
    const user = newUser();
    await toStory(user);
    const at = later();
    await say(user, 'My landlord wants me out.', at);
    const r2 = await say(user, 'By the end of the month.', at);
    const r3 = await say(user, 'I have nowhere to go.', at + 1);
    expect(r2.at(-1)!.text).toContain('I added that to your answer to “What is happening”');
    expect(r3.at(-1)!.text).toContain('I added that to your answer to “What is happening”');
    const state = await session(user);
    expect(state.answers.story).toBe('My landlord wants me out.\nBy the end of the month.\nI have nowhere to go.');
    expect(state.answers.change).toBeUndefined();
    expect(state.step).toBe('change');
    // A considered answer, seconds later, answers the next question.
    await say(user, 'A safe place to live.');
    expect((await session(user)).answers.change).toBe('A safe place to live.');
  });

  it('fifteen lines 60 ms apart from the name step: the first is the name, the rest kept for the worker, none dropped', async () => {
    const user = newUser();
    await toName(user);
    const lines = Array.from({ length: 15 }, (_, i) => `line ${i + 1} of what I need to say`);
    const at = later();
    let last: Awaited<ReturnType<typeof say>> = [];
    for (const [i, line] of lines.entries()) last = await say(user, line, at + Math.floor((i * 60) / 1000));
    expect(last.at(-1)!.text).toContain('kept it as a note for your case worker');
    const state = await session(user);
    expect(state.answers.name).toBe('line 1 of what I need to say');
    expect(state.step).toBe('category');
    expect(state.notes).toEqual([lines.slice(1).join('\n')]);

    await h.click(user, 'Health');
    await say(user, 'I am unwell and alone.');
    await finish(user);
    expect(await clientMessages(user)).toEqual([lines.slice(1).join('\n')]);
  });

  it('text typed at a button step on its own is kept as a note, and the client asked to use the buttons', async () => {
    const user = newUser();
    await toStory(user);
    await say(user, 'I am unwell and alone.');
    await say(user, 'Feel better.');
    await say(user, 'A neighbour.');
    await say(user, 'I cook well.');
    const r = await say(user, 'I am not sure how soon, my rent is due on Friday');
    expect(r.at(-1)!.text).toContain('Please tap one of the buttons');
    expect(r.at(-1)!.text).toContain('kept it as a note for your case worker');
    expect((await session(user)).notes).toEqual(['I am not sure how soon, my rent is due on Friday']);
    expect(await h.step(user)).toBe('urgency');
    // Stored, so /mydata shows it with the unfinished request.
    const mine = (await h.command(user, '/mydata')).map((m) => m.text).join('\n');
    expect(mine).toContain('Kept as notes for your case worker (sent with your request):\n• I am not sure how soon, my rent is due on Friday');
  });

  it('a crisis phrase in a later part of a burst still takes the crisis path', async () => {
    const user = newUser();
    await toStory(user);
    const at = later();
    await say(user, 'Things are very bad at home.', at);
    const r = await say(user, 'I want to kill myself', at);
    expect(r.some((m) => /emergency|999|danger/i.test(m.text ?? ''))).toBe(true);
    const state = await session(user);
    expect(state.paused).toBe(true);
    expect(state.answers.story).toBe('Things are very bad at home.');
    const [c] = await h.deps.db.select({ id: clients.id }).from(clients).where(eq(clients.telegramUserId, user.id));
    expect(c).toBeDefined();
    const [k] = await h.deps.db.select({ crisis: cases.crisis }).from(cases).where(eq(cases.clientId, c!.id));
    expect(k!.crisis).toBe(true);
  });
});

describe('a name made only of invisible characters', () => {
  it.each([
    ['zero-width spaces', '\u200b\u200b\u200b'],
    ['joiners and a BOM', '\u200d\u200c\ufeff'],
    ['a Hangul filler', '\u3164'],
  ])('(%s) is refused with a clear message and nothing is stored', async (_what, name) => {
    const user = newUser();
    await toName(user);
    const r = await say(user, name);
    expect(r.at(-1)!.text).toContain("I couldn't see any letters or numbers in that");
    expect(r.at(-1)!.text).toContain('What would you like us to call you?');
    const state = await session(user);
    expect(state.step).toBe('name');
    expect(state.answers.name).toBeUndefined();
    expect(state.notes).toBeUndefined();
    // A real name with a stray zero-width character is still a name.
    await say(user, 'Mei\u200b');
    expect(await h.step(user)).toBe('category');
  });
});
