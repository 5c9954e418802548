import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, callbackTokens, cases, clients, consents, intakeSessions } from '../../src/db/schema.js';
import { loadSession, openCaseIntake } from '../../src/intake/intake.repo.js';
import { applyIntakeInput } from '../../src/intake/intake.service.js';
import { createLater } from '../../src/db/after-commit.js';
import { AGREEMENT_VERSION } from '../../src/intake/intake.domain.js';
import { useHarness } from './telegram-harness.js';
import { caseAudit } from '../helpers/audit.js';

const h = useHarness();

const en = { id: 7001, first_name: 'Mei', language_code: 'en' };
const zh = { id: 7002, first_name: '小明', language_code: 'zh-hans' };
const restartUser = { id: 7003, first_name: 'Sam', language_code: 'en-GB' };

async function caseOf(userId: number) {
  const [client] = await h.deps.db.select().from(clients).where(eq(clients.telegramUserId, userId));
  const list = client ? await h.deps.db.select().from(cases).where(eq(cases.clientId, client.id)) : [];
  return { client, cases: list };
}

describe('Telegram intake, end to end through the real bot', () => {
  it('completes in English: language, agreement, safety, every question, review, a case with a reference', async () => {
    const first = await h.command(en, '/start');
    expect(first.at(-1)!.text).toContain('Which language');
    expect(first.at(-1)!.reply_markup!.inline_keyboard[0]!.map((b) => b.text)).toEqual(['English', '中文']);
    // callback_data is a short server-side token, never the data itself
    for (const b of first.at(-1)!.reply_markup!.inline_keyboard.flat()) expect(Buffer.byteLength(b.callback_data!)).toBeLessThanOrEqual(64);
    expect(first.at(-1)!.reply_markup!.inline_keyboard.flat()[0]!.callback_data).toMatch(/^t:[A-Za-z0-9_-]+$/);

    expect((await h.click(en, 'English')).at(-1)!.text).toContain('how we will work together');
    expect((await h.click(en, 'I agree')).at(-1)!.text).toContain('are you safe right now?');
    expect((await h.click(en, "Yes, I'm safe")).at(-1)!.text).toContain('What would you like us to call you?');
    expect((await h.text(en, 'Mei')).at(-1)!.text).toContain('Thank you, Mei. What is the difficulty mostly about?');
    expect((await h.click(en, 'Housing')).at(-1)!.text).toContain('In your own words');
    expect((await h.text(en, 'My landlord wants me out by the end of the month and I have two children.')).at(-1)!.text).toContain(
      'What would you like to be different?',
    );
    expect((await h.text(en, 'A safe place to live.')).at(-1)!.text).toContain('Who in your life can support you?');
    expect((await h.text(en, 'My sister, sometimes.')).at(-1)!.text).toContain('What has helped you before');
    expect((await h.click(en, 'Skip')).at(-1)!.text).toContain('How soon do you need help?');
    expect((await h.click(en, 'This week')).at(-1)!.text).toContain('When can you usually talk?');
    expect((await h.click(en, 'Evenings')).at(-1)!.text).toContain('which time zone are you in?');
    const review = (await h.click(en, 'London')).at(-1)!;
    expect(review.text).toContain('Here is what you told me');
    expect(review.text).toContain('My landlord wants me out');
    expect(review.text).toContain('(skipped)');
    expect(review.reply_markup!.inline_keyboard.flat().map((b) => b.text)).toContain('Edit name');

    // every answer is editable from the review; answering returns to the review
    expect((await h.click(en, 'Edit name')).at(-1)!.text).toContain('What would you like us to call you?');
    expect((await h.text(en, 'Mei L')).at(-1)!.text).toContain('Mei L');

    const done = await h.click(en, 'Send my request');
    const reference = /C-2026-\d{4}/.exec(done.at(-1)!.text!)?.[0];
    expect(reference).toBeDefined();
    expect(done.at(-1)!.text).toContain('What happens next');

    const { client, cases: list } = await caseOf(en.id);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ reference, phase: 'intake', status: 'open', category: 'housing', urgency: 'week', priority: 'normal', crisis: false });
    // answers encrypted at rest, readable with the key
    expect(list[0]!.intakeEnc).not.toContain('landlord');
    const intake = openCaseIntake(h.deps.cipher, list[0]!.intakeEnc)!;
    expect(intake.answers).toMatchObject({
      name: 'Mei L',
      story: expect.stringContaining('landlord'),
      strengths: { kind: 'skipped' },
      availability: { kind: 'slot', slot: 'evenings' },
      timezone: 'Europe/London',
    });
    expect(client).toMatchObject({ language: 'en', timeZone: 'Europe/London', telegramChatId: en.id });
    expect(client!.preferredNameEnc).not.toContain('Mei');
    const [consent] = await h.deps.db.select().from(consents).where(eq(consents.clientId, client!.id));
    expect(consent).toMatchObject({ agreementVersion: AGREEMENT_VERSION, language: 'en' });
    expect(consent!.givenAt).toBeInstanceOf(Date);
    // the draft is gone (and the tokens of its buttons), the hand-off is recorded, the creation is audited
    expect(await h.step(en)).toBeUndefined();
    expect(
      await h.deps.db
        .select()
        .from(callbackTokens)
        .where(and(eq(callbackTokens.chatId, en.id), sql`${callbackTokens.action}->>'type' = 'intake'`)),
    ).toEqual([]);
    // (the hand-off: without SLACK_INTAKE_CHANNEL, no intake card, recorded as skipped in the submit's transaction)
    const [skipped] = await caseAudit(h.deps.db, list[0]!.id, 'case.handoff_skipped');
    expect(skipped?.details).toEqual({ reason: 'no_intake_channel' });
    const actions = (await h.deps.db.select().from(auditLog).where(eq(auditLog.caseId, list[0]!.id))).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['case.created', 'intake.submitted']));
    // each change of the submit audited once, as the client
    const byClient = (await h.deps.db.select().from(auditLog).where(eq(auditLog.actorId, client!.id))).map((a) => a.action).sort();
    expect(byClient).toEqual(['case.created', 'client.created', 'consent.given', 'intake.submitted']);
  });

  it('completes in Chinese, with the language preselected from Telegram and a typed city for the time zone', async () => {
    const first = await h.command(zh, '/start');
    expect(first.at(-1)!.reply_markup!.inline_keyboard[0]!.map((b) => b.text)).toEqual(['中文', 'English']);
    expect((await h.click(zh, '中文')).at(-1)!.text).toContain('好的，接下来我们用中文交流');
    await h.click(zh, '我同意');
    await h.click(zh, '安全');
    expect((await h.text(zh, '小明')).at(-1)!.text).toContain('小明');
    await h.click(zh, '家庭');
    await h.text(zh, '我和父母经常吵架，压力很大。');
    await h.text(zh, '希望家里能平静一些。');
    await h.click(zh, '目前没有');
    await h.text(zh, '我会画画。');
    await h.click(zh, '今天');
    await h.text(zh, '工作日晚上七点以后');
    const review = (await h.text(zh, '上海')).at(-1)!;
    expect(review.text).toContain('我会画画');
    const done = await h.click(zh, '提交申请');
    const reference = /C-2026-\d{4}/.exec(done.at(-1)!.text!)?.[0];
    expect(reference).toBeDefined();
    expect(done.at(-1)!.text).toMatch(/[\u4e00-\u9fff]/);

    const { client, cases: list } = await caseOf(zh.id);
    expect(client).toMatchObject({ language: 'zh', timeZone: 'Asia/Shanghai' });
    // urgency "today" raises the priority
    expect(list).toEqual([expect.objectContaining({ reference, category: 'family', priority: 'high', urgency: 'today' })]);
    expect(openCaseIntake(h.deps.cipher, list[0]!.intakeEnc)!.answers).toMatchObject({
      support: { kind: 'none' },
      availability: { kind: 'text', text: '工作日晚上七点以后' },
    });
  });

  it('resumes after a process restart mid-intake: new bot, new connections, same database', async () => {
    await h.command(restartUser, '/start');
    await h.click(restartUser, 'English');
    await h.click(restartUser, 'I agree');
    await h.click(restartUser, "Yes, I'm safe");
    await h.text(restartUser, 'Sam');
    await h.click(restartUser, 'Work & money');
    expect(await h.step(restartUser)).toBe('story');
    // state at rest is encrypted; only step and language are plain
    const [row] = await h.deps.db.select().from(intakeSessions).where(eq(intakeSessions.telegramUserId, restartUser.id));
    expect(row!.stateEnc).not.toContain('Sam');
    expect(row).toMatchObject({ step: 'story', language: 'en' });

    await h.restart();

    // /start continues where they left off, with their earlier answers kept
    expect((await h.command(restartUser, '/start')).at(-1)!.text).toContain('In your own words');
    await h.text(restartUser, 'I lost my job.');
    await h.text(restartUser, 'Find work.');
    await h.click(restartUser, 'No one right now');
    await h.text(restartUser, 'I am good with computers.');
    await h.click(restartUser, 'No rush');
    await h.click(restartUser, 'Any time');
    const review = (await h.click(restartUser, 'London')).at(-1)!;
    expect(review.text).toContain('Sam');
    expect(review.text).toContain('Work & money');
    await h.click(restartUser, 'Send my request');
    const { cases: list } = await caseOf(restartUser.id);
    expect(list).toEqual([expect.objectContaining({ category: 'work_money', priority: 'low' })]);
  });

  it('an answer never overwrites a draft written after the update first read it (another instance, the crisis path): it applies to the newer draft', async () => {
    const u = { id: 7004, first_name: 'Ola', language_code: 'en' };
    await h.command(u, '/start');
    await h.click(u, 'English');
    await h.click(u, 'I agree');
    await h.click(u, "Yes, I'm safe");
    // What an update read at its start: the draft at the name question.
    const snapshot = await loadSession(h.deps.db, h.deps.cipher, u.id);
    expect(snapshot!.state.step).toBe('name');
    // Meanwhile the name is answered elsewhere.
    await h.text(u, 'Ola');
    expect(await h.step(u)).toBe('category');

    const later = createLater(h.deps.logger);
    const res = await applyIntakeInput(h.deps, later, { telegramUserId: u.id, chatId: u.id }, { kind: 'command', name: 'repeat' }, { snapshot });
    await later.drain();
    // Not the stale name question: the current one, with the name kept.
    expect(res!.state.step).toBe('category');
    const stored = await loadSession(h.deps.db, h.deps.cipher, u.id);
    expect(stored!.state).toMatchObject({ step: 'category', answers: { name: 'Ola' } });
    expect((await h.click(u, 'Housing')).at(-1)!.text).toContain('In your own words');

    // A snapshot that saw no draft answers "no draft" without touching the database.
    expect(await applyIntakeInput(h.deps, later, { telegramUserId: 7005, chatId: 7005 }, { kind: 'text', text: 'hi' }, { snapshot: null })).toBeNull();
  });
});
