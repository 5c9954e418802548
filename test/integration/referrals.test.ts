import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLACK_WAIT } from '../helpers/waits.js';
import { and, eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Update } from 'telegraf/types';
import { auditLog, deliveries, referralConsents, referrals, resources } from '../../src/db/schema.js';
import { createBot, type TelegramBot } from '../../src/telegram/telegram.bot.js';
import { REFERRAL_CONSENT_VERSION } from '../../src/referrals/referrals.domain.js';
import { buildCaseExport } from '../../src/cases/case-export.service.js';
import { renderExportMarkdown } from '../../src/cases/case-export.render.js';
import { anonymiseCases } from '../../src/clients/erasure-wipe.js';
import { scanDatabase } from '../helpers/personal-data-scan.js';
import { blockText, caseCommand, createSlackWorld, dm, flush, newCase, U, type SlackWorld } from './slack-harness.js';
import { actorAudit } from '../helpers/audit.js';

/**
 * Referrals end to end: admins keep the resource directory (`/case resources …`,
 * a zod-checked modal); a worker records a referral (`/case C-… refer`); the
 * client is asked in Telegram, in their language, whether their details may
 * be shared and answers with a button (a receipt with the agreement's
 * version); after REFERRAL_FOLLOWUP_DAYS the worker is asked for the outcome,
 * which then shows on the case card; the export carries the referrals and
 * erasure blanks their reasons.
 */
let w: SlackWorld;
let bot: TelegramBot;
beforeAll(async () => {
  w = await createSlackWorld({ env: { REFERRAL_FOLLOWUP_DAYS: '14' } });
  bot = createBot(w.deps, { token: w.tg.token, apiRoot: w.tg.url, botInfo: w.tg.botInfo as never });
});
afterAll(async () => {
  await bot?.close();
  await w?.close();
});

const command = (user: string, text: string) => caseCommand(w, user, text);

async function openModal(user: string, text: string) {
  const before = w.slack.openViews(user).length;
  expect((await w.driver.slashCommand({ command: '/case', text, userId: user })).status).toBe(200);
  await expect.poll(() => w.slack.openViews(user).length > before, { ...SLACK_WAIT, message: `the modal of /case ${text}` }).toBeTruthy();
  return w.slack.openViews(user).at(-1)!;
}

/** The client presses a button on their latest message that has it (the real bot handles the update). */
function buttonOf(chat: number, label: string): { messageId: number; data: string } {
  const m = [...w.tg.messages(chat)].reverse().find((x) => x.reply_markup?.inline_keyboard.flat().some((b) => b.text === label));
  if (!m) throw new Error(`no button ${label}`);
  return { messageId: m.message_id, data: m.reply_markup!.inline_keyboard.flat().find((b) => b.text === label)!.callback_data! };
}

async function clientPress(chat: number, b: { messageId: number; data: string }) {
  const got = new Promise<unknown>((resolve) => w.tg.once('update', resolve));
  const clicked = w.tg.clickButton({ id: chat, first_name: 'Client' } as never, b.messageId, b.data, { force: true });
  await bot.bot.handleUpdate((await got) as Update);
  await clicked;
  await bot.settle();
}

const REASON = 'Needs legal advice about the custody hearing on 14 January';
const VERBAL = 'Agreed on the phone on 23 Nov; no Telegram that week';
let resourceId: string;

describe('the resource directory', () => {
  it('only admins change it; a worker is refused (audited)', async () => {
    expect(await command(U.worker, 'resources add')).toContain('only admins');
    expect(await actorAudit(w.deps.db, w.staff.worker, 'resource.refused')).toHaveLength(1);
  });

  it('the admin modal answers each bad field, keeps the modal open, then saves (audited)', async () => {
    const view = await openModal(U.admin, 'resources add');
    const bad = await w.driver.viewSubmission(U.admin, view.id, {
      name: { v: 'X' },
      categories: { v: [] },
      languages: { v: 'English!' },
      email: { v: 'not-an-email' },
    });
    expect(bad.body).toMatchObject({
      response_action: 'errors',
      errors: {
        name: expect.stringContaining('at least 2'),
        categories: expect.stringContaining('at least one category'),
        languages: expect.stringContaining('codes'),
        email: 'That is not an email address.',
      },
    });
    expect(w.slack.openViews(U.admin).map((v) => v.id)).toContain(view.id);
    const ok = await w.driver.viewSubmission(U.admin, view.id, {
      name: { v: 'Community Law Centre' },
      categories: { v: ['legal', 'family'] },
      languages: { v: 'en, zh, yue' },
      phone: { v: '+44 20 7946 0000' },
      website: { v: 'https://law.example.org' },
    });
    expect(ok).toMatchObject({ status: 200, body: '' });
    const [r] = await w.deps.db.select().from(resources);
    resourceId = r!.id;
    expect(r).toMatchObject({
      name: 'Community Law Centre',
      categories: ['legal', 'family'],
      languages: ['en', 'zh', 'yue'],
      phone: '+44 20 7946 0000',
      email: null,
      active: true,
    });
    expect(await w.deps.db.select().from(auditLog).where(eq(auditLog.action, 'resource.added'))).toHaveLength(1);
    expect(await command(U.worker, 'resources list legal')).toBe('Resources: 1');
    expect(blockText(w.slack.responseUrlPosts.at(-1)!.body.blocks as unknown[])).toContain('Community Law Centre');
  });
});

describe('a referral', () => {
  let c: Awaited<ReturnType<typeof newCase>>;
  let referralId: string;

  it('is recorded from the modal, the reason encrypted; the client is asked in their language and agrees with a button', async () => {
    c = await newCase(w, { assignTo: w.staff.worker, language: 'zh', name: '王芳' });
    const view = await openModal(U.worker, `${c.reference} refer`);
    const missing = await w.driver.viewSubmission(U.worker, view.id, { resource: { v: resourceId }, reason: { v: REASON }, share: { v: 'verbal' } });
    expect(missing.body).toMatchObject({ response_action: 'errors', errors: { verbalReason: expect.stringContaining('when and how the client agreed') } });
    expect((await w.driver.viewSubmission(U.worker, view.id, { resource: { v: resourceId }, reason: { v: REASON }, share: { v: 'ask_client' } })).body).toBe(
      '',
    );
    const [r] = await w.deps.db.select().from(referrals).where(eq(referrals.caseId, c.caseId));
    referralId = r!.id;
    expect(r).toMatchObject({ resourceId, shareDetails: true, consentState: 'asked', outcome: null });
    expect(r!.reasonEnc).not.toContain('custody');
    expect(w.deps.cipher.decrypt(r!.reasonEnc, 'referrals.reason')).toBe(REASON);

    const sent = (await flush(w)).filter((s) => !s.outcome.startsWith('wait:'));
    expect(sent.filter((s) => s.kind === 'referral_consent')).toEqual([{ kind: 'referral_consent', outcome: 'sent' }]);
    const asked = w.tg.messages(c.chat).at(-1)!;
    expect(asked.text).toContain('Community Law Centre');
    expect(asked.text).toContain(`资料分享同意书 ${REFERRAL_CONSENT_VERSION}`);
    const no = buttonOf(c.chat, '不，请不要分享');
    await clientPress(c.chat, buttonOf(c.chat, '可以，请分享'));
    expect(w.tg.messages(c.chat).at(-1)!.text).toBe('谢谢。您的资料只会用于这次转介。');
    const receipts = await w.deps.db.select().from(referralConsents).where(eq(referralConsents.referralId, referralId));
    expect(receipts).toHaveLength(1);
    expect(receipts[0]).toMatchObject({ consentVersion: REFERRAL_CONSENT_VERSION, language: 'zh', method: 'client_button', declinedAt: null });
    expect(receipts[0]!.givenAt).toBeInstanceOf(Date);
    // A second press (the other button of the same question) changes nothing.
    await clientPress(c.chat, no);
    expect(w.tg.messages(c.chat).at(-1)!.text).toBe('您已经回答过这个问题了，谢谢。');
    expect(await w.deps.db.select().from(referralConsents).where(eq(referralConsents.referralId, referralId))).toHaveLength(1);
    expect((await w.deps.db.select().from(referrals).where(eq(referrals.id, referralId)))[0]!.consentState).toBe('given');
    // The client's own copy of their data lists the receipt.
    await bot.bot.handleUpdate((await w.tg.sendCommand({ id: c.chat, first_name: 'Client' } as never, 'mydata')) as unknown as Update);
    await bot.settle();
    expect(
      w.tg
        .messages(c.chat)
        .map((m) => m.text)
        .join('\n'),
    ).toContain(`同意把您的资料分享给Community Law Centre（资料分享同意书 ${REFERRAL_CONSENT_VERSION}）`);
  });

  it('the follow-up nudge asks the worker after REFERRAL_FOLLOWUP_DAYS, not before; the outcome shows on the card', async () => {
    const start = w.deps.clock.now();
    w.deps.clock.set(start.plus({ days: 14 }).minus({ minutes: 1 }));
    expect((await flush(w)).filter((s) => s.kind === 'referral_followup')).toEqual([]);
    w.deps.clock.set(start.plus({ days: 14 }));
    expect((await flush(w)).filter((s) => s.kind === 'referral_followup' && s.outcome === 'sent')).toHaveLength(1);
    const nudge = dm(w, U.worker).find((m) => m.text.startsWith(`Referral follow-up for ${c.reference}`))!;
    expect(nudge.text).toContain('Community Law Centre');
    expect(nudge.text).not.toContain('custody');
    await w.driver.blockAction(U.worker, { channel: nudge.channel, ts: nudge.ts }, 'referral_outcome_reached');
    await expect
      .poll(async () => (await w.deps.db.select().from(referrals).where(eq(referrals.id, referralId)))[0]!.outcome === 'reached', {
        ...SLACK_WAIT,
        message: 'the outcome',
      })
      .toBeTruthy();
    await command(U.worker, c.reference);
    const card = blockText(w.slack.responseUrlPosts.at(-1)!.body.blocks as unknown[]);
    expect(card).toContain('*Referrals*');
    expect(card).toContain('Community Law Centre');
    expect(card).toContain('*Reached them*');
    expect(card).toContain('client agreed to sharing');
    expect(await actorAudit(w.deps.db, w.staff.worker, 'referral.outcome')).toHaveLength(1);
    // Answered: no further nudge, whatever the clock.
    w.deps.clock.set(start.plus({ days: 60 }));
    expect((await flush(w)).filter((s) => s.kind === 'referral_followup')).toEqual([]);
    expect(
      await w.deps.db
        .select()
        .from(deliveries)
        .where(and(eq(deliveries.kind, 'referral_followup'), eq(deliveries.subjectId, referralId))),
    ).toHaveLength(1);
  });

  it('a verbal agreement is a receipt too; the export carries the referrals; erasure blanks their reasons', async () => {
    const view = await openModal(U.worker, `${c.reference} refer`);
    expect(
      (
        await w.driver.viewSubmission(U.worker, view.id, {
          resource: { v: resourceId },
          reason: { v: 'Second referral: tenancy papers' },
          share: { v: 'verbal' },
          verbalReason: { v: VERBAL },
        })
      ).body,
    ).toBe('');
    const [second] = await w.deps.db
      .select()
      .from(referrals)
      .where(and(eq(referrals.caseId, c.caseId), eq(referrals.consentState, 'given'), eq(referrals.followUpVersion, 1)))
      .orderBy(referrals.createdAt)
      .offset(1);
    const [k] = await w.deps.db.select().from(referralConsents).where(eq(referralConsents.referralId, second!.id));
    expect(k).toMatchObject({ method: 'verbal', consentVersion: REFERRAL_CONSENT_VERSION, language: 'zh', recordedBy: w.staff.worker });
    expect(w.deps.cipher.decrypt(k!.verbalReasonEnc!, 'referral_consents.verbal_reason')).toBe(VERBAL);

    const x = await buildCaseExport(w.deps, c.caseId, { id: w.staff.worker, displayName: 'Wen Li' });
    expect(x!.referrals.map((r) => [r.resource, r.reason, r.outcome, r.consent?.method])).toEqual([
      ['Community Law Centre', REASON, 'reached', 'client_button'],
      ['Community Law Centre', 'Second referral: tenancy papers', null, 'verbal'],
    ]);

    const md = renderExportMarkdown(x!);
    expect(md).toContain('## Referrals');
    expect(md).toContain(`sharing agreement version ${REFERRAL_CONSENT_VERSION} (zh, verbal)`);
    expect(md).toContain(`> ${REASON}`);

    const needles = { strings: [REASON, 'tenancy papers', VERBAL], numbers: [] };
    const before = await scanDatabase(w.deps.db, w.deps.cipher, needles);
    expect(new Set(before.hits.map((h) => `${h.table}.${h.column}`))).toEqual(new Set(['referrals.reason_enc', 'referral_consents.verbal_reason_enc']));
    await w.deps.db.transaction((tx) => anonymiseCases(tx, w.deps.cipher, [c.caseId], DateTime.fromISO('2027-01-01T00:00:00Z'), 'erasure'));
    expect((await scanDatabase(w.deps.db, w.deps.cipher, needles)).hits).toEqual([]);
    // The referral itself stays (to whom, when, consent version, outcome): only the words go.
    expect(await w.deps.db.select().from(referrals).where(eq(referrals.caseId, c.caseId))).toHaveLength(2);
  });
});
