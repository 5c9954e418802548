import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { appointments, cases, goals, notes } from '../../src/db/schema.js';
import { answersTo, newCase, nextAnswer, openCaseModal, U, useSlackWorld } from './slack-harness.js';
import { makeAppointment, stamped } from '../helpers/factories.js';
import { dmBlockActionBy } from '../helpers/slack-actions.js';
import { caseAudit } from '../helpers/audit.js';

/**
 * Staff input that is signed and well-formed but absurd (issue 19): each is
 * refused on its field with a clear reason, and nothing is stored.
 */
const w = useSlackWorld();

const openModal = (user: string, actionId: string, caseId: string) => openCaseModal(w, user, actionId, caseId);
const errorsOf = (res: { body: unknown }) => (res.body as { errors?: Record<string, string> }).errors;
const notesOf = async (caseId: string) => w.deps.db.select().from(notes).where(eq(notes.caseId, caseId));

describe('reasons are bounded', () => {
  it('moving a phase forward with a 100,000-character reason is refused on the field; the phase and record are unchanged', async () => {
    const c = await newCase(w, { assignTo: w.staff.worker });
    const view = await openModal(U.worker, 'case_phase', c.caseId);
    const res = await w.driver.viewSubmission(U.worker, view.id, { phase: { v: 'planning' }, reason: { v: 'x'.repeat(100_000) } });
    expect(errorsOf(res)).toEqual({ reason: 'Please keep the reason under 500 characters (it has 100000).' });
    expect((await w.deps.db.select().from(cases).where(eq(cases.id, c.caseId)))[0]!.phase).toBe('assessment');
    expect(await notesOf(c.caseId)).toEqual([]);
    // A reason of a normal length goes through.
    expect((await w.driver.viewSubmission(U.worker, view.id, { phase: { v: 'planning' }, reason: { v: 'Assessment done.' } })).body).toBe('');
  });
});

describe('dates absurdly in the past or future', () => {
  it('a note dated 1900-01-01, and a follow-up ten years ahead, are refused on their fields; nothing is stored', async () => {
    const c = await newCase(w, { assignTo: w.staff.worker });
    const view = await openModal(U.worker, 'case_log_note', c.caseId);
    const base = { case_ref: { v: c.reference }, kind: { v: 'phone' }, text: { v: 'Called Mei.' } };
    expect(errorsOf(await w.driver.viewSubmission(U.worker, view.id, { ...base, contact_date: { v: '1900-01-01' } }))).toEqual({
      contact_date: 'That is more than a year ago: please check the year. Older contacts belong in the case history, not a new note.',
    });
    expect(errorsOf(await w.driver.viewSubmission(U.worker, view.id, { ...base, contact_date: { v: '2026-11-23' }, follow_up: { v: '2036-11-20' } }))).toEqual({
      follow_up: 'A follow-up more than a year ahead is too far: please check the year (choose a date within the next 12 months).',
    });
    expect(await notesOf(c.caseId)).toEqual([]);
    expect((await w.deps.db.select().from(cases).where(eq(cases.id, c.caseId)))[0]!.nextFollowUpAt).toBeNull();
  });

  it('a goal target of 9999-12-31 is refused on its field; no goal is stored', async () => {
    const c = await newCase(w, { assignTo: w.staff.worker });
    const view = await openModal(U.worker, 'case_goals', c.caseId);
    const res = await w.driver.viewSubmission(U.worker, view.id, {
      goal_0: { v: 'Mei finds a flat' },
      assess_0: { v: 'A signed tenancy' },
      target_0: { v: '9999-12-31' },
      plan: { v: 'Two sessions.' },
    });
    expect(errorsOf(res)).toEqual({ target_0: 'Choose a target date within the next five years: please check the year.' });
    expect(await w.deps.db.select().from(goals).where(eq(goals.caseId, c.caseId))).toEqual([]);
  });

  it('a request signed with a timestamp a year ahead is refused (401) and changes nothing', async () => {
    const c = await newCase(w, { assignTo: w.staff.worker });
    const res = await w.driver.slashCommand({ command: '/case', text: c.reference, userId: U.worker }, { staleTimestamp: -365 * 24 * 3600 });
    expect(res).toMatchObject({ status: 401, body: 'the request timestamp is in the future' });
    expect(await caseAudit(w.deps.db, c.caseId, 'case.viewed')).toEqual([]);
  });
});

describe('an appointment outcome', () => {
  it('cannot be recorded (no-show) for an appointment 14 days ahead; the clicker is told why and it stays scheduled', async () => {
    const c = await newCase(w, { assignTo: w.staff.worker });
    const t = w.deps.clock.now();
    const appt = await makeAppointment(w.deps.db, {
      caseId: c.caseId,
      workerId: w.staff.worker,
      startsAt: t.plus({ days: 14 }).toJSDate(),
      durationMin: 60,
      mode: 'in_person',
      ...stamped(t.toJSDate()),
    });
    const before = answersTo(w, U.worker).length;
    await w.driver.interaction({
      ...dmBlockActionBy(w, U.worker),
      actions: [{ type: 'button', action_id: 'appt_outcome_no_show', block_id: 'x', value: `${appt.id}:${appt.version}`, action_ts: '1' }],
    });
    expect(await nextAnswer(w, U.worker, before)).toBe('This appointment has not started yet: its outcome can be recorded once it has begun.');
    expect((await w.deps.db.select().from(appointments).where(eq(appointments.id, appt.id)))[0]!.status).toBe('scheduled');
    expect((await w.deps.db.select().from(cases).where(eq(cases.id, c.caseId)))[0]!.nextFollowUpAt).toBeNull();
  });
});
