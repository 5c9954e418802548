import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SLACK_WAIT } from '../helpers/waits.js';
import { and, eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { appointments, auditLog, cases, deliveries, escalations, staff } from '../../src/db/schema.js';
import { openEscalation } from '../../src/escalations/escalations.repo.js';
import { planDeliveries } from '../../src/delivery/ledger.js';
import { runEscalationSweep } from '../../src/escalations/escalation-sweep.service.js';
import { viewStateValues } from '../../src/sandbox/slack-signing.payloads.js';
import { answersTo, blockText, createSlackWorld, flush, newCase, nextAnswer, U, type SlackWorld } from './slack-harness.js';
import { makeAppointment, stamped } from '../helpers/factories.js';
import { blockActionBy, dmBlockActionBy, viewSubmissionBy } from '../helpers/slack-actions.js';
import { setCase } from '../helpers/factories.js';
import { subjectAudit } from '../helpers/audit.js';

/**
 * The buttons on escalation, crisis-page, follow-up-nudge and outcome-question
 * messages, end to end: the real delivery kinds render the message, the real
 * sender posts it to the Slack emulator, the tester clicks it with a signed
 * block action, and the Bolt app (createSlackApp) acts on real PostgreSQL.
 * Team: sup supervises worker and worker2; sup2 supervises other.
 */
let w: SlackWorld;
beforeAll(async () => {
  w = await createSlackWorld();
});
afterAll(async () => {
  await w?.close();
});

const now = () => w.deps.clock.now();

/** An appointment of the case with Wen (60 min, in person unless told), and a Slack message of `kind` about it planned to her now. */
async function appointmentWithMessage(
  caseId: string,
  kind: Parameters<typeof planDeliveries>[1][number]['kind'],
  values: { startsAt: Date } & Partial<typeof appointments.$inferInsert>,
) {
  const appt = await makeAppointment(w.deps.db, {
    caseId,
    workerId: w.staff.worker,
    durationMin: 60,
    mode: 'in_person',
    ...values,
    ...stamped(now().toJSDate()),
  });
  await w.deps.db.transaction((tx) =>
    planDeliveries(
      tx,
      [{ kind, subjectId: appt.id, version: appt.version, recipient: `staff:${w.staff.worker}`, channel: 'slack', caseId, dueAt: now() }],
      now(),
    ),
  );
  return appt;
}

/** An open escalation on a case, with its message (kind) planned to `to` and sent through the real sender. */
async function escalationMessage(o: {
  reason: 'crisis' | 'quiet_case' | 'follow_up_overdue';
  kind: 'crisis_page' | 'escalation' | 'follow_up_nudge';
  to: string;
  crisis?: boolean;
  assignTo?: string;
}) {
  const c = await newCase(w, { assignTo: o.assignTo ?? w.staff.worker, crisis: o.crisis });
  const esc = await w.deps.db.transaction(async (tx) => {
    const e = await openEscalation(
      tx,
      { caseId: c.caseId, reason: o.reason, level: o.kind === 'follow_up_nudge' ? 0 : 1, nextAt: o.reason === 'crisis' ? now().plus({ minutes: 15 }) : null },
      now(),
    );
    await tx.update(escalations).set({ notifications: 1, lastNotifiedAt: now().toJSDate() }).where(eq(escalations.id, e.row.id));
    await planDeliveries(
      tx,
      [{ kind: o.kind, subjectId: e.row.id, version: 1, recipient: `staff:${o.to}`, channel: 'slack', caseId: c.caseId, dueAt: now() }],
      now(),
    );
    return e.row;
  });
  expect(await flush(w)).toEqual([{ kind: o.kind, outcome: 'sent' }]);
  const slackId = (await w.deps.db.select().from(staff).where(eq(staff.id, o.to)))[0]!.slackUserId;
  const msg = w.slack.dmWith(slackId).at(-1)!;
  return { ...c, escalationId: esc.id, msg, channel: msg.channel, slackId };
}

const escRow = async (id: string) => (await w.deps.db.select().from(escalations).where(eq(escalations.id, id)))[0]!;
/** Waits (SLACK_WAIT) until the escalation is snoozed; its row. */
const snoozedRow = (id: string) =>
  vi.waitUntil(async () => {
    const r = await escRow(id);
    return r.snoozedUntil ? r : undefined;
  }, SLACK_WAIT);
const audits = (action: string, subjectId: string) => subjectAudit(w.deps.db, subjectId, action);
/** The user presses `actionId` on an escalation message; waits for the modal it opens (views.open) and returns it. */
async function modalFrom(user: string, message: { channel: string; msg: { ts: string } }, actionId: string, what: string) {
  const opened = w.slack.calls.filter((c) => c.method === 'views.open' && c.ok).length;
  await w.driver.blockAction(user, { channel: message.channel, ts: message.msg.ts }, actionId);
  await expect.poll(() => w.slack.calls.filter((c) => c.method === 'views.open' && c.ok).length > opened, { ...SLACK_WAIT, message: what }).toBeTruthy();
  return w.slack.openViews(user).at(-1)!;
}
const current = (channel: string, ts: string) => w.slack.messages(channel).find((m) => m.ts === ts)!;

/** A click as Slack sends it for the message as it was first posted (even after our update removed the buttons). */
async function clickStale(user: string, channel: string, ts: string, actionId: string, value: string) {
  return w.driver.interaction({
    ...blockActionBy(w, user),
    channel: { id: channel },
    container: { type: 'message', channel_id: channel, message_ts: ts },
    message: { ts, text: 'earlier' },
    response_url: w.slack.issueResponseUrl({ channel, user, message_ts: ts, kind: 'block_actions' }),
    actions: [{ type: 'button', action_id: actionId, block_id: 'x', value, action_ts: '1' }],
  });
}

describe('crisis page [Acknowledge]', () => {
  it('acknowledges (audited), updates the page to say who has it, stops the 15-minute repeats; a second click acts once', async () => {
    await w.deps.db.update(staff).set({ onCall: true }).where(eq(staff.id, w.staff.sup));
    const e = await escalationMessage({ reason: 'crisis', kind: 'crisis_page', to: w.staff.sup, crisis: true });
    expect(blockText(e.msg.blocks)).toContain('esc_ack');

    const res = await w.driver.blockAction(U.sup, { channel: e.channel, ts: e.msg.ts }, 'esc_ack');
    expect(res).toMatchObject({ status: 200, body: '' });
    const row = await vi.waitUntil(async () => {
      const r = await escRow(e.escalationId);
      return r.acknowledgedAt ? r : undefined;
    }, SLACK_WAIT);
    expect(row.acknowledgedBy).toBe(w.staff.sup);
    expect(await audits('escalation.acknowledged', e.escalationId)).toHaveLength(1);
    const updated = await vi.waitUntil(() => {
      const m = current(e.channel, e.msg.ts);
      return m.blocks && !blockText(m.blocks).includes('esc_ack') ? m : undefined;
    }, SLACK_WAIT);
    expect(blockText(updated.blocks)).toContain(`Acknowledged by <@${U.sup}>`);
    expect(blockText(updated.blocks)).toContain(e.reference);

    // A double click (Slack delivered before our update): nothing acts twice; the clicker is told.
    const before = answersTo(w, U.sup).length;
    await clickStale(U.sup, e.channel, e.msg.ts, 'esc_ack', e.escalationId);
    expect(await nextAnswer(w, U.sup, before)).toMatch(/Already acknowledged by/);
    expect(await audits('escalation.acknowledged', e.escalationId)).toHaveLength(1);

    // Pages would repeat every 15 minutes; after the acknowledgement none are planned.
    const pages = async () =>
      (
        await w.deps.db
          .select()
          .from(deliveries)
          .where(and(eq(deliveries.kind, 'crisis_page'), eq(deliveries.subjectId, e.escalationId)))
      ).length;
    const pagesBefore = await pages();
    for (let i = 0; i < 3; i++) {
      w.deps.clock.set(now().plus({ minutes: 15 }));
      await runEscalationSweep(w.deps);
    }
    expect(await pages()).toBe(pagesBefore);
    await w.deps.db.update(staff).set({ onCall: false }).where(eq(staff.id, w.staff.sup));
  });

  it('refuses someone without access politely (ephemeral) and changes nothing', async () => {
    const e = await escalationMessage({ reason: 'quiet_case', kind: 'escalation', to: w.staff.sup });
    // sup2 supervises another team; other is a worker of that team; stranger is not staff.
    for (const [user, expected] of [
      [U.sup2, /^I can't act on this: there is no such escalation among the ones you can see/],
      [U.other, /^I can't act on this: there is no such escalation among the ones you can see/],
      [U.stranger, /not in this service's staff directory/],
    ] as const) {
      const before = answersTo(w, user).length;
      await clickStale(user, e.channel, e.msg.ts, 'esc_ack', e.escalationId);
      expect(await nextAnswer(w, user, before)).toMatch(expected);
    }
    expect((await escRow(e.escalationId)).acknowledgedAt).toBeNull();
    expect(blockText(current(e.channel, e.msg.ts).blocks)).toContain('esc_ack'); // still actionable for the right person
    expect(w.slack.responseUrlPosts.every((p) => p.body.response_type !== 'in_channel')).toBe(true);
  });
});

describe('escalation [Snooze — reason required]', () => {
  it('opens a modal; no reason or a too long one → inline error with the modal kept open; with a reason → snoozed (encrypted, audited) and the message says so', async () => {
    const e = await escalationMessage({ reason: 'quiet_case', kind: 'escalation', to: w.staff.sup });
    const view = await modalFrom(U.sup, e, 'esc_snooze', 'snooze modal');
    expect(view.callback_id).toBe('esc_snooze_modal');

    const empty = await w.driver.viewSubmission(U.sup, view.id, { until: { v: 'P3D' }, reason: { v: '   ' } });
    expect(empty.body).toEqual({ response_action: 'errors', errors: { reason: 'Please give a reason (a few words are enough).' } });
    const long = await w.driver.viewSubmission(U.sup, view.id, { until: { v: 'P3D' }, reason: { v: 'x'.repeat(501) } });
    expect((long.body as { errors: Record<string, string> }).errors.reason).toMatch(/under 500 characters/);
    expect(w.slack.openViews(U.sup)).toHaveLength(1);
    expect((await escRow(e.escalationId)).snoozedUntil).toBeNull();

    const ok = await w.driver.viewSubmission(U.sup, view.id, {
      until: { v: 'P3D' },
      reason: { v: 'Worker on leave until Thursday; I spoke to the client myself.' },
    });
    expect(ok.body).toBe('');
    expect(w.slack.openViews(U.sup)).toHaveLength(0);
    const row = await escRow(e.escalationId);
    expect(row.snoozedUntil?.toISOString()).toBe(now().plus({ days: 3 }).toJSDate().toISOString());
    expect(row.snoozeReason).not.toContain('Worker on leave');
    expect(w.deps.cipher.decrypt(row.snoozeReason!, 'escalations.snooze_reason')).toBe('Worker on leave until Thursday; I spoke to the client myself.');
    expect(await audits('escalation.snoozed', e.escalationId)).toHaveLength(1);
    const updated = await vi.waitUntil(() => {
      const m = current(e.channel, e.msg.ts);
      return !blockText(m.blocks).includes('esc_snooze') ? m : undefined;
    }, SLACK_WAIT);
    expect(blockText(updated.blocks)).toContain(`Snoozed by <@${U.sup}> until`);
    expect(blockText(updated.blocks)).not.toContain('Worker on leave'); // the reason stays out of Slack messages
  });
});

describe('follow-up nudge buttons', () => {
  it('[No follow-up needed] requires a reason, then resolves the nudge and clears the follow-up date; [Snooze 1 day] snoozes', async () => {
    const e = await escalationMessage({ reason: 'follow_up_overdue', kind: 'follow_up_nudge', to: w.staff.worker });
    await setCase(w.deps.db, e.caseId, { nextFollowUpAt: now().minus({ days: 1 }).toJSDate() });
    const view = await modalFrom(U.worker, e, 'esc_not_needed', 'reason modal');
    expect((await w.driver.viewSubmission(U.worker, view.id, { reason: { v: '' } })).body).toMatchObject({
      response_action: 'errors',
      errors: { reason: expect.any(String) },
    });
    expect((await w.driver.viewSubmission(U.worker, view.id, { reason: { v: 'Client moved abroad; case closing next week.' } })).body).toBe('');
    const row = await escRow(e.escalationId);
    expect(row.resolvedBy).toBe(w.staff.worker);
    expect((await w.deps.db.select().from(cases).where(eq(cases.id, e.caseId)))[0]!.nextFollowUpAt).toBeNull();
    await expect
      .poll(() => blockText(current(e.channel, e.msg.ts).blocks).includes(`closed by <@${U.worker}>`), { ...SLACK_WAIT, message: 'nudge updated' })
      .toBeTruthy();

    const e2 = await escalationMessage({ reason: 'follow_up_overdue', kind: 'follow_up_nudge', to: w.staff.worker });
    await w.driver.blockAction(U.worker, { channel: e2.channel, ts: e2.msg.ts }, 'esc_snooze_day');
    const snoozed = await snoozedRow(e2.escalationId);
    expect(snoozed.snoozedUntil!.toISOString()).toBe(now().plus({ days: 1 }).toJSDate().toISOString());
    await expect
      .poll(() => blockText(current(e2.channel, e2.msg.ts).blocks).includes('Snoozed for 1 day by'), { ...SLACK_WAIT, message: 'nudge updated' })
      .toBeTruthy();
  });
});

describe('outcome question [No-show] / [Attended]', () => {
  it("a no-show on Friday sets the follow-up to Monday 09:00 in the worker's zone, once; another worker is refused", async () => {
    w.deps.clock.set(DateTime.fromISO('2026-11-27T15:00:00Z', { zone: 'utc' })); // Friday, London
    const c = await newCase(w, { assignTo: w.staff.worker });
    const appt = await appointmentWithMessage(c.caseId, 'outcome_question', { startsAt: now().minus({ hours: 3 }).toJSDate() });
    // (The crisis acknowledged earlier in this file has its check-in to the client due by now, too.)
    expect((await flush(w)).filter((d) => d.kind !== 'crisis_checkin')).toEqual([{ kind: 'outcome_question', outcome: 'sent' }]);
    const msg = w.slack.dmWith(U.worker).at(-1)!;
    expect(blockText(msg.blocks)).toContain(`${appt.id}:${appt.version}`);

    const before = answersTo(w, U.other).length;
    await clickStale(U.other, msg.channel, msg.ts, 'appt_outcome_no_show', `${appt.id}:${appt.version}`);
    expect(await nextAnswer(w, U.other, before)).toMatch(/^I can't show case: there is no such case among the ones you can see/);

    await w.driver.blockAction(U.worker, { channel: msg.channel, ts: msg.ts }, 'appt_outcome_no_show');
    const row = await vi.waitUntil(async () => {
      const [a] = await w.deps.db.select().from(appointments).where(eq(appointments.id, appt.id));
      return a!.status === 'no_show' ? a : undefined;
    }, SLACK_WAIT);
    expect(row.outcomeAt).not.toBeNull();
    const [cs] = await w.deps.db.select().from(cases).where(eq(cases.id, c.caseId));
    expect(cs!.nextFollowUpAt!.toISOString()).toBe('2026-11-30T09:00:00.000Z');
    expect(cs!.consecutiveNoShows).toBe(1);
    const updated = await vi.waitUntil(() => {
      const m = current(msg.channel, msg.ts);
      return !blockText(m.blocks).includes('appt_outcome_no_show') ? m : undefined;
    }, SLACK_WAIT);
    expect(blockText(updated.blocks)).toContain(`Recorded by <@${U.worker}>: *No-show*. Follow-up set for Mon 30 Nov 09:00`);
    expect(blockText(updated.blocks)).toContain('case_log_note');

    // Double click: still one no-show.
    const b2 = answersTo(w, U.worker).length;
    await clickStale(U.worker, msg.channel, msg.ts, 'appt_outcome_no_show', `${appt.id}:${appt.version}`);
    expect(await nextAnswer(w, U.worker, b2)).toMatch(/already recorded as no-show/);
    expect(await audits('appointment.no_show', appt.id)).toHaveLength(1);
    expect((await w.deps.db.select().from(cases).where(eq(cases.id, c.caseId)))[0]!.consecutiveNoShows).toBe(1);

    // A forged value is answered, not crashed on.
    const b3 = answersTo(w, U.worker).length;
    await clickStale(U.worker, msg.channel, msg.ts, 'appt_outcome_attended', 'not-a-value');
    expect(await nextAnswer(w, U.worker, b3)).toBe('This appointment no longer exists.');
  });
});

describe('[Open case] and [Reassign] on an escalation', () => {
  it('shows the card to the supervisor (audited); reassign offers a picker that reassigns within the team; a worker cannot', async () => {
    const e = await escalationMessage({ reason: 'quiet_case', kind: 'escalation', to: w.staff.sup });
    const before = answersTo(w, U.sup).length;
    await w.driver.blockAction(U.sup, { channel: e.channel, ts: e.msg.ts }, 'case_open');
    await nextAnswer(w, U.sup, before, 'case card');
    expect(answersTo(w, U.sup).at(-1)).toContain(e.reference);
    expect(
      (
        await w.deps.db
          .select()
          .from(auditLog)
          .where(and(eq(auditLog.action, 'case.viewed'), eq(auditLog.caseId, e.caseId)))
      ).length,
    ).toBeGreaterThan(0);

    const bw = answersTo(w, U.worker).length;
    await clickStale(U.worker, e.channel, e.msg.ts, 'case_reassign', e.caseId);
    expect(await nextAnswer(w, U.worker, bw)).toMatch(/only supervisors and admins can reassign/);

    const b2 = w.slack.responseUrlPosts.length;
    await w.driver.blockAction(U.sup, { channel: e.channel, ts: e.msg.ts }, 'case_reassign');
    const picker = await vi.waitUntil(
      () => w.slack.responseUrlPosts.slice(b2).find((p) => JSON.stringify(p.body.blocks ?? []).includes('users_select')),
      SLACK_WAIT,
    );
    const blocks = picker.body.blocks as Array<{ block_id?: string }>;
    expect(blocks.some((b) => b.block_id === `intake:${e.caseId}`)).toBe(true);
    // The pick goes through the intake picker's listener (assign.flow.ts).
    await w.driver.interaction({
      ...dmBlockActionBy(w, U.sup),
      actions: [{ type: 'users_select', action_id: 'intake_assign_pick', block_id: `intake:${e.caseId}`, selected_user: U.worker2, action_ts: '1' }],
    });
    await expect
      .poll(async () => (await w.deps.db.select().from(cases).where(eq(cases.id, e.caseId)))[0]!.assignedWorkerId === w.staff.worker2, {
        ...SLACK_WAIT,
        message: 'reassigned',
      })
      .toBeTruthy();
  });
});

describe('hostile requests on escalation messages (issue 19)', () => {
  /** A signed click whose channel/ts/text the sender chose. */
  async function forged(user: string, value: string, actionId: string, target: { channel: string; ts: string }, text: string) {
    return w.driver.interaction({
      ...blockActionBy(w, user),
      channel: { id: target.channel },
      container: { type: 'message', channel_id: target.channel, message_ts: target.ts },
      message: { ts: target.ts, text },
      actions: [{ type: 'button', action_id: actionId, block_id: 'x', value, action_ts: '1' }],
    });
  }

  it("a button naming another message (another case's card) acts on its own escalation but edits nothing else; forged text never shows", async () => {
    await flush(w, { all: true });
    const mine = await escalationMessage({ reason: 'quiet_case', kind: 'escalation', to: w.staff.worker });
    const victim = await escalationMessage({ reason: 'quiet_case', kind: 'escalation', to: w.staff.worker });
    const before = JSON.stringify(current(victim.channel, victim.msg.ts));
    const edits = () => w.slack.calls.filter((c) => c.method === 'chat.update').length;
    const editsBefore = edits();
    await forged(U.worker, mine.escalationId, 'esc_ack', { channel: victim.channel, ts: victim.msg.ts }, 'FORGED: call <http://evil.example|your bank>');
    await expect.poll(async () => (await escRow(mine.escalationId)).acknowledgedAt, { ...SLACK_WAIT, message: 'acknowledged' }).toBeTruthy();

    // Its own message, with forged text: the buttons go, the text is ours.
    const own = await escalationMessage({ reason: 'quiet_case', kind: 'escalation', to: w.staff.worker });
    await forged(U.worker, own.escalationId, 'esc_ack', { channel: own.channel, ts: own.msg.ts }, 'FORGED <!channel>');
    const updated = await vi.waitUntil(() => {
      const m = current(own.channel, own.msg.ts);
      return !blockText(m.blocks).includes('esc_ack') ? m : undefined;
    }, SLACK_WAIT);
    expect(updated.text).not.toContain('FORGED');
    expect(blockText(updated.blocks)).not.toContain('FORGED');
    expect(blockText(updated.blocks)).toContain(own.reference);
    // By now the forged click's handler has long finished: the other message was never edited.
    expect(JSON.stringify(current(victim.channel, victim.msg.ts))).toBe(before);
    expect((await escRow(victim.escalationId)).acknowledgedAt).toBeNull();
    expect(edits()).toBe(editsBefore + 1);
  });

  it('a reason modal whose private metadata names another message edits only its own', async () => {
    const mine = await escalationMessage({ reason: 'follow_up_overdue', kind: 'follow_up_nudge', to: w.staff.worker });
    const victim = await escalationMessage({ reason: 'follow_up_overdue', kind: 'follow_up_nudge', to: w.staff.worker });
    const before = JSON.stringify(current(victim.channel, victim.msg.ts));
    const view = await modalFrom(U.worker, mine, 'esc_not_needed', 'reason modal');
    // The submission comes back signed, with metadata naming the other message (and text of its own).
    const meta = JSON.parse(view.private_metadata!);
    const state = { values: viewStateValues(view.blocks as unknown[], { reason: { v: 'Client moved away.' } }) };
    const res = await w.driver.interaction(
      viewSubmissionBy(w, U.worker, {
        ...view,
        state,
        private_metadata: JSON.stringify({ ...meta, channel: victim.channel, ts: victim.msg.ts, text: 'FORGED' }),
      }),
    );
    expect(res).toMatchObject({ status: 200, body: '' });
    expect((await escRow(mine.escalationId)).resolvedAt).not.toBeNull();
    // The other message is not edited: the result goes to the worker's DM instead.
    await expect
      .poll(() => w.slack.dmWith(U.worker).find((m) => m.text.startsWith('✔️ No follow-up needed — closed by')), {
        ...SLACK_WAIT,
        message: 'the result in the DM',
      })
      .toBeTruthy();
    expect(JSON.stringify(current(victim.channel, victim.msg.ts))).toBe(before);
    expect(blockText(current(victim.channel, victim.msg.ts).blocks)).not.toContain('FORGED');
  });

  it('replaying [Snooze 1 day] snoozes once: the time does not move and one audit row is written', async () => {
    const e = await escalationMessage({ reason: 'follow_up_overdue', kind: 'follow_up_nudge', to: w.staff.worker });
    await w.driver.blockAction(U.worker, { channel: e.channel, ts: e.msg.ts }, 'esc_snooze_day');
    const first = await snoozedRow(e.escalationId);
    w.deps.clock.advance({ hours: 2 });
    const before = answersTo(w, U.worker).length;
    await clickStale(U.worker, e.channel, e.msg.ts, 'esc_snooze_day', e.escalationId);
    expect(await nextAnswer(w, U.worker, before)).toMatch(/already snoozed until .*nothing changed/);
    expect((await escRow(e.escalationId)).snoozedUntil!.toISOString()).toBe(first.snoozedUntil!.toISOString());
    expect(await audits('escalation.snoozed', e.escalationId)).toHaveLength(1);
  });
});

describe('[Keep it] under a client\'s "can\'t come"', () => {
  /** A scheduled appointment the client said they cannot come to, and the notice we posted to the worker about it. */
  async function cantComeNotice() {
    const c = await newCase(w, { assignTo: w.staff.worker });
    const appt = await appointmentWithMessage(c.caseId, 'appointment_response.cant_come', {
      startsAt: now().plus({ days: 2 }).toJSDate(),
      clientResponse: 'cant_come',
      clientRespondedAt: now().toJSDate(),
    });
    await flush(w);
    const msg = w.slack.dmWith(U.worker).find((m) => m.text.startsWith(`The client of ${c.reference} says they *can't come*`))!;
    expect(blockText(msg.blocks)).toContain('appt_keep');
    return { c, appt: appt!, msg };
  }

  it("a press naming another message (another case's notice) keeps its own appointment but edits nothing else; the result goes to the DM", async () => {
    const mine = await cantComeNotice();
    const victim = await cantComeNotice();
    const before = JSON.stringify(current(victim.msg.channel, victim.msg.ts));
    const dmBefore = w.slack.dmWith(U.worker).length;
    // Signed, from the right person, with her own appointment — but naming the other notice's channel and ts.
    await clickStale(U.worker, victim.msg.channel, victim.msg.ts, 'appt_keep', `${mine.appt.id}:${mine.appt.version}`);
    await expect
      .poll(
        () =>
          w.slack
            .dmWith(U.worker)
            .slice(dmBefore)
            .find((m) => m.text.startsWith('Kept by <@')),
        { ...SLACK_WAIT, message: 'the result in the DM' },
      )
      .toBeTruthy();
    expect(await audits('appointment.kept', mine.appt.id)).toHaveLength(1);
    expect(await audits('appointment.kept', victim.appt.id)).toHaveLength(0);
    expect(JSON.stringify(current(victim.msg.channel, victim.msg.ts))).toBe(before);
    expect(blockText(current(victim.msg.channel, victim.msg.ts).blocks)).toContain('appt_keep');
    // Its own notice, pressed as Slack sends it, is edited: our title, who kept it, no buttons.
    const v2 = await cantComeNotice();
    await w.driver.blockAction(U.worker, { channel: v2.msg.channel, ts: v2.msg.ts }, 'appt_keep');
    const edited = await vi.waitUntil(() => {
      const m = current(v2.msg.channel, v2.msg.ts);
      return blockText(m.blocks).includes('Kept by <@') ? m : undefined;
    }, SLACK_WAIT);
    expect(blockText(edited.blocks)).not.toContain('appt_keep');
    expect(edited.text).toMatch(
      /^The client of C-\d{4}-\d{4} says they \*can't come\* to the appointment on \w{3} \d+ \w{3} \d\d:\d\d GMT, in person, 60 min\.$/,
    );
    expect(edited.text).toContain(v2.c.reference);
  });

  it("someone who may not see the case gets the case answer, not the appointment's new time", async () => {
    const n = await cantComeNotice();
    await w.deps.db
      .update(appointments)
      .set({ version: 2, startsAt: now().plus({ days: 5 }).toJSDate() })
      .where(eq(appointments.id, n.appt.id));
    const before = answersTo(w, U.other).length;
    await clickStale(U.other, n.msg.channel, n.msg.ts, 'appt_keep', `${n.appt.id}:1`);
    expect(await nextAnswer(w, U.other, before)).toMatch(/^I can't show case: there is no such case among the ones you can see/);
    const b2 = answersTo(w, U.other).length;
    await clickStale(U.other, n.msg.channel, n.msg.ts, 'appt_reschedule', n.appt.id);
    expect(await nextAnswer(w, U.other, b2)).toMatch(/^I can't show case: there is no such case among the ones you can see/);
    // The worker whose case it is hears what is true now.
    const b3 = answersTo(w, U.worker).length;
    await clickStale(U.worker, n.msg.channel, n.msg.ts, 'appt_keep', `${n.appt.id}:1`);
    expect(await nextAnswer(w, U.worker, b3)).toMatch(/^This appointment was moved since this message: it is now on /);
  });
});
