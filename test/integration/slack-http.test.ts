import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLACK_WAIT } from '../helpers/waits.js';
import { eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { pino } from 'pino';
import { cases, inboundDedupe, notes } from '../../src/db/schema.js';
import { answersTo, createSlackWorld, newCase, nextAnswer, U, openModalByButton, type SlackWorld } from './slack-harness.js';
import { chunkSink } from '../helpers/log-sink.js';

/**
 * The HTTP edge: signature and timestamp checks, Slack's retries stored once,
 * ack before work, and failures shown as a reference while the details go to
 * the log.
 */
let w: SlackWorld;
const logLines: Array<Record<string, unknown>> = [];
beforeAll(async () => {
  const sink = chunkSink((chunk) => {
    for (const line of chunk.split('\n').filter(Boolean)) logLines.push(JSON.parse(line) as Record<string, unknown>);
  });
  w = await createSlackWorld({ deps: (d) => ({ ...d, logger: pino({ level: 'info' }, sink) }) });
});
afterAll(async () => {
  await w?.close();
});

const publishes = () => w.slack.calls.filter((c) => c.method === 'views.publish').length;
const dropped = (eventId: string) => logLines.filter((l) => l.msg === 'duplicate slack event dropped' && l.eventId === eventId);

describe('request verification', () => {
  it('rejects a bad signature and a timestamp older than 5 minutes with 401, for commands, actions and events', async () => {
    const c = await newCase(w, { assignTo: w.staff.worker });
    const before = w.slack.calls.length;
    expect((await w.driver.slashCommand({ command: '/case', text: c.reference, userId: U.worker }, { badSignature: true })).status).toBe(401);
    expect((await w.driver.slashCommand({ command: '/case', text: c.reference, userId: U.worker }, { staleTimestamp: true })).status).toBe(401);
    expect((await w.driver.slashCommand({ command: '/case', text: c.reference, userId: U.worker }, { staleTimestamp: 301 })).status).toBe(401);
    expect((await w.driver.appHomeOpened(U.worker, { badSignature: true })).status).toBe(401);
    expect((await w.driver.appHomeOpened(U.worker, { staleTimestamp: true })).status).toBe(401);
    const forged = await w.driver.interaction(
      {
        type: 'block_actions',
        user: { id: U.worker },
        trigger_id: w.slack.issueTrigger(U.worker),
        actions: [{ type: 'button', action_id: 'case_close', block_id: 'b', value: c.caseId, action_ts: '1' }],
      },
      { badSignature: true },
    );
    expect(forged.status).toBe(401);
    // Nothing happened: no Web API call, no answer.
    expect(w.slack.calls.length).toBe(before);
    expect(answersTo(w, U.worker)).toEqual([]);
    // A fresh, correctly signed request goes through; Slack's URL check is answered.
    expect((await w.driver.slashCommand({ command: '/case', text: c.reference, userId: U.worker }, { staleTimestamp: 240 })).status).toBe(200);
    expect(await w.driver.urlVerification('challenge-1')).toMatchObject({ status: 200, body: { challenge: 'challenge-1' } });
  });
});

describe('Slack retries', () => {
  it('an event retried with x-slack-retry-num is handled once (inbound_dedupe, source slack)', async () => {
    const before = publishes();
    const first = await w.driver.appHomeOpened(U.worker);
    await expect.poll(() => publishes() > before, { ...SLACK_WAIT, message: 'views.publish' }).toBeTruthy();
    const again = (retryNum: number) =>
      w.driver.event(
        { type: 'app_home_opened', user: U.worker, channel: w.slack.dmChannel(U.worker), tab: 'home' },
        { eventId: first.event_id, retryNum, retryReason: 'http_timeout' },
      );
    const retry1 = await again(1);
    const retry2 = await again(2);
    expect([retry1.status, retry2.status]).toEqual([200, 200]);
    await expect.poll(() => dropped(first.event_id).length === 2, { ...SLACK_WAIT, message: 'both retries dropped' }).toBeTruthy();
    // Bolt answers each request at once and handles the event after, so the two drops may be logged in either order.
    expect(
      dropped(first.event_id)
        .map((l) => l.retryNum)
        .sort(),
    ).toEqual([1, 2]);
    expect(publishes()).toBe(before + 1);
    const rows = await w.deps.db
      .select()
      .from(inboundDedupe)
      .where(eq(inboundDedupe.externalId, `event:${first.event_id}`));
    expect(rows.map((r) => r.source)).toEqual(['slack']);
  });

  it('a direct message retried by Slack is answered once, and nothing typed in the DM reaches a client', async () => {
    const m = await w.driver.directMessage(U.worker, 'please tell Mei I am late');
    const answers = () => w.slack.dmWith(U.worker).filter((x) => x.thread_ts === m.ts && x.ts !== m.ts);
    await expect.poll(() => answers().length > 0, { ...SLACK_WAIT, message: 'the answer' }).toBeTruthy();
    await w.driver.event(
      { type: 'message', channel: w.slack.dmChannel(U.worker), user: U.worker, text: 'please tell Mei I am late', ts: m.ts, channel_type: 'im' },
      { eventId: m.event_id, retryNum: 1 },
    );
    await expect.poll(() => dropped(m.event_id).length === 1, { ...SLACK_WAIT, message: 'the retry dropped' }).toBeTruthy();
    expect(answers().map((x) => x.text.split('\n')[0])).toEqual([
      'Messages typed here are not sent to anyone. To write to a client, use *Message client* on the case card.',
    ]);
    expect(await w.deps.db.select().from(notes).where(eq(notes.kind, 'message'))).toEqual([]);
  });
});

describe('ack first, then work', () => {
  it('answers Slack while the database work is still blocked, then finishes', async () => {
    const c = await newCase(w);
    const { intakeCardTs } = (await w.deps.db.select().from(cases).where(eq(cases.id, c.caseId)))[0]!;
    expect(intakeCardTs).toBeNull();
    const card = await w.slack.addChannel({ id: 'C0ACKTEST1', name: 'ack-test' });
    const posted = await fetch(`${w.slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${w.slack.botToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        channel: card.id,
        text: 'card',
        blocks: [
          {
            type: 'actions',
            block_id: `intake:${c.caseId}`,
            elements: [{ type: 'button', action_id: 'intake_assign_me', value: c.caseId, text: { type: 'plain_text', text: 'Assign to me' } }],
          },
        ],
      }),
    }).then((r) => r.json() as Promise<{ ts: string }>);
    // Someone else holds the case row: the assignment must wait for it.
    const blocker = new pg.Client({ connectionString: w.deps.testDb.url });
    await blocker.connect();
    await blocker.query('begin');
    await blocker.query('select id from cases where id = $1 for update', [c.caseId]);
    const before = answersTo(w, U.worker).length;
    const res = await w.driver.blockAction(U.worker, { channel: card.id, ts: posted.ts }, 'intake_assign_me');
    expect(res).toMatchObject({ status: 200, body: '' });
    expect(answersTo(w, U.worker).length).toBe(before);
    expect((await w.deps.db.select().from(cases).where(eq(cases.id, c.caseId)))[0]!.assignedWorkerId).toBeNull();
    await blocker.query('commit');
    await blocker.end();
    expect(await nextAnswer(w, U.worker, before)).toBe(`${c.reference} is now assigned to you. The case card is on its way to your DM.`);
  });
});

describe('failures', () => {
  it('show the person a reference and nothing more; the details go to the log; a failed submission keeps the modal open', async () => {
    const c = await newCase(w, { assignTo: w.staff.worker });
    const view = await openModalByButton(w, U.worker, 'case_phase', c.caseId);

    await w.deps.db.execute(sql`alter table goals rename to goals_away`);
    await w.deps.db.execute(sql`alter table inbound_dedupe rename to inbound_dedupe_away`);
    try {
      const before = answersTo(w, U.worker).length;
      await w.driver.slashCommand({ command: '/case', text: c.reference, userId: U.worker });
      const answer = await nextAnswer(w, U.worker, before);
      const ref = /reference to your admin: \*([0-9A-F]{8})\*/.exec(answer)?.[1];
      expect(answer).toMatch(/^Sorry, something went wrong on our side and nothing was changed\. Please try again in a moment/);
      expect(answer).not.toContain('goals');
      const logged = logLines.find((l) => l.ref === ref)!;
      expect(logged).toMatchObject({ level: 50, where: 'command:/case', slackUser: U.worker, msg: 'slack handler failed' });
      expect(String(logged.err)).toContain('goals');

      const res = await w.driver.viewSubmission(U.worker, view.id, { phase: { v: 'planning' }, reason: { v: 'Needs a new plan' } });
      const err = (res.body as { errors: { phase: string } }).errors.phase;
      expect(err).toMatch(
        /^Sorry, this could not be saved because of a problem on our side\. Your text is still here: please try again\. If it keeps happening, give your admin this reference: [0-9A-F]{8}\.$/,
      );
      expect(w.slack.openViews(U.worker).map((v) => v.id)).toContain(view.id);
      expect(logLines.some((l) => l.where === 'view:phase_modal' && String(l.err).includes('inbound_dedupe'))).toBe(true);
    } finally {
      await w.deps.db.execute(sql`alter table goals_away rename to goals`);
      await w.deps.db.execute(sql`alter table inbound_dedupe_away rename to inbound_dedupe`);
    }
    // Once the fault is gone the same modal saves.
    expect((await w.driver.viewSubmission(U.worker, view.id, { phase: { v: 'planning' }, reason: { v: 'Needs a new plan' } })).body).toBe('');
    expect((await w.deps.db.select().from(cases).where(eq(cases.id, c.caseId)))[0]!.phase).toBe('planning');
  });
});

describe('wiring', () => {
  it('the Slack front end mounts on the shared HTTP app at /slack/events and seeds the admins', async () => {
    const { createHttpApp, listen, closeServer } = await import('../../src/http/server.js');
    const { slackFrontEnd } = await import('../../src/slack/slack.frontend.js');
    const { staff } = await import('../../src/db/schema.js');
    const { SlackAppDriver } = await import('../../src/sandbox/slack-signing.js');
    await w.deps.db.delete(staff).where(eq(staff.slackUserId, U.admin));
    const app = createHttpApp(w.deps);
    const running = await slackFrontEnd.start(w.deps, app);
    const server = await listen(app, '127.0.0.1', 0);
    try {
      const [admin] = await w.deps.db.select().from(staff).where(eq(staff.slackUserId, U.admin));
      expect(admin).toMatchObject({ role: 'admin', displayName: 'Ada Admin', timeZone: 'Europe/London' });
      const driver = new SlackAppDriver({
        appUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
        signingSecret: 'slack-test-signing-secret',
        emulator: w.slack,
      });
      expect((await driver.slashCommand({ command: '/case', text: 'help', userId: U.admin }, { badSignature: true })).status).toBe(401);
      const before = answersTo(w, U.admin).length;
      expect((await driver.slashCommand({ command: '/case', text: 'help', userId: U.admin })).status).toBe(200);
      expect(await nextAnswer(w, U.admin, before)).toContain('*Casework commands*');
    } finally {
      await running.stop();
      await closeServer(server);
    }
  });

  it('uses Socket Mode with an app-level token, and HTTP mode refuses to start without a signing secret', async () => {
    const { createSlackApp } = await import('../../src/slack/slack.app.js');
    expect(createSlackApp(w.deps, { token: w.slack.botToken, appToken: 'xapp-1-test' }).mode).toBe('socket');
    expect(() => createSlackApp(w.deps, { token: w.slack.botToken })).toThrow(/SLACK_SIGNING_SECRET is required/);
  });
});
