import { describe, expect, it, vi } from 'vitest';
import { E2E_WAIT } from '../helpers/waits.js';
import { eq } from 'drizzle-orm';
import { appointments, cases, escalations } from '../../src/db/schema.js';
import { allText, useE2E, INTAKE, STAFF } from './e2e-harness.js';
import { englishIntake as intakeInEnglish } from './e2e-flows.js';

/**
 * Chain 1 of issue 6 through the whole service: a client's intake on Telegram
 * becomes an intake card in Slack, the supervisor assigns it, the worker books
 * an appointment, the client confirms from the reminder, the worker is asked
 * for the outcome and logs a note with a follow-up date; the follow-up passes,
 * the worker is nudged, then the supervisor escalated to.
 * Clock: Monday 23 Nov 2026 09:00 UTC (London = UTC in November).
 */
const e = useE2E();

const mei = { id: 9_100_001, first_name: 'Mei', language_code: 'en' };
const lin = { id: 9_100_002, first_name: '林', language_code: 'zh-hans' };

const englishIntake = () => intakeInEnglish(e, mei, 'My landlord wants me out by the end of the month and I have two children.');

describe('intake → card → assign → appointment → confirm → reminders → outcome → note → follow-up → nudge → escalation', () => {
  let reference = '';
  let caseId = '';

  it('English intake gives the client a reference and puts an intake card (no story) in #intake', async () => {
    reference = await englishIntake();
    const card = await e.slackSays(INTAKE, (_m, all) => all.includes(reference), 'the intake card');
    expect(allText(card)).toContain('Assign to me');
    // The channel sees what a worker needs to pick the case up, never the client's story.
    expect(allText(card)).not.toContain('landlord');
    const [row] = await e.deps.db.select().from(cases).where(eq(cases.reference, reference));
    caseId = row!.id;
    expect(row).toMatchObject({ category: 'housing', phase: 'intake', assignedWorkerId: null });
  });

  it('the supervisor assigns it to Wen, who gets the case card in a DM', async () => {
    const card = e.slack.messages(INTAKE).find((m) => allText(m).includes(reference))!;
    const res = await e.driver.blockAction(STAFF.sam, { channel: INTAKE, ts: card.ts }, 'intake_assign_pick', STAFF.wen);
    expect(res.status).toBe(200);
    const dmCard = await e.slackSays(STAFF.wen, (_m, all) => all.includes(reference) && all.includes('case_schedule'), "the case card in Wen's DM");
    expect(allText(dmCard)).toContain('Schedule appointment');
    const [row] = await e.deps.db.select().from(cases).where(eq(cases.id, caseId));
    expect(row!.assignedWorkerId).not.toBeNull();
  });

  it('Wen books Wednesday 10:00; the client is told in their time zone', async () => {
    const dmCard = e.slack.messages(STAFF.wen).find((m) => allText(m).includes(reference) && allText(m).includes('case_schedule'))!;
    await e.driver.blockAction(STAFF.wen, { channel: dmCard.channel, ts: dmCard.ts }, 'case_schedule');
    const view = await vi.waitUntil(() => e.slack.openViews(STAFF.wen).at(-1), E2E_WAIT);
    const res = await e.driver.viewSubmission(STAFF.wen, view.id, {
      date: { v: '2026-11-25' },
      time: { v: '10:00' },
      duration: { v: '60' },
      mode: { v: 'in_person' },
      location: { v: '12 High Street, room 2' },
    });
    expect(res).toMatchObject({ status: 200, body: '' });
    await e.botSays(mei, (t) => t.includes('Wednesday 25 November at 10:00'), 'the appointment notice');
    await e.slackSays(STAFF.wen, (m) => m.text.startsWith('📅') && m.text.includes(reference), 'the booking confirmation');
  });

  it('a day before, both are reminded; the client confirms and Wen hears it', async () => {
    await e.advance({ hours: 24, minutes: 59 }); // Tue 09:59: a minute early, nothing yet
    expect(e.tg.messages(mei.id).some((m) => m.text?.startsWith('Reminder:'))).toBe(false);
    await e.advance({ minutes: 1 }); // Tue 10:00, 24 h before
    const reminder = await e.botSays(mei, (t) => t.startsWith('Reminder: you have an appointment'), 'the client reminder');
    expect(reminder.reply_markup!.inline_keyboard.flat().map((b) => b.text)).toEqual(
      expect.arrayContaining(['Confirm', 'I need another time', "I can't come"]),
    );
    await e.slackSays(STAFF.wen, (_m, all) => /remind/i.test(all) && all.includes(reference), 'the worker reminder');
    await e.press(mei, 'Confirm');
    await e.botSays(mei, (t) => t.includes('You confirmed this appointment.'), 'the thanks');
    await e.advance({ minutes: 1 });
    await e.slackSays(STAFF.wen, (m) => m.text.includes('answered the reminder') && m.text.includes('confirmed'), "the client's answer");
    const [appt] = await e.deps.db.select().from(appointments).where(eq(appointments.caseId, caseId));
    expect(appt!.status).toBe('scheduled');
  });

  it('after the appointment Wen is asked for the outcome and logs a note with a follow-up date', async () => {
    await e.advance({ hours: 26 }); // Wed 12:01 (the clock moved 1 min for Wen's answer)
    const question = await e.slackSays(
      STAFF.wen,
      (_m, all) => all.includes('case_log_note') && all.includes(reference) && !all.includes('case_schedule'),
      'the outcome question',
    );
    await e.driver.blockAction(STAFF.wen, { channel: question.channel, ts: question.ts }, 'case_log_note');
    const view = await vi.waitUntil(() => e.slack.openViews(STAFF.wen).at(-1), E2E_WAIT);
    const res = await e.driver.viewSubmission(STAFF.wen, view.id, {
      case_ref: { v: reference },
      kind: { v: 'interview' },
      contact_date: { v: '2026-11-25' },
      contact_time: { v: '10:00' },
      text: { v: 'Met Mei; we agreed she will bring the tenancy letter.' },
      follow_up: { v: '2026-11-27' },
    });
    expect(res).toMatchObject({ status: 200, body: '' });
    await e.slackSays(STAFF.wen, (m) => m.text.startsWith('📝') && m.text.includes(reference), 'the note confirmation');
  });

  /** Advance in 6-hour steps (as a supervisor would watch the console) until a Slack message matches. */
  async function until(where: string, test: (all: string) => boolean, what: string, maxSteps = 16) {
    for (let i = 0; i < maxSteps; i++) {
      const hit = e.slack.messages(where).find((m) => test(allText(m)));
      if (hit) return hit;
      await e.advance({ hours: 6 });
    }
    throw new Error(`no ${what} after ${maxSteps * 6} hours`);
  }

  it('the follow-up passes with nothing logged: Wen is nudged, then Sam gets the escalation and acknowledges it', async () => {
    const nudge = await until(STAFF.wen, (all) => all.includes(reference) && all.includes('esc_snooze_day'), 'nudge to Wen');
    expect(allText(nudge)).toContain('Log note');
    expect(e.slack.messages(STAFF.sam).some((m) => allText(m).includes('esc_ack') && allText(m).includes(reference))).toBe(false);
    const esc = await until(STAFF.sam, (all) => all.includes(reference) && all.includes('esc_ack'), 'escalation to Sam');
    expect(esc.text).toContain('Escalation (level 1)');
    await e.driver.blockAction(STAFF.sam, { channel: esc.channel, ts: esc.ts }, 'esc_ack');
    await expect
      .poll(async () => (await e.deps.db.select().from(escalations).where(eq(escalations.caseId, caseId)))[0]?.acknowledgedAt, {
        ...E2E_WAIT,
        message: 'the acknowledgement',
      })
      .toBeTruthy();
  });

  it('a note logged by Wen resolves the escalation', async () => {
    const card = e.slack.messages(STAFF.wen).find((m) => allText(m).includes(reference) && allText(m).includes('case_schedule'))!;
    await e.driver.blockAction(STAFF.wen, { channel: card.channel, ts: card.ts }, 'case_log_note');
    const view = await vi.waitUntil(() => e.slack.openViews(STAFF.wen).at(-1), E2E_WAIT);
    const today = e.deps.clock.now().setZone('Europe/London');
    const res = await e.driver.viewSubmission(STAFF.wen, view.id, {
      case_ref: { v: reference },
      kind: { v: 'phone' },
      contact_date: { v: today.toISODate() },
      contact_time: { v: '09:00' },
      text: { v: 'Phoned Mei; the landlord agreed to wait while the council reviews.' },
      follow_up: { v: today.plus({ days: 7 }).toISODate() },
    });
    expect(res).toMatchObject({ status: 200, body: '' });
    await e.advance({ minutes: 1 });
    await expect
      .poll(async () => (await e.deps.db.select().from(escalations).where(eq(escalations.caseId, caseId)))[0]?.resolvedAt, {
        ...E2E_WAIT,
        message: 'the escalation resolved',
      })
      .toBeTruthy();
  });

  it("goals & plan, evaluation, closure; the client's /status then says closed", async () => {
    const open = async (actionId: string) => {
      const card = e.slack.messages(STAFF.wen).find((m) => allText(m).includes(reference) && allText(m).includes('case_schedule'))!;
      const before = e.slack.openViews(STAFF.wen).length;
      await e.driver.blockAction(STAFF.wen, { channel: card.channel, ts: card.ts }, actionId);
      return vi.waitUntil(() => e.slack.openViews(STAFF.wen).length > before && e.slack.openViews(STAFF.wen).at(-1), E2E_WAIT);
    };
    const submit = async (viewId: string, values: Record<string, unknown>) => {
      const res = await e.driver.viewSubmission(STAFF.wen, viewId, values);
      expect(res).toMatchObject({ status: 200, body: '' });
    };
    await submit((await open('case_goals')).id, {
      goal_0: { v: 'Keep the flat until the council decides' },
      assess_0: { v: 'Still housed on 31 Jan' },
      target_0: { v: '2027-01-31' },
      plan: { v: 'Weekly calls; letter to the council; tenancy advice.' },
      self_help: { v: 'Mei writes to the landlord herself.' },
      case_type: { v: 'therapeutic' },
    });
    await submit((await open('case_phase')).id, { phase: { v: 'evaluation' } });
    await submit((await open('case_close')).id, {
      outcome_0: { v: 'achieved' },
      evaluation: { v: 'Housed; Mei now handles the landlord herself.' },
      reason: { v: 'goals_achieved' },
    });
    const [row] = await e.deps.db.select().from(cases).where(eq(cases.id, caseId));
    expect(row!.phase).toBe('closed');
    await e.say(mei, '/status');
    const status = await e.botSays(mei, (t) => t.includes(reference) && t.includes('Stage: Closed'), 'the closed status');
    expect(status.text).toContain('This case is closed');
  });
});

describe('a Chinese intake', () => {
  it('is answered in Chinese and reaches #intake as a card', async () => {
    await e.say(lin, '/start');
    await e.press(lin, '中文');
    await e.press(lin, '我同意');
    await e.press(lin, '安全');
    await e.say(lin, '林');
    await e.press(lin, '家庭');
    await e.say(lin, '我和父母经常吵架，压力很大。');
    await e.say(lin, '希望家里能平静一些。');
    await e.press(lin, '目前没有');
    await e.say(lin, '我会画画。');
    await e.press(lin, '今天');
    await e.say(lin, '工作日晚上七点以后');
    await e.say(lin, '上海');
    await e.press(lin, '提交申请');
    const done = await e.botSays(lin, (t) => /C-2026-\d{4}/.test(t), 'the reference');
    expect(done.text).toMatch(/[\u4e00-\u9fff]/);
    const reference = /C-2026-\d{4}/.exec(done.text!)![0];
    const card = await e.slackSays(INTAKE, (_m, all) => all.includes(reference), 'the intake card');
    expect(allText(card)).not.toContain('吵架');
  });
});
