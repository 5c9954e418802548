import { describe, expect, it, vi } from 'vitest';
import { SLACK_WAIT } from '../helpers/waits.js';
import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { cases, escalations } from '../../src/db/schema.js';
import { logNote } from '../../src/cases/case-notes.service.js';
import { closeCase } from '../../src/cases/case-plan.service.js';
import { openEscalation } from '../../src/escalations/escalations.repo.js';
import { describeTrouble } from '../../src/slack/ui/escalation.text.js';
import { planAppointmentReminders } from '../../src/appointments/reminders.service.js';
import { findStaffById } from '../../src/staff/staff.repo.js';
import type { Db } from '../../src/db/client.js';
import { blockText, dm, flush, newCase, U, openCaseModal, useSlackWorld } from './slack-harness.js';
import { makeAppointment, stamped } from '../helpers/factories.js';

/** Issue 12, part 4: the smaller things seen on the walk, each as the person would notice it. */
const w = useSlackWorld();

const openModal = (user: string, actionId: string, caseId: string) => openCaseModal(w, user, actionId, caseId);
type Input = { block_id: string; optional?: boolean; label: { text: string }; hint?: { text: string } };
const input = (view: { blocks?: unknown[] }, id: string) => (view.blocks as Input[]).find((b) => b.block_id === id)!;

describe('modal labels say one thing', () => {
  it('Move phase: the reason is "Reason" with a hint saying when it is required (Slack adds "(optional)" itself)', async () => {
    const c = await newCase(w, { assignTo: w.staff.worker });
    const reason = input(await openModal(U.worker, 'case_phase', c.caseId), 'reason');
    expect(reason).toMatchObject({
      optional: true,
      label: { text: 'Reason' },
      hint: { text: 'Required when moving back to an earlier phase, so the record shows why.' },
    });
  });

  it('Close case: the evaluation summary is required by Slack too, and its hint does not contradict its label', async () => {
    const c = await newCase(w, { assignTo: w.staff.worker });
    const evaluation = input(await openModal(U.worker, 'case_close', c.caseId), 'evaluation');
    expect(evaluation.optional).toBeUndefined();
    expect(evaluation.hint!.text).not.toContain('Required');
  });
});

describe('goals & plan', () => {
  it('a goal without a way to assess it is refused on that field; with one it is saved', async () => {
    const c = await newCase(w, { assignTo: w.staff.worker });
    const view = await openModal(U.worker, 'case_goals', c.caseId);
    expect(input(view, 'assess_0').hint!.text).toBe('Needed for every goal you write above.');
    const res = await w.driver.viewSubmission(U.worker, view.id, { goal_0: { v: 'Mei finds a flat' }, plan: { v: 'Two sessions.' } });
    expect((res.body as { errors: Record<string, string> }).errors).toEqual({
      assess_0: 'Say how this goal will be assessed (for example "weekly log kept by the client"): each goal needs one.',
    });
    expect(
      await w.driver.viewSubmission(U.worker, view.id, {
        goal_0: { v: 'Mei finds a flat' },
        assess_0: { v: 'A signed tenancy' },
        plan: { v: 'Two sessions.' },
      }),
    ).toMatchObject({ body: '' });
  });
});

describe('nudges and escalations', () => {
  it('a quiet case with no notes at all says "no note yet", not "last note: 7 days ago"', async () => {
    const c = await newCase(w, { assignTo: w.staff.worker });
    w.deps.clock.advance({ days: 15 });
    const e = await openEscalation(w.deps.db as Db, { caseId: c.caseId, reason: 'quiet_case' }, w.deps.clock.now());
    const [kase] = await w.deps.db.select().from(cases).where(eq(cases.id, c.caseId));
    const text = describeTrouble(w.deps, { e: e.row, c: kase!, worker: await findStaffById(w.deps.db, w.staff.worker) }, 'Europe/London');
    expect(text).toBe(`${c.reference} has had no case note for too long (no note yet; opened 15 days ago; normal priority allows 14 days).`);
  });

  it('closing a case resolves its open escalations; `/case team` no longer lists them', async () => {
    const c = await newCase(w, { assignTo: w.staff.worker });
    const e = await openEscalation(w.deps.db as Db, { caseId: c.caseId, reason: 'follow_up_overdue' }, w.deps.clock.now());
    const worker = (await findStaffById(w.deps.db, w.staff.worker))!;
    const closed = await closeCase(w.deps, worker, {
      caseId: c.caseId,
      outcomes: [],
      evaluation: 'Housing secured.',
      reason: 'goals_achieved',
      reasonDetail: '',
      dedupeKey: `close-${c.caseId}`,
    });
    expect(closed.ok).toBe(true);
    const [row] = await w.deps.db.select().from(escalations).where(eq(escalations.id, e.row.id));
    expect(row).toMatchObject({ resolution: 'case_closed' });
    expect(row!.resolvedAt).not.toBeNull();
    const before = w.slack.responseUrlPosts.length;
    await w.driver.slashCommand({ userId: U.sup, command: '/case', text: 'team' });
    const team = await vi.waitUntil(() => w.slack.responseUrlPosts.length > before && w.slack.responseUrlPosts.at(-1)!, SLACK_WAIT);
    expect(blockText(team.body.blocks as unknown[])).not.toContain(c.reference);
  });
});

describe('the outcome question', () => {
  it('keeps the follow-up time the worker chose and says so, instead of silently moving it', async () => {
    const c = await newCase(w, { assignTo: w.staff.worker });
    const worker = (await findStaffById(w.deps.db, w.staff.worker))!;
    // Before the appointment the worker logged a call and chose a follow-up: tomorrow 09:00.
    const chosen = w.deps.clock.now().setZone('Europe/London').plus({ days: 1 }).set({ hour: 9, minute: 0, second: 0, millisecond: 0 });
    expect(
      await logNote(w.deps, worker, {
        caseId: c.caseId,
        kind: 'phone',
        contactAt: w.deps.clock.now(),
        text: 'Called to confirm.',
        nextFollowUpAt: chosen,
        idempotencyKey: `n-${c.caseId}`,
      }),
    ).toMatchObject({ ok: true });
    const now = w.deps.clock.now();
    const appt = await makeAppointment(w.deps.db, {
      caseId: c.caseId,
      workerId: worker.id,
      startsAt: now.plus({ hours: 1 }).toJSDate(),
      durationMin: 60,
      mode: 'phone',
      ...stamped(now.toJSDate()),
    });
    await planAppointmentReminders(w.deps, appt.id);
    w.deps.clock.set(DateTime.fromJSDate(appt.startsAt).plus({ hours: 2, minutes: 6 }));
    await flush(w);
    const question = await vi.waitUntil(() => dm(w, U.worker).find((m) => m.text.startsWith(`How did the appointment for ${c.reference}`)), SLACK_WAIT);
    expect(question.text).toContain(`Your follow-up stays ${chosen.toFormat('ccc d LLL')} 09:00 GMT.`);
    const [kase] = await w.deps.db.select().from(cases).where(eq(cases.id, c.caseId));
    expect(kase!.nextFollowUpAt).toEqual(chosen.toJSDate());
  });
});
