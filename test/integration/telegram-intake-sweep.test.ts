import type { Job } from 'bullmq';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { beforeEach, describe, expect, it } from 'vitest';
import { intakeSweepProcessor } from '../../workers/processors/intake-sweep.processor.js';
import { callbackTokens, deliveries, intakeSessions } from '../../src/db/schema.js';
import { sendDelivery } from '../../src/delivery/send.service.js';
import type { Deps } from '../../src/deps.js';
import type { SimUser } from '../../src/sandbox/telegram-emulator.js';
import { useHarness } from './telegram-harness.js';
import { makeCase, makeClient, stamped } from '../helpers/factories.js';

/**
 * The intake sweep's messages (the idle nudge, the notice that a draft was
 * deleted) are ledger rows sent by the delivery worker: once however often the
 * sweep and the send run, tracked so /exit deletes them, worded for discreet
 * mode in every language. And a draft that ends any way leaves no button
 * tokens behind.
 */
const h = useHarness();
// Each test sweeps only its own drafts (the sweep counts every draft in the database).
beforeEach(async () => {
  await h.deps.db.delete(intakeSessions);
  await h.deps.db.delete(deliveries).where(and(inArray(deliveries.kind, ['intake_nudge', 'intake_expired']), eq(deliveries.status, 'pending')));
});

async function sweep() {
  return intakeSweepProcessor.process({}, { deps: h.deps, job: {} as Job });
}

const INTAKE_KINDS = ['intake_nudge', 'intake_expired'];

/** What the delivery worker does with due rows: send each through the real sender (to the emulator). */
async function sendDue(deps: Deps = h.deps): Promise<string[]> {
  const rows = await h.deps.db
    .select()
    .from(deliveries)
    .where(and(eq(deliveries.status, 'pending'), inArray(deliveries.kind, INTAKE_KINDS), sql`${deliveries.dueAt} <= ${h.deps.clock.now().toJSDate()}`));
  const out: string[] = [];
  for (const r of rows) {
    const res = await sendDelivery(deps, r.id, { finalAttempt: true });
    out.push(`${r.kind}:${res.kind}`);
  }
  return out;
}

const rowsFor = (chatId: number) =>
  h.deps.db
    .select()
    .from(deliveries)
    .where(eq(deliveries.recipient, `client:tg:${chatId}`));
const tokensOf = async (chatId: number) => (await h.deps.db.select().from(callbackTokens).where(eq(callbackTokens.chatId, chatId))).length;

async function toSafetyStep(user: SimUser, lang: 'English' | '中文' = 'English') {
  await h.command(user, '/start');
  await h.click(user, lang);
  await h.click(user, lang === 'English' ? 'I agree' : '我同意');
}

/** At `iso` on the clock, the user walks to the safety step and leaves it there; returns that moment. */
async function safetyStepAt(iso: string, user: SimUser): Promise<DateTime> {
  const start = DateTime.fromISO(iso);
  h.deps.clock.set(start);
  await toSafetyStep(user);
  return start;
}

describe('idle intake drafts', () => {
  it('one gentle nudge after 24 h idle (not in quiet hours), the draft deleted after 7 days', async () => {
    const user = { id: 3301, first_name: 'Idle', language_code: 'en' };
    const start = await safetyStepAt('2026-11-23T09:00:00Z', user);
    const sentBefore = h.messages(user).length;

    h.deps.clock.set(start.plus({ hours: 23 }));
    expect(await sweep()).toMatchObject({ status: 'done', nudged: 0 });

    // 24 h later it is 09:00 in London: a nudge, once
    h.deps.clock.set(start.plus({ hours: 24, minutes: 1 }));
    expect(await sweep()).toMatchObject({ nudged: 1, expired: 0 });
    expect(await sendDue()).toEqual(['intake_nudge:sent']);
    expect(h.last(user).text).toContain('everything you wrote is saved');
    h.deps.clock.set(start.plus({ hours: 30 }));
    expect(await sweep()).toMatchObject({ nudged: 0 });
    expect(await sendDue()).toEqual([]);
    expect(h.messages(user)).toHaveLength(sentBefore + 1);
    expect(await h.step(user)).toBe('safety');

    // after 7 days without activity the draft is deleted and the client told
    h.deps.clock.set(start.plus({ days: 7, minutes: 1 }));
    expect(await sweep()).toMatchObject({ expired: 1 });
    expect(await h.step(user)).toBeUndefined();
    expect(await sendDue()).toEqual(['intake_expired:sent']);
    expect(h.last(user).text).toContain("I've deleted your unfinished request");
    expect((await rowsFor(user.id)).map((r) => [r.kind, r.status, r.caseId])).toEqual([
      ['intake_nudge', 'sent', null],
      ['intake_expired', 'sent', null],
    ]);
  });

  it("never nudges in the client's quiet hours; the next sweep after them does", async () => {
    const start = DateTime.fromISO('2026-12-01T22:30:00Z'); // 22:30 in London
    h.deps.clock.set(start);
    const user = { id: 3302, first_name: 'Night', language_code: 'en' };
    await h.command(user, '/start');
    h.deps.clock.set(start.plus({ hours: 24, minutes: 5 }));
    expect(await sweep()).toMatchObject({ nudged: 0, deferredQuietHours: 1 });
    expect(await rowsFor(user.id)).toEqual([]);
    h.deps.clock.set(DateTime.fromISO('2026-12-03T08:30:00Z'));
    expect(await sweep()).toMatchObject({ nudged: 1 });
  });

  it('the nudge is one ledger row: two sweeps and two sends at the same moment put one message on screen, and /exit deletes it', async () => {
    const user = { id: 3303, first_name: 'Twice', language_code: 'en' };
    const start = await safetyStepAt('2026-12-07T09:00:00Z', user);
    const before = h.messages(user).length;
    h.deps.clock.set(start.plus({ hours: 25 }));
    // Two workers run the sweep at once (a stalled job run again), then both send jobs run.
    const [a, b] = await Promise.all([sweep(), sweep()]);
    expect(Number(a.nudged) + Number(b.nudged)).toBe(1);
    const [row] = await rowsFor(user.id);
    expect(await rowsFor(user.id)).toHaveLength(1);
    await Promise.all([sendDelivery(h.deps, row!.id, { finalAttempt: true }), sendDelivery(h.deps, row!.id, { finalAttempt: true })]);
    expect(await sendDue()).toEqual([]);
    const nudges = h.messages(user).slice(before);
    expect(nudges.map((m) => m.text)).toEqual([expect.stringContaining('everything you wrote is saved')]);
    const [sent] = await rowsFor(user.id);
    expect(sent).toMatchObject({ status: 'sent', externalRef: String(nudges[0]!.message_id) });

    await h.command(user, '/exit');
    expect(h.tg.history(user.id).find((m) => m.message_id === nudges[0]!.message_id)!.deleted).toBe(true);
    expect(h.tg.history(user.id).filter((m) => !m.deleted)).toEqual([]);
  });

  it('discreet mode: the nudge and the expiry notice name nothing, in English and in Chinese', async () => {
    const discreet = { ...h.deps, config: { ...h.deps.config, DISCREET_MODE: true } } as Deps;
    const start = DateTime.fromISO('2026-12-14T09:00:00Z');
    h.deps.clock.set(start);
    const en = { id: 3304, first_name: 'Quiet', language_code: 'en' };
    const zh = { id: 3305, first_name: '静', language_code: 'zh' };
    await toSafetyStep(en);
    await toSafetyStep(zh, '中文');
    h.deps.clock.set(start.plus({ hours: 25 }));
    expect(await sweep()).toMatchObject({ nudged: 2 });
    expect((await sendDue(discreet)).sort()).toEqual(['intake_nudge:sent', 'intake_nudge:sent']);
    expect(h.last(en).text).toBe("Hello again. Send /start whenever you're ready.");
    expect(h.last(zh).text).toBe('您好。准备好了随时发送 /start。');
    h.deps.clock.set(start.plus({ days: 7, minutes: 1 }));
    expect(await sweep()).toMatchObject({ expired: 2 });
    expect((await sendDue(discreet)).sort()).toEqual(['intake_expired:sent', 'intake_expired:sent']);
    expect(h.last(en).text).toBe("It's been a while, so what you started here was deleted. Send /start to begin again.");
    expect(h.last(zh).text).toBe('已经有一段时间了，您在这里开始的内容已删除。想重新开始时，随时发送 /start。');
    for (const m of [h.last(en).text, h.last(zh).text]) expect(m).not.toMatch(/request|申请|service|服务/i);
  });

  it('a nudge planned before the client came back is not sent', async () => {
    const user = { id: 3306, first_name: 'Back', language_code: 'en' };
    const start = await safetyStepAt('2026-12-21T09:00:00Z', user);
    h.deps.clock.set(start.plus({ hours: 25 }));
    expect(await sweep()).toMatchObject({ nudged: 1 });
    await h.click(user, "Yes, I'm safe");
    const before = h.messages(user).length;
    expect(await sendDue()).toEqual(['intake_nudge:skipped']);
    expect(h.messages(user)).toHaveLength(before);
    expect((await rowsFor(user.id))[0]).toMatchObject({ status: 'skipped', reason: 'intake_resumed' });
  });
});

describe('button tokens end with the draft', () => {
  it('"Not now" at the agreement leaves no token rows for the chat', async () => {
    const user = { id: 3401, first_name: 'Later', language_code: 'en' };
    await h.command(user, '/start');
    await h.click(user, 'English');
    expect(await tokensOf(user.id)).toBeGreaterThan(0);
    await h.click(user, 'Not now');
    expect(await h.step(user)).toBeUndefined();
    expect(await tokensOf(user.id)).toBe(0);
  });

  it('/cancel, /forget and expiry leave none either', async () => {
    const cancel = { id: 3402, first_name: 'Cancel', language_code: 'en' };
    await toSafetyStep(cancel);
    await h.command(cancel, '/cancel');
    expect(await tokensOf(cancel.id)).toBe(0);

    const forget = { id: 3403, first_name: 'Forget', language_code: 'en' };
    await toSafetyStep(forget);
    await h.command(forget, '/forget');
    await h.click(forget, 'Yes, delete it');
    expect(await h.step(forget)).toBeUndefined();
    expect(await tokensOf(forget.id)).toBe(0);

    const idle = { id: 3404, first_name: 'Gone', language_code: 'en' };
    const start = await safetyStepAt('2027-01-04T09:00:00Z', idle);
    expect(await tokensOf(idle.id)).toBeGreaterThan(0);
    h.deps.clock.set(start.plus({ days: 7, minutes: 1 }));
    expect(await sweep()).toMatchObject({ expired: 1 });
    expect(await tokensOf(idle.id)).toBe(0);
  });

  it('/withdraw answered leaves neither confirmation button', async () => {
    const user = { id: 3405, first_name: 'Client', language_code: 'en' };
    const now = h.deps.clock.now();
    const client = await makeClient(h.deps.db, {
      telegramUserId: user.id,
      telegramChatId: user.id,
      language: 'en',
      timeZone: 'Europe/London',
      ...stamped(now.toJSDate()),
    });
    await makeCase(h.deps.db, { clientId: client.id, category: 'family', priority: 'normal' }, now);
    await h.command(user, '/withdraw');
    expect(await tokensOf(user.id)).toBe(2);
    await h.click(user, 'Yes, withdraw');
    expect(await tokensOf(user.id)).toBe(0);
  });
});

describe('erasure', () => {
  it("takes the chat id out of the intake notices' ledger rows (they become the erased client's); a waiting one is not sent", async () => {
    const { wipeClientIdentity } = await import('../../src/clients/erasure-wipe.js');
    const chat = 3501;
    const now = h.deps.clock.now();
    const client = await makeClient(h.deps.db, {
      telegramUserId: chat,
      telegramChatId: chat,
      language: 'en',
      timeZone: 'Europe/London',
      ...stamped(now.toJSDate()),
    });
    const t = now.toJSDate();
    await h.deps.db.insert(deliveries).values([
      {
        kind: 'intake_nudge',
        subjectId: '00000000-0000-4000-8000-000000003501',
        version: 1,
        recipient: `client:tg:${chat}`,
        channel: 'telegram',
        dueAt: t,
        status: 'sent',
        sentAt: t,
        createdAt: t,
        updatedAt: t,
      },
      {
        kind: 'intake_expired',
        subjectId: '00000000-0000-4000-8000-000000003501:en',
        recipient: `client:tg:${chat}`,
        channel: 'telegram',
        dueAt: t,
        createdAt: t,
        updatedAt: t,
      },
    ]);
    await h.deps.db.transaction((tx) => wipeClientIdentity(tx, client.id, now, 'Europe/London'));
    expect(await rowsFor(chat)).toEqual([]);
    const rows = await h.deps.db
      .select()
      .from(deliveries)
      .where(eq(deliveries.recipient, `client:${client.id}`));
    expect(rows.map((r) => [r.kind, r.status]).sort()).toEqual([
      ['intake_expired', 'skipped'],
      ['intake_nudge', 'sent'],
    ]);
  });
});
