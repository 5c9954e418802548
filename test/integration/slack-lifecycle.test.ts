import { describe, expect, it, vi } from 'vitest';
import { SLACK_WAIT } from '../helpers/waits.js';
import { and, eq } from 'drizzle-orm';
import type { DateTime } from 'luxon';
import { consents, erasureRequests, goals, noteRedactions, notes } from '../../src/db/schema.js';
import { decideErasure, erasureTick, requestErasureByStaff } from '../../src/clients/erasure-request.service.js';
import { runErasure } from '../../src/clients/erasure.service.js';
import { assignCase } from '../../src/cases/case-assign.service.js';
import { findActiveStaffBySlack } from '../../src/staff/staff.repo.js';
import { planDeliveries } from '../../src/delivery/ledger.js';
import { erasureSlackCleanupProcessor } from '../../workers/processors/erasure-slack-cleanup.processor.js';
import { redactionSlackCleanupProcessor } from '../../workers/processors/redaction-slack-cleanup.processor.js';
import { answersTo, blockText, caseCommand, dm, flush, newCase, nextAnswer, U, useSlackWorld } from './slack-harness.js';
import { makeAppointment, stamped } from '../helpers/factories.js';
import { caseAudit } from '../helpers/audit.js';
import { setCase } from '../helpers/factories.js';

/**
 * The data lifecycle from Slack, through the real Bolt app and the Slack
 * emulator: the record export uploaded with files.uploadV2 to the asker's DM
 * (and refused, with a missing case's words, to a worker who cannot see the
 * case); an erasure request on the client's behalf decided with the buttons
 * (a hold needs its reason); a supervisor redacting one message.
 */
const w = useSlackWorld();

const command = (user: string, text: string) => caseCommand(w, user, text);

/** The client's message (a note) planned as a Slack delivery to the worker, as the relay plans it. */
function planClientReply(noteId: string, caseId: string, now: DateTime) {
  return w.deps.db.transaction((tx) =>
    planDeliveries(tx, [{ kind: 'client_reply', subjectId: noteId, recipient: `staff:${w.staff.worker}`, channel: 'slack', caseId, dueAt: now }], now),
  );
}

async function richCase() {
  const c = await newCase(w, { assignTo: w.staff.worker, name: 'Mei Chen', story: 'My son stopped talking to me after the divorce' });
  const d = w.deps;
  const at = d.clock.now().toJSDate();
  await setCase(d.db, c.caseId, {
    planEnc: d.cipher.encrypt('Weekly calls; family mediation referral', 'cases.plan'),
    selfHelpFocusEnc: d.cipher.encrypt('Mei writes to her son herself', 'cases.self_help_focus'),
  });
  await d.db.insert(goals).values({
    caseId: c.caseId,
    descriptionEnc: d.cipher.encrypt('Talk with her son again', 'goals.description'),
    assessmentEnc: d.cipher.encrypt('One conversation by spring', 'goals.assessment'),
    createdAt: at,
    updatedAt: at,
  });
  await d.db.insert(notes).values([
    {
      caseId: c.caseId,
      authorStaffId: w.staff.worker,
      kind: 'interview',
      bodyEnc: d.cipher.encrypt('First interview at the centre', 'notes.body'),
      contactAt: at,
      createdAt: at,
    },
    {
      caseId: c.caseId,
      kind: 'message',
      direction: 'from_client',
      bodyEnc: d.cipher.encrypt('Thank you, see you Friday', 'notes.body'),
      contactAt: at,
      createdAt: at,
    },
  ]);
  await makeAppointment(d.db, {
    caseId: c.caseId,
    workerId: w.staff.worker,
    startsAt: d.clock.now().plus({ days: 3 }).toJSDate(),
    durationMin: 45,
    mode: 'phone',
    ...stamped(at),
  });
  await d.db.insert(consents).values({ clientId: c.clientId, agreementVersion: '2026-01', language: 'en', givenAt: at });
  return c;
}

describe('/case C-… export', () => {
  it("uploads the whole record as Markdown and JSON to the asker's DM, and audits it", async () => {
    const c = await richCase();
    const answer = await command(U.worker, `${c.reference} export`);
    expect(answer).toContain('is in your DM');
    const files = w.slack.files().filter((f) => f.completed && f.name.startsWith(c.reference));
    expect(files.map((f) => f.name.split('.').at(-1)).sort()).toEqual(['json', 'md']);
    const posted = dm(w, U.worker).find((m) => Array.isArray(m.files) && (m.files as Array<{ name: string }>).some((f) => f.name.startsWith(c.reference)));
    expect(posted).toBeDefined();
    const md = files.find((f) => f.name.endsWith('.md'))!.content!.toString('utf8');
    for (const part of [
      'Mei Chen',
      'My son stopped talking to me after the divorce',
      'Weekly calls; family mediation referral',
      'Mei writes to her son herself',
      'Talk with her son again',
      'One conversation by spring',
      'First interview at the centre',
      'Thank you, see you Friday',
      'phone',
      'version 2026-01',
      '## Who viewed or changed this record',
      'case.exported',
    ]) {
      expect(md, part).toContain(part);
    }
    const json = JSON.parse(files.find((f) => f.name.endsWith('.json'))!.content!.toString('utf8'));
    expect(json).toMatchObject({ case: { reference: c.reference }, client: { name: 'Mei Chen' }, plan: 'Weekly calls; family mediation referral' });
    expect(json.notes).toHaveLength(2);
    expect(json.appointments).toHaveLength(1);
    expect(json.consents).toHaveLength(1);
    const audit = await caseAudit(w.deps.db, c.caseId, 'case.exported');
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actorId).toBe(w.staff.worker);
  });

  it('a worker who cannot see the case gets the same answer as for a case that does not exist', async () => {
    const c = await newCase(w, { assignTo: w.staff.worker });
    const filesBefore = w.slack.files().length;
    const refused = await command(U.other, `${c.reference} export`);
    const missing = await command(U.other, 'C-2026-9999 export');
    expect(refused).toBe(missing.replace('C-2026-9999', c.reference));
    expect(w.slack.files().length).toBe(filesBefore);
    expect(await caseAudit(w.deps.db, c.caseId, 'case.exported')).toEqual([]);
  });
});

describe('erasure from Slack', () => {
  it("a worker asks on the client's behalf; the supervisor holds (reason required), then erases with the button", async () => {
    const c = await newCase(w, { assignTo: w.staff.worker });
    expect(await command(U.worker, `${c.reference} erase`)).toContain('their supervisor decides');
    const [r] = await w.deps.db.select().from(erasureRequests).where(eq(erasureRequests.clientId, c.clientId));
    expect(r).toMatchObject({ status: 'pending', requestedBy: 'staff', requestedByStaffId: w.staff.worker });
    await flush(w);
    const msg = await vi.waitUntil(() => dm(w, U.sup).find((m) => m.text.includes(c.reference) && blockText(m.blocks).includes('erasure_hold')), SLACK_WAIT);

    // Hold: the modal refuses an empty reason on its field, then records it.
    const opened = w.slack.waitForCall('views.open');
    await w.driver.blockAction(U.sup, { channel: msg.channel, ts: msg.ts }, 'erasure_hold', r!.id);
    await opened;
    const view = w.slack.openViews(U.sup).at(-1)!;
    expect(view.callback_id).toBe('erasure_hold_modal');
    const empty = await w.driver.viewSubmission(U.sup, view.id, { reason: { v: '' } });
    expect(empty.body).toMatchObject({ response_action: 'errors', errors: { reason: expect.stringContaining('at least 3 characters') } });
    expect((await w.driver.viewSubmission(U.sup, view.id, { reason: { v: 'Police asked us to keep the record until the hearing' } })).body).toBe('');
    const [held] = await w.deps.db.select().from(erasureRequests).where(eq(erasureRequests.id, r!.id));
    expect(held!.status).toBe('held');

    // The message is edited after the ack (once the ledger confirms it is ours): wait for it.
    await expect
      .poll(() => blockText(dm(w, U.sup).find((m) => m.ts === msg.ts)!.blocks).includes('Erasure held by'), {
        ...SLACK_WAIT,
        message: 'the request message says it is held',
      })
      .toBeTruthy();

    // The hold comes back for review as a new message with the buttons.
    w.deps.clock.advance({ days: w.deps.config.ERASURE_HOLD_REVIEW_DAYS });
    expect((await erasureTick(w.deps)).reviewed).toBe(1);
    await flush(w);
    const again = await vi.waitUntil(
      () => dm(w, U.sup).find((m) => m.ts !== msg.ts && m.text.includes('Hold due for review') && m.text.includes(c.reference)),
      SLACK_WAIT,
    );

    // A worker pressing [Erase now] is refused; the supervisor's press approves.
    const before = answersTo(w, U.worker).length;
    await w.driver.blockAction(U.worker, { channel: again.channel, ts: again.ts }, 'erasure_erase_now', r!.id);
    expect(await nextAnswer(w, U.worker, before)).toContain('only the supervisor');
    await w.driver.blockAction(U.sup, { channel: again.channel, ts: again.ts }, 'erasure_erase_now', r!.id);
    await expect
      .poll(async () => (await w.deps.db.select().from(erasureRequests).where(eq(erasureRequests.id, r!.id)))[0]!.status === 'approved', {
        ...SLACK_WAIT,
        message: 'approval',
      })
      .toBeTruthy();
    const updated = await vi.waitUntil(() => dm(w, U.sup).find((m) => m.ts === again.ts && blockText(m.blocks).includes('Erasure approved')), SLACK_WAIT);
    expect(blockText(updated.blocks)).not.toContain('erasure_erase_now');
  });
});

describe('erasure reaches Slack', () => {
  it("the client's words relayed to the worker and the case card are rewritten after the erasure", async () => {
    const c = await newCase(w, { name: 'Lan Ho' });
    const [sup, worker] = [await findActiveStaffBySlack(w.deps.db, U.sup), await findActiveStaffBySlack(w.deps.db, U.worker)];
    expect(await assignCase(w.deps, sup!, c.caseId, worker!)).toMatchObject({ ok: true });
    await flush(w);
    const now = w.deps.clock.now();
    const [note] = await w.deps.db
      .insert(notes)
      .values({
        caseId: c.caseId,
        kind: 'message',
        direction: 'from_client',
        bodyEnc: w.deps.cipher.encrypt('Tuan hit me again on Sunday', 'notes.body'),
        contactAt: now.toJSDate(),
        createdAt: now.toJSDate(),
      })
      .returning();
    await planClientReply(note!.id, c.caseId, now);
    await flush(w);
    const words = () => dm(w, U.worker).filter((m) => /Tuan hit me|\bLan\b/.test(`${m.text} ${blockText(m.blocks)}`));
    // Both the card (the client's first name) and the relayed message (their words) are there before.
    expect(words().length).toBe(2);

    const { request } = await requestErasureByStaff(w.deps, w.staff.worker, c.caseId);
    expect(await decideErasure(w.deps, { requestId: request.id, staffId: w.staff.sup, decision: 'erase' })).toMatchObject({ ok: true });
    await runErasure(w.deps, request.id);
    await flush(w);
    expect(await runErasure(w.deps, request.id)).toBe('done');
    const job = await w.deps.queues.queue('maintenance').getJob(`erasure-slack-${request.id}`);
    expect(job?.data).toEqual({ requestId: request.id });
    const res = await erasureSlackCleanupProcessor.process(job!.data, { deps: w.deps, job: job! });
    expect(res).toMatchObject({ status: 'done', missing: 0 });
    expect(Number(res.updated)).toBeGreaterThanOrEqual(2);
    expect(words()).toEqual([]);
    expect(dm(w, U.worker).some((m) => m.text.includes(`Case ${c.reference}: the client's personal data was erased`))).toBe(true);
  });
});

describe('redaction', () => {
  it('a supervisor blanks one relayed message; a tombstone keeps who, when and why', async () => {
    const c = await richCase();
    const [relayed] = await w.deps.db
      .select()
      .from(notes)
      .where(and(eq(notes.caseId, c.caseId), eq(notes.kind, 'message')));
    const now = w.deps.clock.now();
    await planClientReply(relayed!.id, c.caseId, now);
    await flush(w);
    const copies = () => dm(w, U.worker).filter((m) => `${m.text} ${blockText(m.blocks)}`.includes('Thank you, see you Friday'));
    expect(copies()).toHaveLength(1);
    expect(await command(U.worker, `${c.reference} redact`)).toContain('only supervisors and admins');
    const opened = w.slack.waitForCall('views.open');
    await w.driver.slashCommand({ command: '/case', text: `${c.reference} redact`, userId: U.sup });
    await opened;
    const view = w.slack.openViews(U.sup).at(-1)!;
    expect(view.callback_id).toBe('note_redact_modal');
    const [msgNote] = await w.deps.db
      .select()
      .from(notes)
      .where(and(eq(notes.caseId, c.caseId), eq(notes.kind, 'message')));
    const noReason = await w.driver.viewSubmission(U.sup, view.id, { note: { v: msgNote!.id }, reason: { v: '' } });
    expect(noReason.body).toMatchObject({ response_action: 'errors', errors: { reason: expect.any(String) } });
    expect((await w.driver.viewSubmission(U.sup, view.id, { note: { v: msgNote!.id }, reason: { v: 'Sent to the wrong client' } })).body).toBe('');
    const [after] = await w.deps.db.select().from(notes).where(eq(notes.id, msgNote!.id));
    expect(w.deps.cipher.decrypt(after!.bodyEnc, 'notes.body')).toBe('');
    const [tomb] = await w.deps.db.select().from(noteRedactions).where(eq(noteRedactions.noteId, msgNote!.id));
    expect(tomb).toMatchObject({ redactedBy: w.staff.sup });
    expect(w.deps.cipher.decrypt(tomb!.reasonEnc, 'note_redactions.reason')).toBe('Sent to the wrong client');
    const audit = await caseAudit(w.deps.db, c.caseId, 'note.redacted');
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain('wrong client');
    // The copy relayed to the worker in Slack is rewritten by the job the redaction queued.
    const job = await w.deps.queues.queue('maintenance').getJob(`redaction-slack-${msgNote!.id}`);
    expect(await redactionSlackCleanupProcessor.process(job!.data, { deps: w.deps, job: job! })).toMatchObject({ status: 'done', updated: 1, missing: 0 });
    expect(copies()).toEqual([]);
    // The other note is untouched.
    const others = await w.deps.db
      .select()
      .from(notes)
      .where(and(eq(notes.caseId, c.caseId), eq(notes.kind, 'interview')));
    expect(w.deps.cipher.decrypt(others[0]!.bodyEnc, 'notes.body')).toBe('First interview at the centre');
  });
});
