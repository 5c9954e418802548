import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLACK_WAIT } from '../helpers/waits.js';
import { eq } from 'drizzle-orm';
import { auditLog, cases, deliveries } from '../../src/db/schema.js';
import { answersTo, blockText, createSlackWorld, dm, flush, INTAKE, newCase, nextAnswer, U, type SlackWorld, handOffCase } from './slack-harness.js';
import { blockActionBy } from '../helpers/slack-actions.js';

/**
 * Intake card → assignment → the worker's DM, through the real Bolt app
 * (signed requests), the real sender, PostgreSQL and the Slack emulator.
 */
let w: SlackWorld;
beforeAll(async () => {
  w = await createSlackWorld();
});
afterAll(async () => {
  await w?.close();
});

const runCaseCreated = (caseId: string, deps = w.deps) => handOffCase(caseId, deps);

async function postIntakeCard(o: Parameters<typeof newCase>[1] = {}) {
  const c = await newCase(w, o);
  expect(await runCaseCreated(c.caseId)).toMatchObject({ status: 'done' });
  await flush(w);
  const card = w.slack.messages(INTAKE).find((m) => m.text.includes(c.reference))!;
  return { ...c, card };
}

describe('intake card', () => {
  it('is posted to the intake channel with safe fields only and the assign buttons', async () => {
    const { card, reference } = await postIntakeCard({ name: 'Mei Chen', story: 'My son stopped talking to me after the divorce' });
    expect(card.text).toBe(`New case ${reference} (Family, Normal)`);
    const text = blockText(card.blocks);
    expect(text).toContain('*Category:* Family');
    expect(text).toContain('*Urgency:* This week');
    expect(text).toContain('Says they are safe');
    // Never the narrative, and no name unless configured safe.
    expect(text).not.toContain('divorce');
    expect(text).not.toContain('Mei');
    expect(text).toContain('"action_id":"intake_assign_me"');
    expect(text).toContain('"action_id":"intake_assign_pick"');
    // The card's ts is remembered so assignment can update it.
    const [row] = await w.deps.db.select().from(cases).where(eq(cases.reference, reference));
    expect(row).toMatchObject({ intakeCardChannel: INTAKE, intakeCardTs: card.ts });
  });

  it('marks a crisis case loudly', async () => {
    const { card, reference } = await postIntakeCard({ crisis: true });
    expect(card.text).toBe(`🚨 CRISIS — New case ${reference} (Family, 🚨 CRISIS)`);
    expect(blockText(card.blocks)).toContain('*🚨 CRISIS: the client reported danger.*');
  });

  it('shows the first name only when INTAKE_CARD_SAFE_FIELDS allows it', async () => {
    const named = await createSlackWorld({ env: { INTAKE_CARD_SAFE_FIELDS: 'first_name,language' } });
    try {
      const c = await newCase(named, { name: 'Mei Chen', language: 'zh' });
      await handOffCase(c.caseId, named.deps);
      await flush(named);
      const text = blockText(named.slack.messages(INTAKE)[0]!.blocks);
      expect(text).toContain('*First name:* Mei');
      expect(text).toContain('*Language:* Chinese');
      expect(text).not.toContain('Chen');
    } finally {
      await named.close();
    }
  });

  it('without SLACK_INTAKE_CHANNEL the hand-off is a recorded no-op', async () => {
    const quiet = await createSlackWorld({ env: { SLACK_INTAKE_CHANNEL: '' } });
    try {
      const c = await newCase(quiet);
      expect(await handOffCase(c.caseId, quiet.deps)).toEqual({
        status: 'skipped',
        reason: 'no_intake_channel',
      });
      expect(await quiet.deps.db.select().from(deliveries)).toEqual([]);
      const audit = await quiet.deps.db.select().from(auditLog).where(eq(auditLog.caseId, c.caseId));
      expect(audit.map((a) => [a.action, a.details])).toEqual([['case.handoff_skipped', { reason: 'no_intake_channel' }]]);
    } finally {
      await quiet.close();
    }
  });
});

describe('assignment', () => {
  it('[Assign to me] assigns, updates the card, and DMs the worker the full case card', async () => {
    const { card, reference, caseId } = await postIntakeCard();
    const before = answersTo(w, U.worker).length;
    const res = await w.driver.blockAction(U.worker, { channel: INTAKE, ts: card.ts }, 'intake_assign_me');
    expect(res).toMatchObject({ status: 200, body: '' });
    expect(await nextAnswer(w, U.worker, before)).toBe(`${reference} is now assigned to you. The case card is on its way to your DM.`);
    const [row] = await w.deps.db.select().from(cases).where(eq(cases.id, caseId));
    expect(row).toMatchObject({ assignedWorkerId: w.staff.worker, phase: 'assessment' });
    // The card in the channel now says who has it (still no narrative).
    const updated = w.slack.messages(INTAKE).find((m) => m.ts === card.ts)!;
    expect(updated.text).toBe(`New case ${reference} (Family, Normal) — assigned to <@${U.worker}>`);

    expect(await flush(w)).toEqual([{ kind: 'assignment_dm', outcome: 'sent' }]);
    const dmCard = dm(w, U.worker).find((m) => m.text.includes(reference))!;
    expect(dmCard.text).toBe(`You have been assigned Case ${reference} (Mei): Assessment`);
    const text = blockText(dmCard.blocks);
    for (const s of [
      '*Client:* Mei',
      '*Phase:* Assessment',
      '*Type:* _not set_',
      '⚠️ Goal — *missing*',
      '⚠️ Plan — *missing*',
      '⚠️ How it will be assessed — *missing*',
      '⚠️ Self-help focus — *missing*',
      '*Last note:* _none yet_',
      '*Next follow-up:* _not set_',
      '*Next appointment:* _none booked_',
    ])
      expect(text).toContain(s);
    for (const a of ['case_log_note', 'case_schedule', 'case_goals', 'case_phase', 'case_message', 'case_close']) expect(text).toContain(`"action_id":"${a}"`);
    // Client messages will be threaded under this card.
    const [after] = await w.deps.db.select().from(cases).where(eq(cases.id, caseId));
    expect(after).toMatchObject({ slackChannel: dmCard.channel, slackThreadTs: dmCard.ts });
    const audit = await w.deps.db.select().from(auditLog).where(eq(auditLog.caseId, caseId));
    expect(audit.map((a) => a.action)).toContain('case.assigned');
  });

  it('[Assign…] lets a supervisor give the case to a worker of their team; reassigning later DMs the new worker', async () => {
    const { card, reference, caseId } = await postIntakeCard();
    let before = answersTo(w, U.sup).length;
    await w.driver.blockAction(U.sup, { channel: INTAKE, ts: card.ts }, 'intake_assign_pick', U.worker2);
    expect(await nextAnswer(w, U.sup, before)).toBe(`${reference} is now assigned to <@${U.worker2}>. They get the case card in a DM.`);
    await flush(w);
    expect(dm(w, U.worker2).some((m) => m.text.includes(reference))).toBe(true);

    before = answersTo(w, U.sup).length;
    await w.driver.blockAction(U.sup, { channel: INTAKE, ts: card.ts }, 'intake_assign_pick', U.worker);
    expect(await nextAnswer(w, U.sup, before)).toBe(`${reference} is now assigned to <@${U.worker}>. They get the case card in a DM.`);
    await flush(w);
    expect(dm(w, U.worker).some((m) => m.text === `You have been assigned Case ${reference} (Mei): Assessment`)).toBe(true);
    const audit = await w.deps.db.select().from(auditLog).where(eq(auditLog.caseId, caseId));
    expect(audit.map((a) => a.action).filter((a) => a.startsWith('case.'))).toEqual(['case.intake_card_planned', 'case.assigned', 'case.reassigned']);
  });

  it("refuses: a worker assigning someone else, a worker taking another worker's case, a supervisor outside the team, and anyone not in the directory", async () => {
    const { card, reference, caseId } = await postIntakeCard();
    const cases_ = async () => (await w.deps.db.select().from(cases).where(eq(cases.id, caseId)))[0]!;

    let before = answersTo(w, U.worker).length;
    await w.driver.blockAction(U.worker, { channel: INTAKE, ts: card.ts }, 'intake_assign_pick', U.worker2);
    expect(await nextAnswer(w, U.worker, before)).toBe(
      'Sorry, only supervisors and admins can give a case to someone else. Use Assign to me to take it yourself.',
    );
    expect((await cases_()).assignedWorkerId).toBeNull();

    before = answersTo(w, U.sup2).length;
    await w.driver.blockAction(U.sup2, { channel: INTAKE, ts: card.ts }, 'intake_assign_pick', U.worker);
    expect(await nextAnswer(w, U.sup2, before)).toBe(`<@${U.worker}> is not in your team; only their own supervisor or an admin can give them cases.`);

    before = answersTo(w, U.stranger).length;
    await w.driver.blockAction(U.stranger, { channel: INTAKE, ts: card.ts }, 'intake_assign_me');
    expect(await nextAnswer(w, U.stranger, before)).toMatch(/^Sorry, you're not in this service's staff directory/);

    before = answersTo(w, U.sup).length;
    // The caseload picker lists only the directory: a forged pick of someone else is still refused.
    await w.driver.blockAction(U.sup, { channel: INTAKE, ts: card.ts }, 'intake_assign_pick', {
      value: U.stranger,
      text: { type: 'plain_text', text: 'forged' },
    });
    expect(await nextAnswer(w, U.sup, before)).toBe(
      `<@${U.stranger}> is not in the staff directory, so they cannot take cases. An admin can add them with \`/case staff add\`.`,
    );
    expect((await cases_()).assignedWorkerId).toBeNull();

    // Worker 1 takes it; worker 2 then tries to take it over.
    await w.driver.blockAction(U.worker, { channel: INTAKE, ts: card.ts }, 'intake_assign_me');
    await expect.poll(async () => (await cases_()).assignedWorkerId === w.staff.worker, { ...SLACK_WAIT, message: 'assignment' }).toBeTruthy();
    before = answersTo(w, U.worker2).length;
    // The card no longer offers [Assign to me]; a stale click (an old copy of the card) is still checked on the server.
    await expect
      .poll(() => !blockText(w.slack.messages(INTAKE).find((m) => m.ts === card.ts)!.blocks).includes('intake_assign_me'), {
        ...SLACK_WAIT,
        message: 'the card update',
      })
      .toBeTruthy();
    await w.driver.interaction({
      ...blockActionBy(w, U.worker2),
      channel: { id: INTAKE },
      container: { type: 'message', channel_id: INTAKE, message_ts: card.ts },
      response_url: w.slack.issueResponseUrl({ channel: INTAKE, user: U.worker2, message_ts: card.ts, kind: 'block_actions' }),
      actions: [{ type: 'button', action_id: 'intake_assign_me', block_id: `intake:${caseId}`, value: caseId, action_ts: '1' }],
    });
    expect(await nextAnswer(w, U.worker2, before)).toBe('This case is already assigned to someone else; only their supervisor or an admin can reassign it.');
    expect((await cases_()).assignedWorkerId).toBe(w.staff.worker);
    expect(reference).toMatch(/^C-2026-/);
  });
});
