import { describe, expect, it, vi } from 'vitest';
import { E2E_WAIT } from '../helpers/waits.js';
import { eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { auditLog, cases } from '../../src/db/schema.js';
import { allText, useE2E, STAFF } from './e2e-harness.js';
import { assign, englishIntake } from './e2e-flows.js';
import { caseAudit } from '../helpers/audit.js';

/**
 * Issue 12, part 1: the client's whole intake reaches the people who act on
 * it. Telegram intake through the real bot → intake card → the supervisor
 * assigns Wen → [Full intake] on Wen's DM card opens every answer; Sam (her
 * supervisor) and Ada (admin) read it with `/case C-… intake`; Kai (another
 * worker) is refused with exactly the words a case that does not exist gets.
 * Every opening is in the audit log; the channel card never shows the story.
 */
const e = useE2E();

const client = { id: 9_200_001, first_name: 'Mei', language_code: 'en' };
const STORY = `My landlord wants me out by the end of the month and I have two children. ${'We have nowhere else to go. '.repeat(60)}`;

/** Everything said to this person through response_url or an ephemeral message. */
const answers = (user: string) => [
  ...e.slack.responseUrlPosts.filter((p) => p.context.user === user).map((p) => String(p.body.text ?? '')),
  ...e.slack.ephemerals({ user }).map((m) => m.text),
];
async function nextAnswer(user: string, before: number): Promise<string> {
  return vi.waitUntil(() => answers(user).length > before && answers(user).at(-1), E2E_WAIT);
}
async function newView(user: string, before: number) {
  return vi.waitUntil(() => e.slack.openViews(user).length > before && e.slack.openViews(user).at(-1), E2E_WAIT);
}
const viewText = (v: { blocks?: unknown[] }) => JSON.stringify(v.blocks ?? []);

const EXPECTED = [
  '*Name they gave*\\nMei',
  '*What it is about*\\nHousing',
  'My landlord wants me out by the end of the month and I have two children.',
  '*What they would like to be different*\\nA safe place to live.',
  '*Who can support them*\\nMy sister, sometimes.',
  '*What has helped, what they are good at*\\n_skipped_',
  '*How soon*\\nThis week',
  '*When to reach them*\\nEvenings',
  '*Time zone*\\nEurope/London',
  '*Language*\\nEnglish',
  '*Safety check*\\nSaid they are safe',
  '*Service agreement*\\nversion 2026-11-v1',
];

describe('the full intake in Slack', () => {
  let reference = '';
  let caseId = '';

  it('is read by the assigned worker from [Full intake] on the DM card: every answer, long ones split, audited', async () => {
    reference = await englishIntake(e, client, STORY.trim());
    const dmCard = await assign(e, reference);
    caseId = (await e.deps.db.select().from(cases).where(eq(cases.reference, reference)))[0]!.id;

    // The card itself shows the story clipped, with the buttons to read on; the channel card never shows it.
    const card = allText(dmCard);
    expect(card).toContain('*At intake the client said:*');
    expect(card).toContain('“My landlord wants me out by the end of the month and I have two children.');
    expect(card).not.toContain(
      'nowhere else to go. We have nowhere else to go. We have nowhere else to go. We have nowhere else to go. We have nowhere else to go. We have nowhere else to go. We have nowhere else to go. We have nowhere else to go.',
    );
    expect(card).toContain('"action_id":"case_full_intake"');
    expect(card).toContain('"action_id":"case_history"');
    expect(card).toContain('*Category:* Housing');
    const intakeCard = e.slack.messages(e.deps.config.SLACK_INTAKE_CHANNEL!).find((m) => allText(m).includes(reference))!;
    expect(allText(intakeCard)).not.toContain('landlord');

    const before = e.slack.openViews(STAFF.wen).length;
    await e.driver.blockAction(STAFF.wen, { channel: dmCard.channel, ts: dmCard.ts }, 'case_full_intake');
    const view = await newView(STAFF.wen, before);
    const text = viewText(view);
    for (const s of EXPECTED) expect(text).toContain(s);
    // The story (≈1,700 characters) is there in full; every section is within Block Kit's 3,000.
    const sections = (view.blocks as Array<{ type: string; text?: { text: string } }>).filter((b) => b.type === 'section');
    const story = sections.map((b) => b.text!.text).join('\n');
    expect(story).toContain(STORY.trim().slice(-200));
    for (const b of sections) expect([...b.text!.text].length).toBeLessThanOrEqual(3000);
    const audit = await caseAudit(e.deps.db, caseId, 'case.intake_viewed');
    expect(audit.map((a) => a.actorId)).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain('landlord');
  });

  it("is read by the worker's supervisor and by an admin with `/case C-… intake`, each audited", async () => {
    for (const who of [STAFF.sam, STAFF.ada]) {
      const before = e.slack.openViews(who).length;
      await e.driver.slashCommand({ userId: who, command: '/case', text: `${reference} intake` });
      expect(viewText(await newView(who, before))).toContain('My sister, sometimes.');
    }
    const audit = await caseAudit(e.deps.db, caseId, 'case.intake_viewed');
    expect(audit).toHaveLength(3);
  });

  it('is refused to another worker with the very words a case that does not exist gets, and nothing is opened or audited', async () => {
    const views = e.slack.openViews(STAFF.kai).length;
    let before = answers(STAFF.kai).length;
    await e.driver.slashCommand({ userId: STAFF.kai, command: '/case', text: `${reference} intake` });
    const refusedReal = await nextAnswer(STAFF.kai, before);
    before = answers(STAFF.kai).length;
    const missing = reference.replace(/\d{4}$/, '9999');
    await e.driver.slashCommand({ userId: STAFF.kai, command: '/case', text: `${missing} intake` });
    const refusedMissing = await nextAnswer(STAFF.kai, before);
    expect(refusedReal).toBe(
      `I can't show case ${reference}: there is no such case among the ones you can see. Check the reference (it looks like C-2026-0042); if it is a colleague's case, ask your supervisor.`,
    );
    expect(refusedMissing).toBe(refusedReal.replace(reference, missing));

    // A forged [Full intake] press (the real case id vs an id that exists nowhere): the same words exactly.
    const dmCard = e.slack.messages(STAFF.wen).find((m) => allText(m).includes('case_full_intake'))!;
    before = answers(STAFF.kai).length;
    await e.driver.blockAction(STAFF.kai, { channel: dmCard.channel, ts: dmCard.ts }, 'case_full_intake', caseId);
    const forgedReal = await nextAnswer(STAFF.kai, before);
    before = answers(STAFF.kai).length;
    await e.driver.blockAction(STAFF.kai, { channel: dmCard.channel, ts: dmCard.ts }, 'case_full_intake', randomUUID());
    const forgedMissing = await nextAnswer(STAFF.kai, before);
    expect(forgedReal).toBe(forgedMissing);
    expect(forgedReal).toMatch(/^I can't show case: there is no such case among the ones you can see/);
    expect(e.slack.openViews(STAFF.kai)).toHaveLength(views);
    const audit = await caseAudit(e.deps.db, caseId, 'case.intake_viewed');
    expect(audit).toHaveLength(3);
  });

  it('[History] lists notes and client messages newest first, ten a page, and turns the page; each page audited', async () => {
    for (let i = 1; i <= 11; i++) {
      e.deps.clock.advance({ minutes: 1 });
      await e.say(client, `Message number ${i} from me`);
    }
    await expect
      .poll(async () => (await caseAudit(e.deps.db, caseId, 'note.client_message')).length === 11, { ...E2E_WAIT, message: 'the messages to be kept' })
      .toBeTruthy();
    const dmCard = e.slack.messages(STAFF.wen).find((m) => allText(m).includes('case_history') && allText(m).includes(reference))!;
    await e.driver.blockAction(STAFF.wen, { channel: dmCard.channel, ts: dmCard.ts }, 'case_history');
    const first = await vi.waitUntil(() => e.slack.openViews(STAFF.wen).find((v) => viewText(v).includes(`History — ${reference}`)), E2E_WAIT);
    const t1 = viewText(first);
    expect(t1).toContain('Page 1 of 2 (11 in all)');
    expect(t1.indexOf('Message number 11')).toBeLessThan(t1.indexOf('Message number 10'));
    expect(t1).not.toContain('Message number 1 from me');
    expect(t1).toContain('✉️ Message from the client');
    await e.driver.blockAction(STAFF.wen, { viewId: first.id }, 'case_history_page');
    const second = await vi.waitUntil(
      () => e.slack.view(first.id) && viewText(e.slack.view(first.id)!).includes('Page 2 of 2') && e.slack.view(first.id),
      E2E_WAIT,
    );
    expect(viewText(second)).toContain('Message number 1 from me');
    const audit = await caseAudit(e.deps.db, caseId, 'case.history_viewed').orderBy(auditLog.id);
    expect(audit.map((a) => a.details)).toEqual([
      { via: 'slack', page: 0 },
      { via: 'slack', page: 1 },
    ]);
  });
});
