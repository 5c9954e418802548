import { eq } from 'drizzle-orm';
import type { Update } from 'telegraf/types';
import { describe, expect, it } from 'vitest';
import { auditLog, notes } from '../../src/db/schema.js';

import { createLater } from '../../src/db/after-commit.js';
import { createBot } from '../../src/telegram/telegram.bot.js';
import { TelegramEmulator, type SimUser } from '../../src/sandbox/telegram-emulator.js';
import { crisisStateOf, useHarness } from './telegram-harness.js';
import { depsOnRedis } from '../helpers/private-redis.js';

const h = useHarness();

const CONTACTS = 'Emergency services: 999';

/** The path through the intake; entry i is what moves a client past step i. */
const PATH: Array<[string, (u: SimUser) => Promise<unknown>]> = [
  ['language', (u) => h.click(u, 'English')],
  ['agreement', (u) => h.click(u, 'I agree')],
  ['safety', (u) => h.click(u, "Yes, I'm safe")],
  ['name', (u) => h.text(u, 'Alex')],
  ['category', (u) => h.click(u, 'Family')],
  ['story', (u) => h.text(u, 'Things at home are hard.')],
  ['change', (u) => h.text(u, 'Less fighting.')],
  ['support', (u) => h.click(u, 'No one right now')],
  ['strengths', (u) => h.click(u, 'Skip')],
  ['urgency', (u) => h.click(u, 'This week')],
  ['availability', (u) => h.click(u, 'Mornings')],
  ['timezone', (u) => h.click(u, 'London')],
  ['review', async () => undefined],
];
const PHRASES = ['I want to kill myself', '我不想活了', '他打我'];

const crisisState = (userId: number) => crisisStateOf(h, userId);

describe('a crisis phrase at any moment', () => {
  PATH.forEach(([step], i) => {
    it(`at the ${step} step: emergency contacts first, crisis case + escalation recorded, intake carries on`, async () => {
      const user = { id: 8100 + i, first_name: 'Alex', language_code: 'en' };
      await h.command(user, '/start');
      for (const [, go] of PATH.slice(0, i)) await go(user);
      expect(await h.step(user)).toBe(step);

      const phrase = PHRASES[i % PHRASES.length]!;
      const replies = await h.text(user, phrase);
      // The first thing the client sees is the emergency reply with the configured contacts.
      expect(replies[0]!.text).toContain(CONTACTS);
      expect(replies[0]!.text).toContain('Your safety matters most');

      const s = await crisisState(user.id);
      expect(s.cases).toHaveLength(1);
      expect(s.cases[0]).toMatchObject({ crisis: true, priority: 'crisis', status: 'open' });
      if (i <= 4) expect(s.cases[0]!.category).toBe('other'); // not chosen yet
      // Opened now, and its first step (paging on call) taken at once by the process that heard it, not at a later sweep.
      const now = h.deps.clock.now().toJSDate();
      expect(s.escalations).toEqual([expect.objectContaining({ reason: 'crisis', level: 0, openedAt: now, lastNotifiedAt: now, notifications: 1 })]);
      const actions = (await h.deps.db.select().from(auditLog).where(eq(auditLog.caseId, s.cases[0]!.id))).map((a) => a.action);
      expect(actions).toEqual(expect.arrayContaining(['case.opened_by_crisis', 'escalation.opened', 'escalation.notified']));
      // the draft is still there: intake continues afterwards
      expect(await h.step(user)).toBeDefined();
    });
  });

  it('completes the crisis case (no second case) when the client finishes the intake afterwards', async () => {
    const user = { id: 8200, first_name: 'Jo', language_code: 'en' };
    await h.command(user, '/start');
    for (const [, go] of PATH.slice(0, 5)) await go(user); // now at story
    const replies = await h.text(user, 'My partner hurts me. I am in danger.');
    expect(replies[0]!.text).toContain(CONTACTS);
    // the intake waits: no next question, the choice to go on
    expect(replies.map((r) => r.text)).toHaveLength(2);
    expect(replies[1]!.text).toContain("There's no rush");
    expect(replies[1]!.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toEqual(['Continue my request', 'Not now']);
    expect(await h.step(user)).toBe('story');
    // the crisis words are a crisis note on the case, not the answer to "what is happening"
    const s0 = await crisisState(user.id);
    const kept = await h.deps.db.select().from(notes).where(eq(notes.caseId, s0.cases[0]!.id));
    expect(kept.map((n) => h.deps.cipher.decrypt(n.bodyEnc, 'notes.body'))).toEqual(['My partner hurts me. I am in danger.']);
    const resumed = await h.click(user, 'Continue my request');
    expect(resumed.at(-1)!.text).toContain('In your own words, what is happening?');
    await h.text(user, 'Things at home are hard.');
    for (const [, go] of PATH.slice(6, 12)) await go(user);
    const done = await h.click(user, 'Send my request');
    const s = await crisisState(user.id);
    expect(s.cases).toHaveLength(1);
    expect(done.at(-1)!.text).toContain(s.cases[0]!.reference);
    expect(s.cases[0]).toMatchObject({ category: 'family', urgency: 'week', priority: 'crisis', crisis: true });
  });

  it('"No" at the safety check is a crisis too', async () => {
    const user = { id: 8300, first_name: 'Kim', language_code: 'en' };
    await h.command(user, '/start');
    await h.click(user, 'English');
    await h.click(user, 'I agree');
    const replies = await h.click(user, 'No');
    expect(replies[0]!.text).toContain(CONTACTS);
    expect(replies.at(-1)!.text).toContain("There's no rush");
    expect(replies.some((r) => (r.text ?? '').includes('What would you like us to call you?'))).toBe(false);
    expect((await h.click(user, 'Continue my request')).at(-1)!.text).toContain('What would you like us to call you?');
    const s = await crisisState(user.id);
    expect(s.cases[0]).toMatchObject({ crisis: true, priority: 'crisis' });
    expect(s.escalations).toHaveLength(1);
  });

  it('before any intake, and after it on an open case (flagged, escalated, the message kept for the worker)', async () => {
    const stranger = { id: 8400, first_name: 'N', language_code: 'zh' };
    const r1 = await h.text(stranger, '他打我，我很害怕');
    expect(r1[0]!.text).toContain('紧急服务');
    expect((await crisisState(stranger.id)).escalations).toHaveLength(1);

    // an open, normal case
    const user = { id: 8401, first_name: 'Lee', language_code: 'en' };
    await h.command(user, '/start');
    for (const [, go] of PATH.slice(0, 12)) await go(user);
    await h.click(user, 'Send my request');
    expect((await crisisState(user.id)).cases[0]).toMatchObject({ crisis: false, priority: 'normal' });
    const r2 = await h.text(user, "I don't want to live anymore");
    expect(r2).toHaveLength(1);
    expect(r2[0]!.text).toContain(CONTACTS);
    const s = await crisisState(user.id);
    expect(s.cases[0]).toMatchObject({ crisis: true, priority: 'crisis' });
    expect(s.escalations).toEqual([expect.objectContaining({ reason: 'crisis' })]);
    const kept = await h.deps.db.select().from(notes).where(eq(notes.caseId, s.cases[0]!.id));
    expect(kept).toHaveLength(1);
    expect(h.deps.cipher.decrypt(kept[0]!.bodyEnc, 'notes.body')).toBe("I don't want to live anymore");
  });

  it('never waits for Redis: with Redis unreachable the reply and the database record still happen', async () => {
    const { deps, close } = await depsOnRedis(h.deps);
    // Update ids far from the harness emulator's: the database remembers handled ids.
    const tg = new TelegramEmulator({ rateLimits: false, firstUpdateId: 900_000 });
    const { url } = await tg.start();
    const later = createLater(deps.logger);
    const { bot } = createBot(deps, { token: tg.token, apiRoot: url, botInfo: tg.botInfo as never, later });
    const user = { id: 8500, first_name: 'R', language_code: 'en' };
    try {
      await bot.handleUpdate((await tg.sendText(user, 'I am going to end my life tonight, I want to die')) as unknown as Update);
      await expect.poll(() => tg.messages(user.id)[0]?.text).toContain(CONTACTS);
      const s = await crisisState(user.id);
      expect(s.cases[0]).toMatchObject({ crisis: true, priority: 'crisis' });
      expect(s.escalations).toHaveLength(1);
    } finally {
      await tg.stop();
      close();
    }
  });
});
