import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SLACK_WAIT } from '../helpers/waits.js';
import { eq } from 'drizzle-orm';
import { caseloadOverrides, cases } from '../../src/db/schema.js';
import { VIEWS } from '../../src/slack/ui/ids.js';
import { answersTo, createSlackWorld, dm, flush, INTAKE, newCase, nextAnswer, U, type SlackWorld, handOffCase } from './slack-harness.js';
import { caseAudit } from '../helpers/audit.js';

/**
 * Caseload-aware assignment through the real Bolt app: the intake card's
 * picker shows each person's open caseload and marks those at or over
 * CASELOAD_LIMIT; picking one of them opens a modal asking why; the reason is
 * required, stored encrypted and audited; under the limit nothing is asked.
 */
const LIMIT = 2;
let w: SlackWorld;
beforeAll(async () => {
  w = await createSlackWorld({ env: { CASELOAD_LIMIT: String(LIMIT) } });
});
afterAll(async () => w?.close());

async function postIntakeCard() {
  const c = await newCase(w);
  expect(await handOffCase(c.caseId, w.deps)).toMatchObject({ status: 'done' });
  await flush(w);
  return { ...c, card: w.slack.messages(INTAKE).find((m) => m.text.includes(c.reference))! };
}

const pickerOptions = (blocks: unknown[] | undefined) => {
  const el = (blocks as Array<{ elements?: Array<{ action_id?: string; options?: Array<{ text: { text: string }; value: string }> }> }>)
    .flatMap((b) => b.elements ?? [])
    .find((e) => e.action_id === 'intake_assign_pick')!;
  return Object.fromEntries(el.options!.map((o) => [o.value, o.text.text]));
};

describe('caseload-aware assignment', () => {
  it('the picker shows open caseloads and marks those at or over the limit', async () => {
    await newCase(w, { assignTo: w.staff.worker });
    await newCase(w, { assignTo: w.staff.worker });
    await newCase(w, { assignTo: w.staff.worker2 });
    const { card } = await postIntakeCard();
    const opts = pickerOptions(card.blocks);
    expect(opts[U.worker]).toBe('⚠️ Wen Li — 2 open (at limit)');
    expect(opts[U.worker2]).toBe('Kai Worker — 1 open');
    expect(opts[U.sup]).toBe('Sam Supervisor — 0 open');
    expect(opts[U.admin]).toBeUndefined();
  });

  it('assigning someone at the limit asks for a reason in a modal; an empty reason is refused on the field; the reason is stored encrypted and audited', async () => {
    const { card, caseId, reference } = await postIntakeCard();
    const views = w.slack.openViews(U.sup).length;
    await w.driver.blockAction(U.sup, { channel: INTAKE, ts: card.ts }, 'intake_assign_pick', U.worker);
    const modal = await vi.waitUntil(() => w.slack.openViews(U.sup).length > views && w.slack.openViews(U.sup).at(-1), SLACK_WAIT);
    expect(modal.callback_id).toBe(VIEWS.assignOverLimit);
    expect(JSON.stringify(modal.blocks)).toContain(`<@${U.worker}> already has 2 open cases (the limit is 2). Assigning ${reference} needs a reason.`);
    expect((await w.deps.db.select().from(cases).where(eq(cases.id, caseId)))[0]!.assignedWorkerId).toBeNull();

    const empty = await w.driver.viewSubmission(U.sup, modal.id, { reason: { v: ' ' } });
    expect(empty.body).toMatchObject({ response_action: 'errors', errors: { reason: expect.stringContaining('Please say why') } });
    expect((await w.deps.db.select().from(cases).where(eq(cases.id, caseId)))[0]!.assignedWorkerId).toBeNull();

    const ok = await w.driver.viewSubmission(U.sup, modal.id, { reason: { v: 'Wen already knows this family from a previous case' } });
    expect(ok.status).toBe(200);
    await expect
      .poll(() => dm(w, U.sup).some((m) => m.text === `${reference} is now assigned to <@${U.worker}>, over the caseload limit; your reason is on record.`), {
        ...SLACK_WAIT,
        message: 'the confirmation in the DM',
      })
      .toBeTruthy();
    expect((await w.deps.db.select().from(cases).where(eq(cases.id, caseId)))[0]!.assignedWorkerId).toBe(w.staff.worker);
    const [o] = await w.deps.db.select().from(caseloadOverrides).where(eq(caseloadOverrides.caseId, caseId));
    expect(o).toMatchObject({ workerId: w.staff.worker, assignedBy: w.staff.sup, openCases: 2, caseloadLimit: 2 });
    expect(o!.reasonEnc).not.toContain('family');
    expect(w.deps.cipher.decrypt(o!.reasonEnc, 'caseload_overrides.reason')).toBe('Wen already knows this family from a previous case');
    const audit = await caseAudit(w.deps.db, caseId, 'case.assigned_over_limit');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorId: w.staff.sup,
      subjectType: 'caseload_override',
      subjectId: o!.id,
      details: { worker: w.staff.worker, open: 2, limit: 2 },
    });
    expect(JSON.stringify(audit[0]!.details)).not.toContain('family');
    // The card now names the worker, and the picker counts the new case.
    await expect
      .poll(() => pickerOptions(w.slack.messages(INTAKE).find((m) => m.ts === card.ts)!.blocks)[U.worker] === '⚠️ Wen Li — 3 open (over limit)', {
        ...SLACK_WAIT,
        message: 'the card updated',
      })
      .toBeTruthy();
  });

  it('under the limit nothing is asked: the case is assigned at once', async () => {
    const { card, caseId, reference } = await postIntakeCard();
    const views = w.slack.openViews(U.sup).length;
    const before = answersTo(w, U.sup).length;
    await w.driver.blockAction(U.sup, { channel: INTAKE, ts: card.ts }, 'intake_assign_pick', U.worker2);
    expect(await nextAnswer(w, U.sup, before)).toBe(`${reference} is now assigned to <@${U.worker2}>. They get the case card in a DM.`);
    expect(w.slack.openViews(U.sup).length).toBe(views);
    expect(await w.deps.db.select().from(caseloadOverrides).where(eq(caseloadOverrides.caseId, caseId))).toEqual([]);
  });
});
