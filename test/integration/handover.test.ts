import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SLACK_WAIT } from '../helpers/waits.js';
import { and, eq } from 'drizzle-orm';
import { auditLog, cases, deliveries, escalations, handovers, notes } from '../../src/db/schema.js';
import { scheduleAppointment } from '../../src/appointments/appointments.service.js';
import { handBackDue } from '../../src/handover/handover.service.js';
import { findActiveStaffBySlack } from '../../src/staff/staff.repo.js';
import { DateTime } from 'luxon';
import { blockText, caseCommand, dm, flush, newCase, U, type SlackWorld, createSlackWorld, useSlackWorld } from './slack-harness.js';
import { setCase } from '../helpers/factories.js';
import { actorAudit } from '../helpers/audit.js';

/**
 * Leave cover through the real Bolt app, the Slack and Telegram emulators and
 * PostgreSQL: `/case handover @from @to until …` opens a modal of @from's open
 * cases; the chosen ones move (and only they), @to gets a packet per case,
 * each client is told once in their language, the worker's reminders follow,
 * the cases go back on the until date, and [Undo handover] reverses one.
 */
const w = useSlackWorld();

const mention = (u: string) => `<@${u}|x>`;

const command = (user: string, text: string) => caseCommand(w, user, text);

async function openHandoverModal(user: string, text: string) {
  const before = w.slack.openViews(user).length;
  const res = await w.driver.slashCommand({ command: '/case', text, userId: user });
  expect(res.status).toBe(200);
  await expect.poll(() => w.slack.openViews(user).length > before, { ...SLACK_WAIT, message: 'the handover modal' }).toBeTruthy();
  return w.slack.openViews(user).at(-1)!;
}

const workerOf = async (caseId: string) => (await w.deps.db.select({ id: cases.assignedWorkerId }).from(cases).where(eq(cases.id, caseId)))[0]!.id;
const clientTexts = (chat: number) => w.tg.messages(chat).map((m) => m.text ?? '');

describe('/case handover', () => {
  let a: Awaited<ReturnType<typeof newCase>>;
  let b: Awaited<ReturnType<typeof newCase>>;
  let c: Awaited<ReturnType<typeof newCase>>;
  let handoverId: string;

  beforeAll(async () => {
    a = await newCase(w, { assignTo: w.staff.worker, name: 'Mei Chen' });
    b = await newCase(w, { assignTo: w.staff.worker, name: '王芳', language: 'zh' });
    c = await newCase(w, { assignTo: w.staff.worker, name: 'Stays Here' });
    const d = w.deps;
    // Four notes on A: the packet shows the last three, decrypted for the covering worker.
    for (const [i, text] of [
      'Oldest note: first visit',
      'Second: phone call about school',
      'Third: met the son',
      'Newest: agreed a family meeting',
    ].entries()) {
      const at = d.clock
        .now()
        .minus({ days: 10 - i })
        .toJSDate();
      await d.db.insert(notes).values({
        caseId: a.caseId,
        authorStaffId: w.staff.worker,
        kind: 'phone',
        bodyEnc: d.cipher.encrypt(text, 'notes.body'),
        contactAt: at,
        createdAt: at,
      });
    }
    await d.db.insert(escalations).values({ caseId: a.caseId, reason: 'quiet_case', level: 1, openedAt: d.clock.now().minus({ days: 1 }).toJSDate() });
    const me = (await findActiveStaffBySlack(d.db, U.worker))!;
    const booked = await scheduleAppointment(d, me, {
      caseId: a.caseId,
      date: '2026-11-26',
      time: '10:00',
      durationMin: 45,
      mode: 'phone',
      idempotencyKey: 'appt-a',
    });
    expect(booked).toMatchObject({ ok: true });
    await flush(w, { all: true });
  });

  it('a worker is refused, and so is a supervisor of only one of the two; both refusals are audited', async () => {
    expect(await command(U.worker, `handover ${mention(U.worker)} ${mention(U.worker2)}`)).toContain('only supervisors and admins');
    expect(await command(U.sup2, `handover ${mention(U.worker)} ${mention(U.other)}`)).toContain('only an admin, or a supervisor of both people');
    const refused = await w.deps.db.select().from(auditLog).where(eq(auditLog.action, 'handover.refused'));
    expect(refused.map((r) => r.actorId).sort()).toEqual([w.staff.worker, w.staff.sup2].sort());
    expect(await workerOf(a.caseId)).toBe(w.staff.worker);
    expect(await w.deps.db.select().from(handovers)).toEqual([]);
  });

  it('bad input gets a clear answer', async () => {
    expect(await command(U.sup, `handover ${mention(U.worker)}`)).toContain('Mention the worker whose cases move');
    expect(await command(U.sup, `handover ${mention(U.worker)} ${mention(U.worker2)} until 24/12`)).toContain('is not a date');
    expect(await command(U.sup, `handover ${mention(U.worker)} ${mention(U.worker2)} until 2026-11-20`)).toContain('must end after today');
  });

  it('moves exactly the chosen cases; @to gets a packet per case; each client is told once in their language', async () => {
    const view = await openHandoverModal(U.sup, `handover ${mention(U.worker)} ${mention(U.worker2)} until 2026-12-10`);
    expect(blockText(view.blocks)).toContain(a.reference);
    expect(blockText(view.blocks)).toContain(c.reference);
    const res = await w.driver.viewSubmission(U.sup, view.id, { cases: { v: [a.caseId, b.caseId] } });
    expect(res).toMatchObject({ status: 200, body: '' });
    expect(await workerOf(a.caseId)).toBe(w.staff.worker2);
    expect(await workerOf(b.caseId)).toBe(w.staff.worker2);
    expect(await workerOf(c.caseId)).toBe(w.staff.worker);
    const [h] = await w.deps.db.select().from(handovers);
    handoverId = h!.id;
    expect(h).toMatchObject({
      fromStaffId: w.staff.worker,
      toStaffId: w.staff.worker2,
      untilOn: '2026-12-10',
      status: 'active',
      returnAt: new Date('2026-12-10T09:00:00Z'),
    });
    const moves = await w.deps.db.select().from(auditLog).where(eq(auditLog.action, 'case.handed_over'));
    expect(moves.map((m) => m.caseId).sort()).toEqual([a.caseId, b.caseId].sort());

    // The worker's appointment reminder follows the case.
    const reminders = await w.deps.db
      .select()
      .from(deliveries)
      .where(and(eq(deliveries.caseId, a.caseId), eq(deliveries.kind, 'appointment_reminder.PT24H')));
    expect(reminders.filter((r) => r.recipient === `staff:${w.staff.worker}`).map((r) => [r.status, r.reason])).toEqual([['skipped', 'handed_over']]);
    expect(reminders.filter((r) => r.recipient === `staff:${w.staff.worker2}`).map((r) => r.status)).toEqual(['pending']);

    const sent = (await flush(w)).filter((s) => !s.outcome.startsWith('wait:'));
    expect(sent.filter((s) => s.kind === 'handover_packet')).toEqual([
      { kind: 'handover_packet', outcome: 'sent' },
      { kind: 'handover_packet', outcome: 'sent' },
    ]);
    const packets = dm(w, U.worker2).filter((m) => m.text.startsWith('Handover:'));
    expect(packets.map((p) => p.text).sort()).toEqual(
      [`Handover: case ${a.reference} is now yours until 2026-12-10`, `Handover: case ${b.reference} is now yours until 2026-12-10`].sort(),
    );
    const packetA = blockText(packets.find((p) => p.text.includes(a.reference))!.blocks);
    for (const part of [
      'The four elements',
      'Second: phone call about school',
      'Third: met the son',
      'Newest: agreed a family meeting',
      'Next appointment:',
      'No note for too long',
    ])
      expect(packetA, part).toContain(part);
    expect(packetA).not.toContain('Oldest note');
    // The preview (notification text) names only the reference.
    expect(packets.every((p) => !p.text.includes('Mei') && !p.text.includes('Newest'))).toBe(true);

    expect(clientTexts(a.chat).filter((t) => t.includes('Kai'))).toEqual([
      'Hello. While Wen is away, your contact here is Kai, until 10 December. You can write here as before, and Kai will read it.',
    ]);
    expect(clientTexts(b.chat).filter((t) => t.includes('Kai'))).toEqual([
      '您好。Wen不在期间，直到12月10日，您在这里的联系人是Kai。您可以像以前一样在这里留言，Kai会阅读。',
    ]);
    expect(clientTexts(c.chat)).toEqual([]);

    // Again: the same submission, another flush — nothing twice.
    const before = { a: clientTexts(a.chat).length, b: clientTexts(b.chat).length, packets: packets.length };
    await w.driver.viewSubmission(U.sup, view.id, { cases: { v: [a.caseId, b.caseId] } });
    expect(await flush(w)).toEqual([]);
    expect(await w.deps.db.select().from(handovers)).toHaveLength(1);
    expect({
      a: clientTexts(a.chat).length,
      b: clientTexts(b.chat).length,
      packets: dm(w, U.worker2).filter((m) => m.text.startsWith('Handover:')).length,
    }).toEqual(before);
    // The supervisor's confirmation carries [Undo handover].
    expect(blockText(dm(w, U.sup).at(-1)!.blocks)).toContain('handover_undo');
  });

  it('on the until date the cases still held by @to and still open go back, and their clients are told again', async () => {
    // B moved on meanwhile (reassigned by its supervisor): it stays where it is.
    await setCase(w.deps.db, b.caseId, { assignedWorkerId: w.staff.sup });
    w.deps.clock.set(DateTime.fromISO('2026-12-10T08:59:00Z'));
    expect(await handBackDue(w.deps)).toEqual({ returned: 0, failed: 0 });
    w.deps.clock.set(DateTime.fromISO('2026-12-10T09:00:00Z'));
    expect(await handBackDue(w.deps)).toEqual({ returned: 1, failed: 0 });
    expect(await handBackDue(w.deps)).toEqual({ returned: 0, failed: 0 });
    expect(await workerOf(a.caseId)).toBe(w.staff.worker);
    expect(await workerOf(b.caseId)).toBe(w.staff.sup);
    expect((await w.deps.db.select().from(handovers).where(eq(handovers.id, handoverId)))[0]!.status).toBe('returned');
    await flush(w);
    expect(clientTexts(a.chat).at(-1)).toBe('Hello. Wen is back and is your contact here again. You can write here as before.');
    expect(clientTexts(b.chat).filter((t) => t.includes('Wen'))).toHaveLength(1);
    expect((await w.deps.db.select().from(auditLog).where(eq(auditLog.action, 'case.handed_back'))).map((r) => r.caseId)).toEqual([a.caseId]);
  });

  it('[Undo handover] moves the cases back at once; a client not yet told hears nothing', async () => {
    const crisis = await newCase(w, { assignTo: w.staff.worker, crisis: true });
    await w.deps.db.insert(escalations).values({ caseId: crisis.caseId, reason: 'crisis', level: 0, openedAt: w.deps.clock.now().toJSDate() });
    const view = await openHandoverModal(U.admin, `handover ${mention(U.worker)} ${mention(U.worker2)}`);
    expect((await w.driver.viewSubmission(U.admin, view.id, { cases: { v: [c.caseId, crisis.caseId] } })).body).toBe('');
    expect(await workerOf(c.caseId)).toBe(w.staff.worker2);
    const confirmation = await vi.waitUntil(() => dm(w, U.admin).find((m) => blockText(m.blocks).includes('handover_undo')), SLACK_WAIT);
    await w.driver.blockAction(U.admin, { channel: confirmation.channel, ts: confirmation.ts }, 'handover_undo');
    await expect.poll(async () => (await workerOf(c.caseId)) === w.staff.worker, { ...SLACK_WAIT, message: 'the undo' }).toBeTruthy();
    expect(await workerOf(crisis.caseId)).toBe(w.staff.worker);
    const sent = (await flush(w)).filter((s) => !s.outcome.startsWith('wait:'));
    expect(
      sent
        .filter((s) => s.kind === 'handover_notice' || s.kind === 'handover_packet')
        .map((s) => s.outcome)
        .sort(),
    ).toEqual(['skipped:superseded', 'skipped:superseded', 'skipped:superseded', 'skipped:superseded']);
    expect(clientTexts(c.chat)).toEqual([]);
    const h = await w.deps.db.select().from(handovers).where(eq(handovers.status, 'undone'));
    expect(h).toHaveLength(1);
    expect(await actorAudit(w.deps.db, w.staff.admin, 'handover.undone')).toHaveLength(1);
  });

  it('`/case handover list` shows the ids; `/case handover undo <id>` by command; an ended one is not undone twice', async () => {
    const view = await openHandoverModal(U.sup, `handover ${mention(U.worker)} ${mention(U.worker2)}`);
    await w.driver.viewSubmission(U.sup, view.id, { cases: { v: [c.caseId] } });
    const [h] = await w.deps.db.select().from(handovers).where(eq(handovers.status, 'active'));
    expect(await command(U.sup, 'handover list')).toMatch(/^Handovers: \d+$/);
    expect(blockText(w.slack.responseUrlPosts.at(-1)!.body.blocks as unknown[])).toContain(h!.id);
    expect(await command(U.sup2, `handover undo ${h!.id}`)).toContain('only an admin, or a supervisor of both people');
    expect(await workerOf(c.caseId)).toBe(w.staff.worker2);
    expect(await command(U.sup, `handover undo ${h!.id}`)).toContain(`1 case back with their worker (${c.reference})`);
    expect(await workerOf(c.caseId)).toBe(w.staff.worker);
    expect(await command(U.sup, `handover undo ${h!.id}`)).toContain('already ended');
    await flush(w);
  });

  it('a crisis client is not told by the service; the packet tells the covering worker to do it', async () => {
    const crisis = await newCase(w, { assignTo: w.staff.worker, crisis: true });
    await w.deps.db.insert(escalations).values({ caseId: crisis.caseId, reason: 'crisis', level: 0, openedAt: w.deps.clock.now().toJSDate() });
    const view = await openHandoverModal(U.sup, `handover ${mention(U.worker)} ${mention(U.worker2)}`);
    const offered = JSON.stringify(view.blocks);
    expect(offered).toContain(crisis.reference);
    await w.driver.viewSubmission(U.sup, view.id, { cases: { v: [crisis.caseId] } });
    const sent = (await flush(w)).filter((s) => !s.outcome.startsWith('wait:'));
    expect(sent.filter((s) => s.kind === 'handover_notice')).toEqual([{ kind: 'handover_notice', outcome: 'skipped:crisis_open' }]);
    expect(clientTexts(crisis.chat).some((t) => t.includes('Kai'))).toBe(false);
    const packet = dm(w, U.worker2)
      .filter((m) => m.text.startsWith(`Handover: case ${crisis.reference}`))
      .at(-1)!;
    expect(blockText(packet.blocks)).toContain('The client has not been told about the change');
  });
});

describe('/case handover in discreet mode', () => {
  let d: SlackWorld;
  beforeAll(async () => {
    d = await createSlackWorld({ env: { DISCREET_MODE: 'true' } });
  });
  afterAll(async () => d?.close());

  it('the client is told only that their contact changed: no worker named', async () => {
    const k = await newCase(d, { assignTo: d.staff.worker });
    const before = d.slack.openViews(U.sup).length;
    await d.driver.slashCommand({ command: '/case', text: `handover ${mention(U.worker)} ${mention(U.worker2)} until 2026-12-10`, userId: U.sup });
    await expect.poll(() => d.slack.openViews(U.sup).length > before, { ...SLACK_WAIT, message: 'the handover modal' }).toBeTruthy();
    expect((await d.driver.viewSubmission(U.sup, d.slack.openViews(U.sup).at(-1)!.id, { cases: { v: [k.caseId] } })).body).toBe('');
    await flush(d);
    expect(d.tg.messages(k.chat).map((m) => m.text)).toEqual(['Your contact person has changed. You can write here as before.']);
  });
});
