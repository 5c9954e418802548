import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { appointments, auditLog, cases, clients, deliveries, erasureRequests, notes } from '../../src/db/schema.js';
import { requestErasure } from '../../src/clients/client-commands.service.js';
import { decideErasure, erasureTick } from '../../src/clients/erasure-request.service.js';
import { runErasure } from '../../src/clients/erasure.service.js';
import { trackedMessagesKey } from '../../src/clients/erasure-wipe.js';
import { loadCaseCard } from '../../src/cases/case-card.js';
import { CLIENT_CHAT, SUPERVISION_CHANNEL, SUPERVISOR_SLACK, createWorld, type World } from './delivery-fixtures.js';
import { scanDatabase } from '../helpers/personal-data-scan.js';
import { seedClient, sendDue, type Seeded } from './lifecycle-fixtures.js';
import { makeStaff, stamped } from '../helpers/factories.js';

/**
 * /forget must end in forgetting: the supervisor is asked in Slack, decides,
 * and then no personal value of that client is left anywhere in PostgreSQL —
 * proven by scanning every column of every table, not a list of known ones.
 */
let w: World;
beforeAll(async () => {
  w = await createWorld({
    env: {
      SLACK_CHANNEL_MESSAGES_PER_SECOND: '30',
      TELEGRAM_CHAT_MESSAGES_PER_SECOND: '30',
      REMINDER_OFFSETS_CLIENT: 'PT24H',
      REMINDER_OFFSETS_WORKER: 'PT24H',
    },
  });
  const now = w.deps.clock.now().toJSDate();
  await makeStaff(w.deps.db, { slackUserId: 'U0ADMIN01', displayName: 'Admin', role: 'admin', timeZone: 'Europe/London', ...stamped(now) });
  w.slack.addUser({ id: 'U0ADMIN01', name: 'admin', tz: 'Europe/London' });
});
afterAll(async () => w?.close());

const requestOf = async (clientId: string) => (await w.deps.db.select().from(erasureRequests).where(eq(erasureRequests.clientId, clientId)))[0]!;

describe('erasure on request', () => {
  let s: Seeded;
  it("/forget opens a request the case's supervisor sees in Slack with [Erase now] [Hold — reason required]", async () => {
    s = await seedClient(w, CLIENT_CHAT, 'A', { clientId: w.clientId });
    // The scan sees the data before erasure (so its empty result afterwards means something).
    const seen = new Set(
      (await scanDatabase(w.deps.db, w.deps.cipher, { strings: s.strings, numbers: [CLIENT_CHAT] })).hits.map((h) => `${h.table}.${h.column}`),
    );
    expect([...seen]).toEqual(
      expect.arrayContaining([
        'clients.preferred_name_enc',
        'clients.telegram_chat_id',
        'cases.intake_enc',
        'cases.plan_enc',
        'goals.description_enc',
        'notes.body_enc',
        'escalations.snooze_reason',
        'escalations.resolution',
        'intake_sessions.state_enc',
        'callback_tokens.chat_id',
        'referrals.reason_enc',
        'referral_consents.verbal_reason_enc',
      ]),
    );
    await requestErasure(w.deps, CLIENT_CHAT);
    const r = await requestOf(s.clientId);
    expect(r).toMatchObject({ status: 'pending', requestedBy: 'client', level: 0 });
    expect(r.dueAt.getTime() - r.requestedAt.getTime()).toBe(30 * 86_400_000);
    // Messages to the client stop at once (reminders are skipped as "erased").
    const sent = await sendDue(w);
    expect(sent.filter((x) => x.kind === 'erasure_request')).toEqual([{ kind: 'erasure_request', recipient: `staff:${w.supervisorId}`, outcome: 'sent' }]);
    const dm = w.slack.messages(SUPERVISOR_SLACK).at(-1)!;
    expect(dm.text).toContain(s.reference);
    expect(JSON.stringify(dm.blocks)).toContain('erasure_erase_now');
    expect(JSON.stringify(dm.blocks)).toContain('Hold — reason required');
    // The channel preview names no one: no name, none of the client's words.
    for (const str of s.strings) expect(dm.text).not.toContain(str);
  });

  it('a worker cannot decide; a hold needs a reason', async () => {
    const r = await requestOf(s.clientId);
    expect(await decideErasure(w.deps, { requestId: r.id, staffId: w.workerId, decision: 'erase' })).toMatchObject({ ok: false });
    expect(await decideErasure(w.deps, { requestId: r.id, staffId: w.supervisorId, decision: 'hold', reason: ' ' })).toMatchObject({
      ok: false,
      field: 'reason',
    });
    expect((await requestOf(s.clientId)).status).toBe('pending');
  });

  it('[Erase now]: content goes first, the client is told in their language, then the chat id goes; resumable and idempotent', async () => {
    const r = await requestOf(s.clientId);
    const auditBefore = (await w.deps.db.select().from(auditLog)).length;
    expect(await decideErasure(w.deps, { requestId: r.id, staffId: w.supervisorId, decision: 'erase' })).toMatchObject({ ok: true, status: 'approved' });
    // The approval queues the erasure job (payload: the request id only).
    const job = await w.deps.queues.queue('maintenance').getJob(`erasure-${r.id}`);
    expect(job?.data).toEqual({ requestId: r.id });

    // First run: content erased, confirmation planned, identity kept until it has gone.
    expect(await runErasure(w.deps, r.id)).toBe('waiting_for_confirmation');
    expect(await runErasure(w.deps, r.id)).toBe('waiting_for_confirmation');
    const mid = await requestOf(s.clientId);
    expect(mid).toMatchObject({ status: 'erasing', step: 'confirming' });
    const [c1] = await w.deps.db.select().from(clients).where(eq(clients.id, s.clientId));
    expect(c1!.telegramChatId).toBe(CLIENT_CHAT);

    const before = w.tg.messages(CLIENT_CHAT).length;
    const sent = await sendDue(w);
    expect(sent).toEqual([{ kind: 'erasure_done', recipient: `client:${s.clientId}`, outcome: 'sent' }]);
    const told = w.tg
      .messages(CLIENT_CHAT)
      .slice(before)
      .map((m) => m.text);
    expect(told).toEqual([expect.stringContaining('Your information has been deleted')]);

    expect(await runErasure(w.deps, r.id)).toBe('done');
    expect(await runErasure(w.deps, r.id)).toBe('already_done');

    const [c2] = await w.deps.db.select().from(clients).where(eq(clients.id, s.clientId));
    expect(c2).toMatchObject({ telegramChatId: null, telegramUserId: null, preferredNameEnc: null });
    expect(c2!.erasedAt).not.toBeNull();
    const [appt] = await w.deps.db.select().from(appointments).where(eq(appointments.id, s.appointmentId));
    expect(appt!.status).toBe('cancelled');
    const pending = await w.deps.db
      .select()
      .from(deliveries)
      .where(and(eq(deliveries.caseId, s.caseId), eq(deliveries.status, 'pending')));
    expect(pending).toEqual([]);
    const skipped = await w.deps.db
      .select()
      .from(deliveries)
      .where(and(eq(deliveries.caseId, s.caseId), eq(deliveries.reason, 'erased')));
    expect(skipped.length).toBeGreaterThan(0);
    expect(await w.deps.redis.exists(trackedMessagesKey(w.deps.config.QUEUE_PREFIX, CLIENT_CHAT))).toBe(0);

    // What accountability needs stays: reference, dates, category, history; staff see "erased".
    const [c] = await w.deps.db.select().from(cases).where(eq(cases.id, s.caseId));
    expect(c).toMatchObject({ reference: s.reference, category: 'housing', status: 'withdrawn', closureReason: 'erased' });
    const card = await loadCaseCard(w.deps, s.caseId);
    expect(card).toMatchObject({ clientErased: true, clientFirstName: null, plan: null });

    // The audit log keeps every row and gains client.erased.
    const audit = await w.deps.db.select().from(auditLog);
    expect(audit.length).toBeGreaterThan(auditBefore);
    expect(audit.filter((a) => a.action === 'client.erased' && a.subjectId === s.clientId)).toHaveLength(1);
  });

  it('no personal value of the client is left in any column of any table (audit log included)', async () => {
    const { hits, columnsScanned } = await scanDatabase(w.deps.db, w.deps.cipher, { strings: s.strings, numbers: [CLIENT_CHAT] });
    expect(columnsScanned).toEqual(
      expect.arrayContaining([
        'audit_log.details',
        'clients.telegram_chat_id',
        'notes.body_enc',
        'erasure_requests.hold_reason_enc',
        'escalations.snooze_reason',
      ]),
    );
    expect(columnsScanned.length).toBeGreaterThan(60);
    expect(hits).toEqual([]);
  });
});

describe('holds and the deadline', () => {
  it('a hold stops the erasure, keeps its reason encrypted, and comes back for review', async () => {
    const s = await seedClient(w, 700_002, 'B');
    await requestErasure(w.deps, 700_002);
    const r = await requestOf(s.clientId);
    const reason = 'Safeguarding: court order about the children, keep until the hearing';
    expect(await decideErasure(w.deps, { requestId: r.id, staffId: w.supervisorId, decision: 'hold', reason })).toMatchObject({ ok: true, status: 'held' });
    const held = await requestOf(s.clientId);
    expect(held.holdReasonEnc).not.toContain('Safeguarding');
    expect(w.deps.cipher.decrypt(held.holdReasonEnc!, 'erasure_requests.hold_reason')).toBe(reason);
    expect(await runErasure(w.deps, r.id)).toBe('not_approved');
    const [c] = await w.deps.db.select().from(clients).where(eq(clients.id, s.clientId));
    expect(c!.telegramChatId).toBe(700_002);

    w.deps.clock.advance({ days: 89 });
    expect((await erasureTick(w.deps)).reviewed).toBe(0);
    w.deps.clock.advance({ days: 1 });
    expect((await erasureTick(w.deps)).reviewed).toBe(1);
    expect(await requestOf(s.clientId)).toMatchObject({ status: 'pending', noticeVersion: 2 });
    await sendDue(w);
    expect(w.slack.messages(SUPERVISOR_SLACK).at(-1)!.text).toContain('Hold due for review');
  });

  it('an undecided request climbs: supervision channel a week before the deadline, admins at it', async () => {
    const s = await seedClient(w, 700_003, 'C');
    await w.deps.db.update(clients).set({ language: 'zh' }).where(eq(clients.id, s.clientId));
    await requestErasure(w.deps, 700_003);
    await sendDue(w);
    const channelBefore = w.slack.messages(SUPERVISION_CHANNEL).length;
    const levelNow = async () => (await requestOf(s.clientId)).level;
    w.deps.clock.advance({ days: 22 });
    await erasureTick(w.deps);
    expect(await levelNow()).toBe(0);
    w.deps.clock.advance({ days: 1 });
    await erasureTick(w.deps);
    expect(await levelNow()).toBe(1);
    await sendDue(w);
    expect(
      w.slack
        .messages(SUPERVISION_CHANNEL)
        .slice(channelBefore)
        .map((m) => m.text)
        .filter((t) => t.includes(s.reference)),
    ).toEqual([expect.stringContaining('Escalated (level 1)')]);
    w.deps.clock.advance({ days: 7 });
    await erasureTick(w.deps);
    expect(await levelNow()).toBe(2);
    const before = w.slack.messages('U0ADMIN01').length;
    await sendDue(w);
    expect(
      w.slack
        .messages('U0ADMIN01')
        .slice(before)
        .map((m) => m.text)
        .filter((t) => t.includes(s.reference)),
    ).toEqual([expect.stringContaining('Escalated (level 2)')]);
    expect(await requestOf(s.clientId)).toMatchObject({ level: 2, status: 'pending' });
    // Once escalated, any supervisor may decide.
    const id = (await requestOf(s.clientId)).id;
    expect(await decideErasure(w.deps, { requestId: id, staffId: w.oncallId, decision: 'erase' })).toMatchObject({ ok: true, status: 'approved' });
    // This client wrote in Chinese: the last message is in Chinese.
    expect(await runErasure(w.deps, id)).toBe('waiting_for_confirmation');
    await sendDue(w);
    expect(w.tg.messages(700_003).at(-1)!.text).toContain('已按照您的要求删除您的信息');
    expect(await runErasure(w.deps, id)).toBe('done');
  });
});

describe('a worker that dies halfway', () => {
  // A real failure inside each step's transaction, injected with a trigger on the step's last write
  // (the process dying at that point looks the same to PostgreSQL: the transaction never commits).
  const failWhen = (cond: string) =>
    w.deps.db.execute(
      sql.raw(`
    create or replace function test_fail() returns trigger language plpgsql as $$ begin raise exception 'worker died'; end $$;
    drop trigger if exists test_fail on erasure_requests;
    create trigger test_fail before update on erasure_requests for each row when (${cond}) execute function test_fail();`),
    );
  const heal = () => w.deps.db.execute(sql.raw('drop trigger if exists test_fail on erasure_requests'));

  it('leaves each step all-or-nothing, and the next run finishes the job', async () => {
    const s = await seedClient(w, 700_004, 'D');
    await requestErasure(w.deps, 700_004);
    const id = (await requestOf(s.clientId)).id;
    expect(await decideErasure(w.deps, { requestId: id, staffId: w.supervisorId, decision: 'erase' })).toMatchObject({ ok: true });
    const notesText = async () =>
      (await w.deps.db.select().from(notes).where(eq(notes.caseId, s.caseId))).map((n) => w.deps.cipher.decrypt(n.bodyEnc, 'notes.body')).filter(Boolean);

    const confirmations = async () => (await w.deps.db.select().from(deliveries).where(eq(deliveries.kind, 'erasure_done'))).length;
    const before = await confirmations();
    await failWhen(`new.step = 'confirming'`);
    await expect(runErasure(w.deps, id)).rejects.toThrow();
    expect(await notesText()).toHaveLength(3);
    expect(await confirmations()).toBe(before);
    await heal();
    expect(await runErasure(w.deps, id)).toBe('waiting_for_confirmation');
    expect(await notesText()).toEqual([]);

    await sendDue(w);
    await failWhen(`new.status = 'done'`);
    await expect(runErasure(w.deps, id)).rejects.toThrow();
    const [c] = await w.deps.db.select().from(clients).where(eq(clients.id, s.clientId));
    expect(c!.telegramChatId).toBe(700_004);
    await heal();
    expect(await runErasure(w.deps, id)).toBe('done');
    const { hits } = await scanDatabase(w.deps.db, w.deps.cipher, { strings: s.strings, numbers: [700_004] });
    expect(hits).toEqual([]);
  });
});
