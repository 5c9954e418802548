import { describe, expect, it } from 'vitest';
import { SLACK_WAIT } from '../helpers/waits.js';
import { and, eq } from 'drizzle-orm';
import { cases, deliveries } from '../../src/db/schema.js';
import { openDueEscalations } from '../../src/escalations/escalation-open.js';
import { answersTo, blockText, flush, INTAKE, newCase, nextAnswer, U, handOffCase, useSlackWorld } from './slack-harness.js';
import { setCase } from '../helpers/factories.js';

/**
 * Issue 12, part 3: the case card already posted in the worker's DM follows
 * every change (chat.update, planned as ledger rows), and App Home is
 * republished for the people whose view changed. Real Bolt app, real sender,
 * Slack emulator, PostgreSQL, Redis.
 */
const w = useSlackWorld();

let caseId = '';
let reference = '';
let cardTs = '';
let cardChannel = '';
const card = () => w.slack.messages(cardChannel).find((m) => m.ts === cardTs)!;
/** The card's blocks as text, with mrkdwn as typed (quotes unescaped). */
const cardText = () => blockText(card().blocks).replace(/\\"/g, '"').replace(/\\n/g, '\n');
const home = (user: string) => blockText(w.slack.homeView(user)?.blocks);

async function modal(user: string, actionId: string) {
  const before = w.slack.calls.filter((c) => c.method === 'views.open' && c.ok).length;
  await w.driver.blockAction(user, { channel: cardChannel, ts: cardTs }, actionId);
  await expect
    .poll(() => w.slack.calls.filter((c) => c.method === 'views.open' && c.ok).length > before, { ...SLACK_WAIT, message: `${actionId} modal` })
    .toBeTruthy();
  return w.slack.openViews(user).at(-1)!;
}

describe('live case cards and App Home', () => {
  it('after an assignment, App Home is republished for the worker, their supervisor and everyone who saw the case unassigned', async () => {
    const c = await newCase(w);
    caseId = c.caseId;
    reference = c.reference;
    await handOffCase(caseId, w.deps);
    await flush(w);
    const intakeCard = w.slack.messages(INTAKE).find((m) => m.text.includes(reference))!;
    const before = answersTo(w, U.worker).length;
    await w.driver.blockAction(U.worker, { channel: INTAKE, ts: intakeCard.ts }, 'intake_assign_me');
    await nextAnswer(w, U.worker, before);
    const sent = await flush(w, { all: true });
    expect(sent.filter((s) => s.kind === 'app_home' && s.outcome === 'sent').length).toBeGreaterThanOrEqual(3);
    expect(sent).toContainEqual({ kind: 'assignment_dm', outcome: 'sent' });

    // Nobody opened the tab: it is current anyway.
    expect(home(U.worker)).toContain(reference);
    expect(home(U.sup)).toContain(`*<@${U.worker}>* — 1 open`);
    expect(home(U.sup2)).not.toContain(reference); // no longer in the unassigned list; not their team
    expect(w.slack.homeView(U.other)).toBeUndefined(); // a worker elsewhere: nothing changed for them

    const [row] = await w.deps.db.select().from(cases).where(eq(cases.id, caseId));
    cardTs = row!.slackThreadTs!;
    cardChannel = row!.slackChannel!;
    expect(cardText()).toContain('*Last note:* _none yet_');
    expect(cardText()).toContain('⚠️ Goal — *missing*');
  });

  it('after a note, the card in the DM says so (the same message, edited)', async () => {
    const view = await modal(U.worker, 'case_log_note');
    await w.driver.viewSubmission(U.worker, view.id, {
      case_ref: { v: reference },
      kind: { v: 'phone' },
      contact_date: { v: '2026-11-23' },
      contact_time: { v: '08:30' },
      text: { v: 'Called Mei; she will come on Wednesday.' },
    });
    expect(await flush(w, { all: true })).toContainEqual({ kind: 'case_card_update', outcome: 'sent' });
    expect(cardText()).toContain('*Last note:* Phone call, today — “Called Mei; she will come on Wednesday.”');
    expect(card().text).toBe(`You have been assigned Case ${reference} (Mei): Assessment`);
    expect(w.slack.messages(cardChannel).filter((m) => m.ts === cardTs)).toHaveLength(1);
  });

  it('after a plan change and a phase change, the card shows the goal, the plan and the new phase', async () => {
    let view = await modal(U.worker, 'case_goals');
    await w.driver.viewSubmission(U.worker, view.id, {
      goal_0: { v: 'Mei and her son talk every week' },
      assess_0: { v: 'Weekly log kept by Mei' },
      plan: { v: 'Six fortnightly sessions.' },
      self_help: { v: 'Mei plans the weekly call herself.' },
      case_type: { v: 'therapeutic' },
    });
    await flush(w);
    let t = cardText();
    expect(t).toContain('*Goal 1:* Mei and her son talk every week\n   _Assessed by:_ Weekly log kept by Mei');
    for (const s of ['✅ Goal', '✅ Plan', '✅ How it will be assessed', '✅ Self-help focus', '*Type:* Therapeutic']) expect(t).toContain(s);

    view = await modal(U.worker, 'case_phase');
    await w.driver.viewSubmission(U.worker, view.id, { phase: { v: 'planning' } });
    await flush(w);
    t = cardText();
    expect(t).toContain('*Phase:* Goal setting & planning');
    expect(card().text).toBe(`You have been assigned Case ${reference} (Mei): Goal setting & planning`);
  });

  it('a 429 on chat.update loses nothing: the row waits and the card is updated after Retry-After', async () => {
    w.slack.rateLimitNext('chat.update', 1, 1);
    w.deps.clock.advance({ minutes: 5 }); // a later note than the first (same instant would tie)
    const view = await modal(U.worker, 'case_log_note');
    await w.driver.viewSubmission(U.worker, view.id, {
      case_ref: { v: reference },
      kind: { v: 'interview' },
      contact_date: { v: '2026-11-23' },
      text: { v: 'Met Mei at the office.' },
    });
    const sent = await flush(w, { all: true });
    expect(sent).toContainEqual({ kind: 'case_card_update', outcome: 'wait:platform_rate_limited' });
    expect(sent).toContainEqual({ kind: 'case_card_update', outcome: 'sent' });
    expect(w.slack.calls.some((c) => c.method === 'chat.update' && c.status === 429)).toBe(true);
    expect(cardText()).toContain('*Last note:* Interview, today — “Met Mei at the office.”');
    const rows = await w.deps.db
      .select()
      .from(deliveries)
      .where(and(eq(deliveries.caseId, caseId), eq(deliveries.kind, 'case_card_update')));
    expect(rows.every((r) => r.status === 'sent' || (r.status === 'skipped' && r.reason === 'superseded'))).toBe(true);
  });

  it("after the sweep opens an escalation, the supervisor's App Home lists it without the tab being reopened", async () => {
    expect(home(U.sup)).not.toContain(`*${reference}* · Follow-up overdue`);
    const now = w.deps.clock.now();
    await setCase(w.deps.db, caseId, {
      nextFollowUpAt: now.minus({ hours: 1 }).toJSDate(),
      followUpSetAt: now.minus({ days: 2 }).toJSDate(),
      lastNoteAt: now.minus({ days: 3 }).toJSDate(),
    });
    expect(await openDueEscalations(w.deps)).toBeGreaterThanOrEqual(1);
    const sent = await flush(w, { all: true });
    expect(sent).toContainEqual({ kind: 'app_home', outcome: 'sent' });
    expect(home(U.sup)).toContain(`*${reference}* · Follow-up overdue · level 0`);
  });

  it('a card that can no longer be edited fails with its reason and tells nobody (it is not a missed message)', async () => {
    w.slack.failChannel(cardChannel, 'channel_not_found');
    w.deps.clock.advance({ minutes: 5 });
    const view = await modal(U.worker, 'case_log_note').catch(() => undefined);
    expect(view).toBeDefined();
    await w.driver.viewSubmission(U.worker, view!.id, {
      case_ref: { v: reference },
      kind: { v: 'phone' },
      contact_date: { v: '2026-11-23' },
      text: { v: 'Short call.' },
    });
    expect(await flush(w, { all: true })).toContainEqual({ kind: 'case_card_update', outcome: 'failed:slack_channel_not_found' });
    w.slack.unfailChannel(cardChannel);
    const notices = await w.deps.db
      .select()
      .from(deliveries)
      .where(and(eq(deliveries.caseId, caseId), eq(deliveries.kind, 'delivery_failed_notice')));
    expect(notices).toEqual([]);
  });
});
