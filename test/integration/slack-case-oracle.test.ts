import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SLACK_WAIT } from '../helpers/waits.js';
import { viewSubmissionBy } from '../helpers/slack-actions.js';
import { and, eq, inArray } from 'drizzle-orm';
import { auditLog, staff } from '../../src/db/schema.js';
import { openEscalation } from '../../src/escalations/escalations.repo.js';
import { caseForActor } from '../../src/slack/access.js';
import { viewStateValues } from '../../src/sandbox/slack-signing.payloads.js';
import type { Db } from '../../src/db/client.js';
import type { Deps } from '../../src/deps.js';
import { answersTo, blockText, createSlackWorld, pressCaseButton, newCase, nextAnswer, openCaseModal, U, type SlackWorld } from './slack-harness.js';
import { caseAudit } from '../helpers/audit.js';
import { chunkSink } from '../helpers/log-sink.js';

/**
 * Issue 19, existence oracle: references are sequential, so a staff member
 * must not learn from an answer whether a case exists. Every way a case is
 * looked up for staff — `/case C-…` and its subcommands, buttons carrying a
 * case or escalation id, a modal's private metadata — answers a case that does
 * not exist and one the asker may not see with the same words, after the same
 * queries; each refusal is audited ('case.access_refused', with the reference
 * tried) and logged, without personal data. List views are audited too.
 */
let w: SlackWorld;
const logs: string[] = [];
beforeAll(async () => {
  const sink = chunkSink((chunk) => logs.push(chunk));
  w = await createSlackWorld({ deps: (d) => ({ ...d, logger: pino({ level: 'info' }, sink) }) as Deps });
});
afterAll(async () => {
  await w?.close();
});

const UNAVAILABLE = (ref: string) =>
  `I can't show case${ref ? ` ${ref}` : ''}: there is no such case among the ones you can see. Check the reference (it looks like C-2026-0042); if it is a colleague's case, ask your supervisor.`;
const MISSING_REF = 'C-2026-9998';

async function command(user: string, text: string): Promise<string> {
  const before = answersTo(w, user).length;
  expect(await w.driver.slashCommand({ command: '/case', text, userId: user })).toMatchObject({ status: 200, body: '' });
  return nextAnswer(w, user, before, `/case ${text}`);
}

async function click(user: string, actionId: string, value: string): Promise<string> {
  const before = answersTo(w, user).length;
  const res = await pressCaseButton(w, user, actionId, value);
  expect(res).toMatchObject({ status: 200, body: '' });
  return nextAnswer(w, user, before, actionId);
}

const refusals = async (staffId: string) =>
  w.deps.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, 'case.access_refused'), eq(auditLog.actorId, staffId)))
    .orderBy(auditLog.id);

describe("one answer for a missing case and another's", () => {
  it('/case C-…, log, note, intake, history, export, erase, redact: the same words for both, each refusal audited and logged without personal data', async () => {
    const theirs = await newCase(w, { assignTo: w.staff.worker, name: 'Mei Chen', story: 'My son stopped talking to me after the divorce' });
    const subs = ['', ' log', ' intake', ' history', ' export', ' erase', ' redact'];
    const before = (await refusals(w.staff.other)).length;
    for (const user of [U.other, U.sup2]) {
      for (const sub of subs) {
        const real = await command(user, `${theirs.reference}${sub}`);
        const missing = await command(user, `${MISSING_REF}${sub}`);
        expect(real, `${user} ${sub}`).toBe(UNAVAILABLE(theirs.reference));
        expect(missing, `${user} ${sub}`).toBe(UNAVAILABLE(MISSING_REF));
      }
      // The note modal's prefill: no modal for either, the same words.
      expect(await command(user, `note ${theirs.reference}`)).toBe(UNAVAILABLE(theirs.reference));
      expect(await command(user, `note ${MISSING_REF}`)).toBe(UNAVAILABLE(MISSING_REF));
    }
    expect(w.slack.openViews(U.other)).toEqual([]);
    expect(w.slack.openViews(U.sup2)).toEqual([]);

    const rows = (await refusals(w.staff.other)).slice(before);
    expect(rows).toHaveLength(2 * (subs.length + 1));
    expect(rows.filter((r) => r.caseId === theirs.caseId).map((r) => r.details!.attempted)).toEqual(Array(subs.length + 1).fill(theirs.reference));
    expect(rows.filter((r) => r.caseId === null).map((r) => r.details!.attempted)).toEqual(Array(subs.length + 1).fill(MISSING_REF));
    expect(rows.map((r) => r.details!.via)).toEqual(expect.arrayContaining(['card', 'log', 'intake', 'history', 'export', 'erase', 'redact', 'note_prefill']));
    expect(await refusals(w.staff.sup2)).toHaveLength(2 * (subs.length + 1));
    const text = JSON.stringify(await refusals(w.staff.other)) + logs.join('');
    expect(text).not.toContain('Mei');
    expect(text).not.toContain('divorce');
    const logged = logs.filter((l) => l.includes('case access refused'));
    expect(logged.filter((l) => l.includes(MISSING_REF))).toHaveLength(2 * (subs.length + 1));
    expect(logged.filter((l) => l.includes(theirs.reference))).toHaveLength(2 * (subs.length + 1));
  });

  it("buttons carrying a case id or an escalation id: the same words for a missing one and another's", async () => {
    const theirs = await newCase(w, { assignTo: w.staff.worker });
    const ghost = randomUUID();
    for (const action of ['case_show', 'case_log_note', 'case_goals', 'case_close', 'case_full_intake', 'case_history', 'case_open']) {
      const real = await click(U.other, action, theirs.caseId);
      const missing = await click(U.other, action, ghost);
      expect(real, action).toBe(UNAVAILABLE(''));
      expect(missing, action).toBe(real);
    }
    const { row: esc } = await w.deps.db.transaction((tx) =>
      openEscalation(tx, { caseId: theirs.caseId, reason: 'quiet_case', level: 1, nextAt: null }, w.deps.clock.now()),
    );
    for (const action of ['esc_ack', 'esc_snooze_day']) {
      const real = await click(U.sup2, action, esc.id);
      const missing = await click(U.sup2, action, ghost);
      expect(real, action).toMatch(/^I can't act on this: there is no such escalation among the ones you can see/);
      expect(missing, action).toBe(real);
    }
    // A forged erasure-request value is answered plainly (it was a database error, shown as "a problem on our side").
    expect(await click(U.sup2, 'erasure_erase_now', 'not-an-id')).toBe('This erasure request no longer exists.');
    const rows = await w.deps.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'case.access_refused'), eq(auditLog.subjectType, 'escalation')));
    expect(rows.map((r) => [r.subjectId, r.caseId])).toEqual(
      expect.arrayContaining([
        [esc.id, theirs.caseId],
        [ghost, null],
      ]),
    );
  });

  it("a modal submission whose private metadata names another's case or a missing one: the same error on the form", async () => {
    const mine = await newCase(w, { assignTo: w.staff.other });
    const theirs = await newCase(w, { assignTo: w.staff.worker });
    const view = await openCaseModal(w, U.other, 'case_goals', mine.caseId);
    const meta = JSON.parse(view.private_metadata!);
    const submit = async (caseId: string) => {
      const state = { values: viewStateValues(view.blocks as unknown[], { goal_0: { v: 'Find stable housing' }, assess_0: { v: 'Tenancy signed' } }) };
      const res = await w.driver.interaction(viewSubmissionBy(w, U.other, { ...view, state, private_metadata: JSON.stringify({ ...meta, caseId }) }));
      return res.body;
    };
    const real = await submit(theirs.caseId);
    expect(real).toEqual({ response_action: 'errors', errors: { plan: UNAVAILABLE('') } });
    expect(await submit(randomUUID())).toEqual(real);
    const rows = (await refusals(w.staff.other)).filter((r) => r.details!.via === 'change');
    expect(rows.map((r) => r.caseId)).toEqual(expect.arrayContaining([theirs.caseId, null]));
  });

  it("a missing case and another's go through the same queries before the answer", async () => {
    const theirs = await newCase(w, { assignTo: w.staff.worker });
    const traced = (calls: string[]) =>
      new Proxy(w.deps.db, {
        get(target, prop, receiver) {
          const v = Reflect.get(target, prop, receiver);
          if (typeof v !== 'function' || typeof prop !== 'string') return v;
          return (...args: unknown[]) => {
            calls.push(prop);
            return (v as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      }) as Db;
    for (const who of [w.staff.other, w.staff.sup2]) {
      const [actor] = await w.deps.db.select().from(staff).where(eq(staff.id, who));
      const shapes = [];
      for (const by of [{ reference: theirs.reference }, { reference: MISSING_REF }, { id: theirs.caseId }, { id: randomUUID() }]) {
        const calls: string[] = [];
        const r = await caseForActor({ ...w.deps, db: traced(calls) }, actor!, by);
        expect(r.ok).toBe(false);
        shapes.push(calls.join(','));
      }
      expect(new Set(shapes).size, who).toBe(1);
    }
  });
});

describe('list views are audited', () => {
  it('/case, /case team, App Home and the note prefill each write one row with references and counts only', async () => {
    const a = await newCase(w, { assignTo: w.staff.worker2, name: 'Mei Chen' });
    const b = await newCase(w, { assignTo: w.staff.worker2, name: 'Mei Chen' });
    const auditsOf = (staffId: string, actions: string[]) =>
      w.deps.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.actorId, staffId), inArray(auditLog.action, actions)))
        .orderBy(auditLog.id);

    expect(await command(U.worker2, '')).toMatch(/^Your caseload: \d+ open cases$/);
    const [list] = await auditsOf(w.staff.worker2, ['caseload.viewed']);
    expect(list).toMatchObject({ caseId: null, subjectType: 'staff', subjectId: w.staff.worker2, details: { via: 'command', cases: 2 } });
    expect(String(list!.details!.refs).split(' ').sort()).toEqual([a.reference, b.reference].sort());

    expect(await command(U.sup, 'team')).toMatch(/^Your team: 2 people/);
    const [team] = await auditsOf(w.staff.sup, ['team.viewed']);
    expect(team!.details).toMatchObject({ via: 'command', people: 2 });
    expect(String(team!.details!.refs)).toContain(a.reference);

    const published = w.slack.calls.filter((c) => c.method === 'views.publish').length;
    await w.driver.appHomeOpened(U.sup);
    await expect
      .poll(() => w.slack.calls.filter((c) => c.method === 'views.publish').length > published, { ...SLACK_WAIT, message: 'views.publish' })
      .toBeTruthy();
    const [home] = await vi.waitUntil(() => auditsOf(w.staff.sup, ['home.viewed']).then((r) => (r.length ? r : undefined)), SLACK_WAIT);
    expect(home!.details).toMatchObject({ via: 'app_home' });
    expect(String(home!.details!.refs)).toContain(b.reference);

    const opened = w.slack.calls.filter((c) => c.method === 'views.open' && c.ok).length;
    expect((await w.driver.slashCommand({ command: '/case', text: `note ${a.reference}`, userId: U.worker2 })).status).toBe(200);
    await expect
      .poll(() => w.slack.calls.filter((c) => c.method === 'views.open' && c.ok).length > opened, { ...SLACK_WAIT, message: 'note modal' })
      .toBeTruthy();
    expect(blockText(w.slack.openViews(U.worker2).at(-1)!.blocks)).toContain(a.reference);
    const views = await caseAudit(w.deps.db, a.caseId, 'case.viewed');
    expect(views.map((v) => [v.actorId, v.details])).toEqual([[w.staff.worker2, { via: 'note_prefill' }]]);

    const all = JSON.stringify(await auditsOf(w.staff.sup, ['team.viewed', 'home.viewed'])) + JSON.stringify(list);
    expect(all).not.toContain('Mei');
  });
});
