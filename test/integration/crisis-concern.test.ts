import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { notes } from '../../src/db/schema.js';
import { crisisStateOf, useHarness } from './telegram-harness.js';
import { caseAudit } from '../helpers/audit.js';

/**
 * The second net, through the real bot and the Telegram emulator: a worrying message the crisis
 * patterns do not know gets the emergency contacts and "are you safe right now?" at once; "No, I'm
 * not safe" is a crisis (case flagged, on-call escalation, intake paused); "Yes, I'm safe" pages no one.
 */
const h = useHarness();

const CONTACTS = 'Emergency services: 999';
const ASK = 'Are you safe right now?';

const crisisState = (userId: number) => crisisStateOf(h, userId);

describe('a worrying message the crisis patterns do not know', () => {
  it('first message: the contacts and the question come first, then the intake; nobody is paged yet', async () => {
    const user = { id: 8601, first_name: 'Sam', language_code: 'en' };
    const replies = await h.text(user, "I drove out to the cliffs and I'm sitting in the car");
    expect(replies[0]!.text).toContain(ASK);
    expect(replies[0]!.text).toContain(CONTACTS);
    expect(replies[0]!.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toEqual(["No, I'm not safe", "Yes, I'm safe"]);
    // The intake still starts (the client asked for help).
    expect(replies.length).toBeGreaterThan(1);
    const s = await crisisState(user.id);
    expect(s.escalations).toHaveLength(0);
  });

  it('"No, I\'m not safe": the emergency reply, a crisis case and an on-call escalation, and the intake pauses', async () => {
    const user = { id: 8601, first_name: 'Sam', language_code: 'en' };
    const replies = await h.click(user, "No, I'm not safe");
    expect(replies[0]!.text).toContain('Your safety matters most');
    expect(replies[0]!.text).toContain(CONTACTS);
    // The question's buttons are gone, so it cannot be answered twice by accident.
    const asked = h.messages(user).find((m) => (m.text ?? '').includes(ASK))!;
    expect(asked.reply_markup?.inline_keyboard?.flat() ?? []).toHaveLength(0);
    const s = await crisisState(user.id);
    expect(s.cases).toHaveLength(1);
    expect(s.cases[0]).toMatchObject({ crisis: true, priority: 'crisis' });
    expect(s.escalations.map((e) => e.reason)).toContain('crisis');
    // The intake waits for the client's choice (Continue / Not now) instead of asking the next question.
    expect(replies.some((m) => m.reply_markup?.inline_keyboard.flat().some((b) => b.text === 'Continue my request'))).toBe(true);
  });

  it('"Yes, I\'m safe": thanked, nobody paged, and a second worrying message soon after is not asked again', async () => {
    const user = { id: 8602, first_name: 'Kim', language_code: 'en' };
    await h.command(user, '/start');
    const first = await h.text(user, "he keeps my passport and I'm not allowed out");
    expect(first[0]!.text).toContain(ASK);
    const thanks = await h.click(user, "Yes, I'm safe");
    expect(thanks[0]!.text).toContain('Thank you for telling me');
    expect((await crisisState(user.id)).escalations).toHaveLength(0);
    const again = await h.text(user, 'this is probably the last time you will hear from me');
    expect(again.some((m) => (m.text ?? '').includes(ASK))).toBe(false);
  });

  it('"Yes, I\'m safe" from a client with an open case is written on the case for the worker (and audited)', async () => {
    const user = { id: 8601, first_name: 'Sam', language_code: 'en' };
    // Sam has a case now (the crisis above); half an hour later, another worrying message.
    h.deps.clock.advance({ minutes: 31 });
    const asked = await h.text(user, 'he keeps my passport and I am not allowed out');
    expect(asked[0]!.text).toContain(ASK);
    await h.click(user, "Yes, I'm safe");
    const s = await crisisState(user.id);
    const kept = await h.deps.db
      .select()
      .from(notes)
      .where(and(eq(notes.caseId, s.cases[0]!.id), eq(notes.kind, 'system')));
    expect(kept.map((n) => h.deps.cipher.decrypt(n.bodyEnc!, 'notes.body')).join('\n')).toContain('They answered: "Yes, I\'m safe"');
    const audit = await caseAudit(h.deps.db, s.cases[0]!.id, 'case.concern_answered');
    expect(audit).toHaveLength(1);
  });

  it('in Chinese, the question is asked in Chinese', async () => {
    const user = { id: 8603, first_name: '李', language_code: 'zh' };
    const replies = await h.text(user, '我坐在铁轨上');
    expect(replies[0]!.text).toContain('您现在安全吗');
    expect(replies[0]!.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toContain('不，我不安全');
  });

  it('a crisis in another language pages like one in English: the emergency reply and an escalation', async () => {
    const user = { id: 8604, first_name: 'Ana', language_code: 'es' };
    const replies = await h.text(user, 'mi esposo me pega y tengo miedo');
    expect(replies[0]!.text).toContain(CONTACTS);
    expect(replies[0]!.text).toContain('Your safety matters most');
    const s = await crisisState(user.id);
    expect(s.escalations.map((e) => e.reason)).toContain('crisis');
  });

  it('an ordinary message gets neither the question nor the contacts', async () => {
    const user = { id: 8605, first_name: 'Jo', language_code: 'en' };
    const replies = await h.text(user, 'can we move my appointment to Tuesday');
    expect(replies.some((m) => (m.text ?? '').includes(ASK) || (m.text ?? '').includes(CONTACTS))).toBe(false);
  });

  it('a forged "not safe" press from a chat that was never asked is still treated as a crisis for that chat only', async () => {
    const user = { id: 8606, first_name: 'Lee', language_code: 'en' };
    await h.command(user, '/start');
    const m = h.last(user);
    const { replies } = await h.clickData(user, m.message_id, 'cc:unsafe');
    expect(replies[0]!.text).toContain(CONTACTS);
    const s = await crisisState(user.id);
    expect(s.escalations.map((e) => e.reason)).toContain('crisis');
    expect((await crisisState(8605)).escalations).toHaveLength(0);
  });
});
