import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SLACK_WAIT } from '../helpers/waits.js';
import { and, eq } from 'drizzle-orm';
import { appointments, cases, deliveries, goals, notes } from '../../src/db/schema.js';
import { answersTo, blockText, createSlackWorld, pressCaseButton, dm, flush, newCase, nextAnswer, U, type SlackWorld } from './slack-harness.js';
import { caseAudit } from '../helpers/audit.js';
import { setCase } from '../helpers/factories.js';

/**
 * Every case-card modal end to end: a signed block action opens it (views.open
 * on the emulator), a signed view_submission saves it; bad input is answered
 * inline on its field (`response_action: errors`) and the modal stays open.
 */
let w: SlackWorld;
beforeAll(async () => {
  w = await createSlackWorld();
});
afterAll(async () => {
  await w?.close();
});

/** A click on a case-card button (as from the card in the DM), signed like Slack. */
async function click(user: string, actionId: string, value: string) {
  const before = w.slack.openViews(user).length;
  const res = await pressCaseButton(w, user, actionId, value);
  expect(res).toMatchObject({ status: 200, body: '' });
  return before;
}

const opened = () => w.slack.calls.filter((c) => c.method === 'views.open' && c.ok).length;

async function openModal(user: string, actionId: string, value: string) {
  const before = opened();
  await click(user, actionId, value);
  await expect.poll(() => opened() > before, { ...SLACK_WAIT, message: `${actionId} modal` }).toBeTruthy();
  return w.slack.openViews(user).at(-1)!;
}

const submit = (user: string, viewId: string, values: Record<string, unknown>) => w.driver.viewSubmission(user, viewId, values);
const errorsOf = (res: { body: unknown }) => (res.body as { errors?: Record<string, string> }).errors;

describe('Log note', () => {
  it('saves the note encrypted, moves last note and next follow-up, confirms, and is idempotent on a double submit', async () => {
    const c = await newCase(w, { assignTo: w.staff.worker });
    const view = await openModal(U.worker, 'case_log_note', c.caseId);
    expect(view.callback_id).toBe('note_modal');
    expect(blockText(view.blocks)).toContain(`"initial_value":"${c.reference}"`);
    // The driver sends only what the test types (Slack would also send the prefilled reference).
    const values = {
      case_ref: { v: c.reference },
      kind: { v: 'phone' },
      contact_date: { v: '2026-11-23' },
      contact_time: { v: '08:30' },
      text: { v: 'Called Mei; she agreed to meet on Wednesday.' },
      follow_up: { v: '2026-11-27' },
    };
    const res = await submit(U.worker, view.id, values);
    expect(res.body).toBe('');
    expect(w.slack.openViews(U.worker)).toHaveLength(0);
    // Slack retries / a double click deliver the same view again: still one note.
    expect(await submit(U.worker, view.id, values)).toMatchObject({ status: 200 });

    const rows = await w.deps.db.select().from(notes).where(eq(notes.caseId, c.caseId));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.bodyEnc).not.toContain('Mei');
    expect(w.deps.cipher.decrypt(rows[0]!.bodyEnc, 'notes.body')).toBe('Called Mei; she agreed to meet on Wednesday.');
    expect(rows[0]).toMatchObject({ kind: 'phone', authorStaffId: w.staff.worker, contactAt: new Date('2026-11-23T08:30:00Z') });
    const [kase] = await w.deps.db.select().from(cases).where(eq(cases.id, c.caseId));
    expect(kase!.lastNoteAt).toEqual(new Date('2026-11-23T09:00:00Z'));
    // Friday 27 Nov at the start of the worker's day (09:00 London).
    expect(kase!.nextFollowUpAt).toEqual(new Date('2026-11-27T09:00:00Z'));
    expect(kase!.followUpSetAt).toEqual(new Date('2026-11-23T09:00:00Z'));
    const confirm = await vi.waitUntil(() => dm(w, U.worker).find((m) => m.text.startsWith('📝')), SLACK_WAIT);
    expect(confirm.text).toBe(`📝 Phone call logged on ${c.reference}. Next follow-up Fri 27 Nov.`);
    const audit = await caseAudit(w.deps.db, c.caseId, 'note.logged');
    expect(audit).toHaveLength(1);
  });

  it('answers each bad input on its field and keeps the modal open', async () => {
    const mine = await newCase(w, { assignTo: w.staff.worker });
    const theirs = await newCase(w, { assignTo: w.staff.other });
    const view = await openModal(U.worker, 'case_log_note', mine.caseId);
    const good = {
      case_ref: { v: mine.reference },
      kind: { v: 'interview' },
      contact_date: { v: '2026-11-23' },
      contact_time: { v: '08:00' },
      text: { v: 'Met at the office.' },
    };
    const cases_: Array<[Record<string, unknown>, Record<string, string>]> = [
      [
        { case_ref: { v: 'C-2099-9999' } },
        {
          case_ref:
            "I can't show case C-2099-9999: there is no such case among the ones you can see. Check the reference (it looks like C-2026-0042); if it is a colleague's case, ask your supervisor.",
        },
      ],
      [{ case_ref: { v: 'my case' } }, { case_ref: '“my case” is not a case reference; they look like C-2026-0042.' }],
      [
        { case_ref: { v: theirs.reference } },
        {
          case_ref: `I can't show case ${theirs.reference}: there is no such case among the ones you can see. Check the reference (it looks like C-2026-0042); if it is a colleague's case, ask your supervisor.`,
        },
      ],
      [{ text: { v: 'x'.repeat(3001) } }, { text: 'That is 3001 characters; the limit is 3000. Shorten it or log a second note.' }],
      [{ text: { v: '   ' } }, { text: 'Please write what happened.' }],
      [{ contact_date: { v: '2026-11-24' } }, { contact_date: 'The contact cannot be in the future. Log it after it has happened.' }],
      [{ follow_up: { v: '2026-11-20' } }, { follow_up: 'The next follow-up must be in the future.' }],
    ];
    for (const [bad, errors] of cases_) {
      const res = await submit(U.worker, view.id, { ...good, ...bad });
      expect(res.body, JSON.stringify(bad).slice(0, 80)).toEqual({ response_action: 'errors', errors });
      expect(w.slack.openViews(U.worker).map((v) => v.id)).toEqual([view.id]);
    }
    expect(await w.deps.db.select().from(notes).where(eq(notes.caseId, theirs.caseId))).toEqual([]);
    // After all that, the same modal still saves once corrected.
    expect(await submit(U.worker, view.id, good)).toMatchObject({ status: 200, body: '' });
    expect(await w.deps.db.select().from(notes).where(eq(notes.caseId, mine.caseId))).toHaveLength(1);
  });

  it('refuses a case reassigned away while the modal was open', async () => {
    const c = await newCase(w, { assignTo: w.staff.worker });
    const view = await openModal(U.worker, 'case_log_note', c.caseId);
    await setCase(w.deps.db, c.caseId, { assignedWorkerId: w.staff.other });
    const res = await submit(U.worker, view.id, {
      case_ref: { v: c.reference },
      kind: { v: 'phone' },
      contact_date: { v: '2026-11-23' },
      text: { v: 'late note' },
    });
    expect(errorsOf(res)).toEqual({
      case_ref: `I can't show case ${c.reference}: there is no such case among the ones you can see. Check the reference (it looks like C-2026-0042); if it is a colleague's case, ask your supervisor.`,
    });
    expect(await w.deps.db.select().from(notes).where(eq(notes.caseId, c.caseId))).toEqual([]);
  });
});

describe('Appointment', () => {
  it("books in the worker's zone, tells the client in theirs, plans reminders; past dates are refused; a double submit books once", async () => {
    const c = await newCase(w, { assignTo: w.staff.worker });
    const view = await openModal(U.worker, 'case_schedule', c.caseId);
    const past = await submit(U.worker, view.id, { date: { v: '2026-11-23' }, time: { v: '08:00' }, duration: { v: '60' }, mode: { v: 'in_person' } });
    expect(errorsOf(past)).toEqual({ date: 'That time (23 Nov 2026 08:00, Europe/London) is in the past. Choose a future date and time.' });
    const forged = await submit(U.worker, view.id, {
      date: { v: '2026-11-25' },
      time: { v: '10:00' },
      duration: { v: { value: '600', text: { type: 'plain_text', text: '10 h' } } },
      mode: { v: 'in_person' },
    });
    expect(errorsOf(forged)).toEqual({ duration: 'The duration must be between 5 and 480 minutes.' });
    // In person needs a place (the client must know where to come); the error is on that field.
    const nowhere = await submit(U.worker, view.id, { date: { v: '2026-11-25' }, time: { v: '10:00' }, duration: { v: '60' }, mode: { v: 'in_person' } });
    expect(errorsOf(nowhere)).toEqual({ location: 'Say where the client should come for an in-person appointment (an address or a room).' });
    const values = {
      date: { v: '2026-11-25' },
      time: { v: '10:00' },
      duration: { v: '60' },
      mode: { v: 'in_person' },
      location: { v: 'Family Centre, 12 High Street' },
    };
    expect(await submit(U.worker, view.id, values)).toMatchObject({ status: 200, body: '' });
    expect(await submit(U.worker, view.id, values)).toMatchObject({ status: 200 });
    const appts = await w.deps.db.select().from(appointments).where(eq(appointments.caseId, c.caseId));
    expect(appts).toHaveLength(1);
    expect(appts[0]).toMatchObject({ startsAt: new Date('2026-11-25T10:00:00Z'), durationMin: 60, mode: 'in_person', version: 1, workerId: w.staff.worker });
    const planned = await w.deps.db.select().from(deliveries).where(eq(deliveries.subjectId, appts[0]!.id));
    expect(planned.map((d) => `${d.kind}>${d.recipient.split(':')[0]}`).sort()).toEqual([
      'appointment_notice>client',
      'appointment_reminder.PT24H>client',
      'appointment_reminder.PT24H>staff',
      'appointment_reminder.PT2H>client',
      'appointment_reminder.PT30M>staff',
      'outcome_question>staff',
    ]);
    expect(await flush(w)).toEqual([{ kind: 'appointment_notice', outcome: 'sent' }]);
    // 10:00 in London is 18:00 in Hong Kong, where the client lives.
    expect(w.tg.messages(c.chat).map((m) => m.text)).toEqual([
      'Your appointment with Wen is on Wednesday 25 November at 18:00 (in person, at Family Centre, 12 High Street).',
    ]);
    // The place is encrypted at rest.
    expect(appts[0]!.locationEnc).toMatch(/^v1\./);
    const confirm = await vi.waitUntil(() => dm(w, U.worker).find((m) => m.text.startsWith('📅') && m.text.includes(c.reference)), SLACK_WAIT);
    expect(confirm.text).toBe(`📅 Appointment booked for ${c.reference}: Wed 25 Nov 10:00 GMT, in person, 60 min. The client's Telegram message is queued.`);
  });

  it('reschedules (version bump, old reminders retired, client told) and cancels (client told, reminders retired)', async () => {
    const c = await newCase(w, { assignTo: w.staff.worker, language: 'zh' });
    const v1 = await openModal(U.worker, 'case_schedule', c.caseId);
    await submit(U.worker, v1.id, { date: { v: '2026-11-26' }, time: { v: '14:00' }, duration: { v: '45' }, mode: { v: 'phone' } });
    const [appt] = await w.deps.db.select().from(appointments).where(eq(appointments.caseId, c.caseId));
    const v2 = await openModal(U.worker, 'appt_reschedule', appt!.id);
    expect(v2.callback_id).toBe('appointment_modal');
    expect(await submit(U.worker, v2.id, { date: { v: '2026-11-27' }, time: { v: '15:30' }, duration: { v: '60' }, mode: { v: 'video' } })).toMatchObject({
      body: '',
    });
    const [moved] = await w.deps.db.select().from(appointments).where(eq(appointments.id, appt!.id));
    expect(moved).toMatchObject({ version: 2, startsAt: new Date('2026-11-27T15:30:00Z'), mode: 'video', status: 'scheduled' });
    const rows = await w.deps.db.select().from(deliveries).where(eq(deliveries.subjectId, appt!.id));
    expect(rows.filter((r) => r.version === 1 && r.kind !== 'appointment_notice').every((r) => r.status === 'skipped' && r.reason === 'superseded')).toBe(true);
    await flush(w);
    // Only the latest notice goes out: the first was superseded before it was sent.
    expect(w.tg.messages(c.chat).map((m) => m.text)).toEqual(['您与Wen的预约时间已更改，新的时间是11月27日 星期五 23:30（视频通话）。']);

    const v3 = await openModal(U.worker, 'appt_cancel', appt!.id);
    expect(await submit(U.worker, v3.id, {})).toMatchObject({ body: '' });
    const [cancelled] = await w.deps.db.select().from(appointments).where(eq(appointments.id, appt!.id));
    expect(cancelled).toMatchObject({ status: 'cancelled', version: 3 });
    await flush(w);
    expect(w.tg.messages(c.chat).at(-1)!.text).toBe('您与Wen在11月27日 星期五 23:30的预约已取消。Wen会与您联系另约时间。');
    const pending = (await w.deps.db.select().from(deliveries).where(eq(deliveries.subjectId, appt!.id))).filter((r) => r.status === 'pending');
    expect(pending).toEqual([]);
    // The old reschedule modal is stale now.
    const again = await submit(U.worker, v2.id, { date: { v: '2026-11-28' }, time: { v: '10:00' }, duration: { v: '60' }, mode: { v: 'video' } });
    expect(again.status).toBe(200);
    expect((await w.deps.db.select().from(appointments).where(eq(appointments.id, appt!.id)))[0]!.version).toBe(3);
  });
});

describe('Goals & plan, Move phase, Close case', () => {
  it('records the four elements; bad dates and overlong goals are refused on their fields', async () => {
    const c = await newCase(w, { assignTo: w.staff.worker });
    const view = await openModal(U.worker, 'case_goals', c.caseId);
    const good = {
      goal_0: { v: 'Mei and her son talk at least once a week' },
      assess_0: { v: 'Weekly log kept by Mei' },
      target_0: { v: '2027-02-01' },
      goal_1: { v: "Mei joins a parents' support group" },
      assess_1: { v: 'Attends 3 sessions' },
      plan: { v: 'Six fortnightly sessions; referral to the family mediation service.' },
      self_help: { v: 'Mei plans the weekly call herself.' },
      case_type: { v: 'therapeutic' },
    };
    expect(errorsOf(await submit(U.worker, view.id, { ...good, target_0: { v: '2026-01-01' } }))).toEqual({
      target_0: 'The target date is in the past. Choose a future date.',
    });
    expect(errorsOf(await submit(U.worker, view.id, { ...good, goal_1: { v: 'g'.repeat(501) } }))).toEqual({
      goal_1: 'Please keep a goal under 500 characters.',
    });
    expect(errorsOf(await submit(U.worker, view.id, { ...good, goal_2: { v: '' }, assess_2: { v: 'orphan' } }))).toEqual({
      goal_2: 'Write the goal this belongs to (or clear the other fields).',
    });
    expect(await submit(U.worker, view.id, good)).toMatchObject({ body: '' });
    expect(await submit(U.worker, view.id, good)).toMatchObject({ status: 200 });
    const g = await w.deps.db.select().from(goals).where(eq(goals.caseId, c.caseId));
    expect(g).toHaveLength(2);
    expect(w.deps.cipher.decrypt(g.find((x) => x.targetDate === '2027-02-01')!.descriptionEnc, 'goals.description')).toBe(
      'Mei and her son talk at least once a week',
    );
    const [kase] = await w.deps.db.select().from(cases).where(eq(cases.id, c.caseId));
    expect(kase!.type).toBe('therapeutic');
    expect(w.deps.cipher.decrypt(kase!.planEnc!, 'cases.plan')).toContain('Six fortnightly sessions');

    const before = answersTo(w, U.worker).length;
    await w.driver.slashCommand({ command: '/case', text: c.reference, userId: U.worker });
    const card = await vi.waitUntil(
      () =>
        w.slack.responseUrlPosts
          .filter((p) => p.context.user === U.worker)
          .slice(before)
          .at(-1),
      SLACK_WAIT,
    );
    const text = blockText(card.body.blocks as unknown[]);
    for (const s of ['✅ Goal', '✅ Plan', '✅ How it will be assessed', '✅ Self-help focus', '*Type:* Therapeutic', 'Weekly log kept by Mei'])
      expect(text).toContain(s);
  });

  it('moves phase forward freely and back only with a reason (kept encrypted on the record)', async () => {
    const c = await newCase(w, { assignTo: w.staff.worker });
    let view = await openModal(U.worker, 'case_phase', c.caseId);
    expect(await submit(U.worker, view.id, { phase: { v: 'implementation' } })).toMatchObject({ body: '' });
    view = await openModal(U.worker, 'case_phase', c.caseId);
    expect(errorsOf(await submit(U.worker, view.id, { phase: { v: 'planning' } }))).toEqual({
      reason: 'Moving back needs a reason (at least 3 characters), so the record shows why.',
    });
    expect(await submit(U.worker, view.id, { phase: { v: 'planning' }, reason: { v: 'The goal was too big; we split it.' } })).toMatchObject({ body: '' });
    const [kase] = await w.deps.db.select().from(cases).where(eq(cases.id, c.caseId));
    expect(kase!.phase).toBe('planning');
    const [sys] = await w.deps.db
      .select()
      .from(notes)
      .where(and(eq(notes.caseId, c.caseId), eq(notes.kind, 'system')));
    expect(w.deps.cipher.decrypt(sys!.bodyEnc, 'notes.body')).toBe(
      'Phase moved back from Implementation to Goal setting & planning: The goal was too big; we split it.',
    );
    const audit = await caseAudit(w.deps.db, c.caseId, 'case.phase_moved');
    expect(audit.map((a) => a.details)).toEqual([
      { from: 'assessment', to: 'implementation', direction: 'forward' },
      { from: 'implementation', to: 'planning', direction: 'back' },
    ]);
  });

  it('refuses closure without an evaluation summary on that field; closes with outcomes per goal; a closed case refuses changes', async () => {
    const c = await newCase(w, { assignTo: w.staff.worker });
    const gv = await openModal(U.worker, 'case_goals', c.caseId);
    await submit(U.worker, gv.id, { goal_0: { v: 'Find stable housing' }, assess_0: { v: 'Tenancy signed' } });
    const view = await openModal(U.worker, 'case_close', c.caseId);
    const noSummary = await submit(U.worker, view.id, { outcome_0: { v: 'achieved' }, reason: { v: 'goals_achieved' } });
    expect(errorsOf(noSummary)).toEqual({
      evaluation: 'A case cannot be closed without an evaluation summary: was the goal met, what changed, what the client can now do alone.',
    });
    expect(errorsOf(await submit(U.worker, view.id, { outcome_0: { v: 'achieved' }, reason: { v: 'other' }, evaluation: { v: 'Done.' } }))).toEqual({
      reason_detail: 'Please say what the other reason is.',
    });
    expect((await w.deps.db.select().from(cases).where(eq(cases.id, c.caseId)))[0]!.status).toBe('open');
    expect(
      await submit(U.worker, view.id, {
        outcome_0: { v: 'achieved' },
        reason: { v: 'goals_achieved' },
        evaluation: { v: 'Tenancy signed in week 6; Mei now manages the landlord herself.' },
      }),
    ).toMatchObject({ body: '' });
    const [kase] = await w.deps.db.select().from(cases).where(eq(cases.id, c.caseId));
    expect(kase).toMatchObject({ status: 'closed', phase: 'closed', closureReason: 'goals_achieved' });
    expect(w.deps.cipher.decrypt(kase!.evaluationEnc!, 'cases.evaluation')).toContain('Tenancy signed in week 6');
    expect((await w.deps.db.select().from(goals).where(eq(goals.caseId, c.caseId)))[0]!.status).toBe('achieved');

    const before = answersTo(w, U.worker).length;
    await click(U.worker, 'case_log_note', c.caseId);
    expect(await nextAnswer(w, U.worker, before)).toBe('This case is closed; it can no longer be changed.');
  });

  it('a close form whose goal list went stale (a goal added in another request) is refused, and the case stays open with the goal active', async () => {
    const c = await newCase(w, { assignTo: w.staff.worker });
    const two = {
      goal_0: { v: 'Find stable housing' },
      assess_0: { v: 'Tenancy signed' },
      goal_1: { v: 'Talk with her son' },
      assess_1: { v: 'One visit a month' },
    };
    expect(await submit(U.worker, (await openModal(U.worker, 'case_goals', c.caseId)).id, two)).toMatchObject({ body: '' });
    const close = await openModal(U.worker, 'case_close', c.caseId);
    expect(JSON.parse(close.private_metadata!).goalIds).toHaveLength(2);
    // Meanwhile (another request, another window) a third goal is agreed.
    const gv = await openModal(U.worker, 'case_goals', c.caseId);
    expect(await submit(U.worker, gv.id, { ...two, goal_2: { v: "Join a parents' group" }, assess_2: { v: 'Attends twice' } })).toMatchObject({ body: '' });
    const filled = {
      outcome_0: { v: 'achieved' },
      outcome_1: { v: 'partly_achieved' },
      reason: { v: 'goals_achieved' },
      evaluation: { v: 'Housed; contact with her son resumed.' },
    };
    expect(errorsOf(await submit(U.worker, close.id, filled))).toEqual({
      evaluation: 'The goals changed while this was open; please close this form and open Close case again, so every goal gets an outcome.',
    });
    const [kase] = await w.deps.db.select().from(cases).where(eq(cases.id, c.caseId));
    expect(kase).toMatchObject({ status: 'open', closedAt: null });
    const rows = await w.deps.db.select().from(goals).where(eq(goals.caseId, c.caseId));
    expect(rows.map((g) => g.status)).toEqual(['active', 'active', 'active']);
    expect(await caseAudit(w.deps.db, c.caseId, 'case.closed')).toEqual([]);

    // A goal reopened between showing and submitting is refused the same way.
    const third = rows.find((g) => !JSON.parse(close.private_metadata!).goalIds.includes(g.id))!;
    await w.deps.db.update(goals).set({ status: 'dropped' }).where(eq(goals.id, third.id));
    const shownTwo = await openModal(U.worker, 'case_close', c.caseId);
    expect(JSON.parse(shownTwo.private_metadata!).goalIds).toHaveLength(2);
    await w.deps.db.update(goals).set({ status: 'active' }).where(eq(goals.id, third.id));
    expect(errorsOf(await submit(U.worker, shownTwo.id, filled))).toHaveProperty('evaluation');
    expect((await w.deps.db.select().from(cases).where(eq(cases.id, c.caseId)))[0]!.status).toBe('open');

    // A fresh form asks about all three and closes.
    const fresh = await openModal(U.worker, 'case_close', c.caseId);
    expect(JSON.parse(fresh.private_metadata!).goalIds).toHaveLength(3);
    expect(await submit(U.worker, fresh.id, { ...filled, outcome_2: { v: 'not_achieved' } })).toMatchObject({ body: '' });
    expect((await w.deps.db.select().from(cases).where(eq(cases.id, c.caseId)))[0]!.status).toBe('closed');
    expect((await w.deps.db.select().from(goals).where(eq(goals.caseId, c.caseId))).map((g) => g.status).sort()).toEqual([
      'achieved',
      'not_achieved',
      'partly_achieved',
    ]);
  });
});

describe('access on every button and submission', () => {
  it("refuses people outside the directory, workers on other workers' cases, and lets the supervisor of the team in", async () => {
    const c = await newCase(w, { assignTo: w.staff.worker });
    for (const action of ['case_log_note', 'case_schedule', 'case_goals', 'case_phase', 'case_message', 'case_close', 'case_show']) {
      let before = answersTo(w, U.stranger).length;
      await click(U.stranger, action, c.caseId);
      expect(await nextAnswer(w, U.stranger, before), action).toMatch(/^Sorry, you're not in this service's staff directory/);
      before = answersTo(w, U.other).length;
      await click(U.other, action, c.caseId);
      expect(await nextAnswer(w, U.other, before), action).toBe(
        "I can't show case: there is no such case among the ones you can see. Check the reference (it looks like C-2026-0042); if it is a colleague's case, ask your supervisor.",
      );
      before = answersTo(w, U.sup2).length;
      await click(U.sup2, action, c.caseId);
      expect(await nextAnswer(w, U.sup2, before), action).toBe(
        "I can't show case: there is no such case among the ones you can see. Check the reference (it looks like C-2026-0042); if it is a colleague's case, ask your supervisor.",
      );
    }
    expect(w.slack.openViews(U.stranger)).toEqual([]);
    expect(w.slack.openViews(U.other)).toEqual([]);
    // Forged values (not a uuid, an appointment that does not exist) get a plain answer.
    let before = answersTo(w, U.worker).length;
    await click(U.worker, 'case_goals', 'not-a-case');
    expect(await nextAnswer(w, U.worker, before)).toBe(
      "I can't show case: there is no such case among the ones you can see. Check the reference (it looks like C-2026-0042); if it is a colleague's case, ask your supervisor.",
    );
    before = answersTo(w, U.worker).length;
    await click(U.worker, 'appt_reschedule', '00000000-0000-4000-8000-000000000000');
    expect(await nextAnswer(w, U.worker, before)).toBe('This appointment no longer exists.');

    // The worker's supervisor may act on the case.
    const view = await openModal(U.sup, 'case_log_note', c.caseId);
    expect(
      await submit(U.sup, view.id, {
        case_ref: { v: c.reference },
        kind: { v: 'supervision' },
        contact_date: { v: '2026-11-23' },
        text: { v: 'Supervision: discussed the plan.' },
      }),
    ).toMatchObject({ body: '' });
    // A submission of someone else's open modal by a stranger is refused inline.
    const wv = await openModal(U.worker, 'case_message', c.caseId);
    expect(errorsOf(await submit(U.stranger, wv.id, { text: { v: 'hello' } }))).toEqual({
      text: expect.stringMatching(/^Sorry, you're not in this service's staff directory/),
    });
    expect(
      await w.deps.db
        .select()
        .from(notes)
        .where(and(eq(notes.caseId, c.caseId), eq(notes.kind, 'message'))),
    ).toEqual([]);
  });
});
