import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLACK_WAIT } from '../helpers/waits.js';
import { eq } from 'drizzle-orm';
import { auditLog, deliveries, escalations, staff } from '../../src/db/schema.js';
import { seedAdmins } from '../../src/staff/staff.service.js';
import { lookupVia } from '../../src/slack/slack.kit.js';
import { WebClient } from '@slack/web-api';
import { answersTo, blockText, createSlackWorld, newCase, nextAnswer, U, type SlackWorld } from './slack-harness.js';
import { caseAudit } from '../helpers/audit.js';
import { setCase } from '../helpers/factories.js';

/**
 * App Home for a worker, a supervisor and someone not in the directory; the
 * /case commands (caseload, card, log, team, help, staff directory) with the
 * roles each needs.
 */
let w: SlackWorld;
beforeAll(async () => {
  w = await createSlackWorld();
});
afterAll(async () => {
  await w?.close();
});

const home = async (user: string) => {
  const before = w.slack.calls.filter((c) => c.method === 'views.publish').length;
  expect((await w.driver.appHomeOpened(user)).status).toBe(200);
  await expect.poll(() => w.slack.calls.filter((c) => c.method === 'views.publish').length > before, { ...SLACK_WAIT, message: 'views.publish' }).toBeTruthy();
  return blockText(w.slack.homeView(user)!.blocks);
};

async function command(user: string, text: string): Promise<{ text: string; blocks: string }> {
  const before = answersTo(w, user).length;
  const res = await w.driver.slashCommand({ command: '/case', text, userId: user });
  expect(res).toMatchObject({ status: 200, body: '' });
  await nextAnswer(w, user, before, `/case ${text}`);
  const post = w.slack.responseUrlPosts.filter((p) => p.context.user === user).at(-1)!;
  return { text: String(post.body.text), blocks: blockText(post.body.blocks as unknown[]) };
}

describe('App Home', () => {
  it('shows a worker their caseload, most urgent first, with the case buttons', async () => {
    const now = w.deps.clock.now();
    const calm = await newCase(w, { assignTo: w.staff.worker });
    const overdue = await newCase(w, { assignTo: w.staff.worker });
    const quiet = await newCase(w, { assignTo: w.staff.worker });
    await setCase(w.deps.db, calm.caseId, {
      lastNoteAt: now.minus({ days: 1 }).toJSDate(),
      nextFollowUpAt: now.plus({ days: 3 }).toJSDate(),
      followUpSetAt: now.minus({ days: 1 }).toJSDate(),
    });
    await setCase(w.deps.db, overdue.caseId, {
      lastNoteAt: now.minus({ days: 5 }).toJSDate(),
      nextFollowUpAt: now.minus({ days: 2 }).toJSDate(),
      followUpSetAt: now.minus({ days: 5 }).toJSDate(),
    });
    await setCase(w.deps.db, quiet.caseId, { lastNoteAt: now.minus({ days: 60 }).toJSDate(), openedAt: now.minus({ days: 90 }).toJSDate() });
    const text = await home(U.worker);
    const order = [overdue.reference, quiet.reference, calm.reference].map((r) => text.indexOf(r));
    expect(order.every((i) => i > 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(text).toContain('⏰ Follow-up overdue');
    expect(text).toContain('🔇 Quiet');
    for (const a of ['case_show', 'case_log_note', 'case_schedule', 'case_goals', 'case_phase', 'case_message', 'case_close'])
      expect(text).toContain(`"action_id":"${a}"`);
    expect(text).not.toContain('My team');
    // No client text in the list.
    expect(text).not.toContain('divorce');
    expect(text).not.toContain('Mei');
  });

  it('shows a supervisor their team per worker, open escalations and unassigned intakes', async () => {
    const a = await newCase(w, { assignTo: w.staff.worker2 });
    const unassigned = await newCase(w);
    const theirs = await newCase(w, { assignTo: w.staff.other });
    const now = w.deps.clock.now().toJSDate();
    await w.deps.db.insert(escalations).values({ caseId: a.caseId, reason: 'quiet_case', level: 1, openedAt: now, createdAt: now, updatedAt: now });
    await w.deps.db.insert(escalations).values({ caseId: theirs.caseId, reason: 'crisis', level: 1, openedAt: now, createdAt: now, updatedAt: now });
    const text = await home(U.sup);
    expect(text).toContain('My team');
    expect(text).toContain(`*<@${U.worker}>* — `);
    expect(text).toContain(`*<@${U.worker2}>* — 1 open`);
    expect(text).toContain('Open escalations');
    expect(text).toContain(`*${a.reference}* · Quiet case · level 1`);
    // Another team's escalation is not this supervisor's.
    expect(text).not.toContain(theirs.reference);
    expect(text).toContain('Waiting for assignment');
    expect(text).toContain(unassigned.reference);
  });

  it('tells someone outside the directory politely that there is nothing for them', async () => {
    expect(await home(U.stranger)).toContain("You're not in this service's staff directory yet");
  });
});

describe('/case commands', () => {
  it('/case shows my caseload; /case C-… shows the card and audits the view; /case C-… log shows the ledger', async () => {
    const c = await newCase(w, { assignTo: w.staff.worker });
    const list = await command(U.worker, '');
    expect(list.text).toMatch(/^Your caseload: \d+ open cases?$/);
    expect(list.blocks).toContain(c.reference);

    const card = await command(U.worker, c.reference.toLowerCase());
    expect(card.text).toBe(`Case ${c.reference} (Mei): Assessment`);
    expect(card.blocks).toContain('*Client:* Mei');
    const views = await caseAudit(w.deps.db, c.caseId, 'case.viewed');
    expect(views.map((v) => v.actorId)).toEqual([w.staff.worker]);

    const now = w.deps.clock.now().toJSDate();
    await w.deps.db.insert(deliveries).values({
      kind: 'follow_up_nudge',
      subjectId: c.caseId,
      recipient: `staff:${w.staff.worker}`,
      channel: 'slack',
      caseId: c.caseId,
      dueAt: now,
      status: 'skipped',
      reason: 'worker_on_leave',
      createdAt: now,
      updatedAt: now,
    });
    const log = await command(U.worker, `${c.reference} log`);
    expect(log.text).toBe(`Messages for ${c.reference}: 1`);
    expect(log.blocks).toContain('`follow_up_nudge` → staff (slack) · due Mon 23 Nov 09:00 GMT · *skipped* — worker_on_leave');

    expect((await command(U.other, c.reference)).text).toBe(
      `I can't show case ${c.reference}: there is no such case among the ones you can see. Check the reference (it looks like C-2026-0042); if it is a colleague's case, ask your supervisor.`,
    );
    expect((await command(U.other, `${c.reference} log`)).text).toMatch(/^I can't show case C-\d{4}-\d{4}: there is no such case/);
    expect((await command(U.worker, 'C-2099-0001')).text).toBe(
      "I can't show case C-2099-0001: there is no such case among the ones you can see. Check the reference (it looks like C-2026-0042); if it is a colleague's case, ask your supervisor.",
    );
    expect((await command(U.worker, 'C-20')).text).toBe('`C-20` is not a case reference; they look like C-2026-0042.');
    expect((await command(U.worker, 'help')).text).toContain('`/case team`');
    expect((await command(U.stranger, '')).text).toMatch(/^Sorry, you're not in this service's staff directory/);
  });

  it('/case team is for supervisors and admins', async () => {
    expect((await command(U.worker, 'team')).text).toBe('Sorry, only supervisors and admins can see a team.');
    const team = await command(U.sup, 'team');
    expect(team.text).toMatch(/^Your team: 2 people, \d+ open escalations$/);
    expect(team.blocks).toContain(`<@${U.worker2}>`);
  });
});

describe('staff directory', () => {
  it('first admins come from SLACK_ADMIN_USER_IDS, with name and time zone from Slack', async () => {
    const seeded = await createSlackWorld({ env: { SLACK_ADMIN_USER_IDS: `${U.stranger}` } });
    try {
      const client = new WebClient(seeded.slack.botToken, { slackApiUrl: seeded.slack.apiUrl });
      expect(await seedAdmins(seeded.deps, lookupVia(client))).toBe(1);
      expect(await seedAdmins(seeded.deps, lookupVia(client))).toBe(0);
      const [row] = await seeded.deps.db.select().from(staff).where(eq(staff.slackUserId, U.stranger));
      expect(row).toMatchObject({ role: 'admin', displayName: 'Stray Person', timeZone: 'Europe/Paris', active: true });
    } finally {
      await seeded.close();
    }
  });

  it('admins add, list and remove staff; others are refused; bad input is explained', async () => {
    const add = await command(U.admin, `staff add <@${U.stranger}|stray> worker supervisor:<@${U.sup}|sam>`);
    expect(add.text).toBe(`<@${U.stranger}> is now a worker, supervised by <@${U.sup}> (time zone Europe/Paris).`);
    const [row] = await w.deps.db.select().from(staff).where(eq(staff.slackUserId, U.stranger));
    expect(row).toMatchObject({ role: 'worker', supervisorId: w.staff.sup, timeZone: 'Europe/Paris' });
    expect((await command(U.stranger, '')).text).toMatch(/^Your caseload: 0 open cases$/);

    const list = await command(U.sup, 'staff list');
    expect(list.blocks).toContain(`<@${U.stranger}> — worker, supervised by <@${U.sup}> · Europe/Paris`);
    expect((await command(U.worker, 'staff list')).text).toBe('Sorry, only supervisors and admins can list the staff directory.');

    expect((await command(U.sup, `staff add <@${U.other}> admin`)).text).toMatch(/^Sorry, only admins can change the staff directory/);
    expect((await command(U.admin, 'staff add somebody worker')).text).toMatch(/^Mention the person to add/);
    expect((await command(U.admin, `staff add <@${U.other}> boss`)).text).toMatch(/^The role must be worker, supervisor or admin/);
    expect((await command(U.admin, `staff add <@${U.other}> worker supervisor:<@${U.worker}>`)).text).toBe(
      `<@${U.worker}> is a worker; a supervisor must have the role supervisor or admin.`,
    );
    expect((await command(U.admin, 'staff add <@U0NOBODY1> worker')).text).toBe('I could not find <@U0NOBODY1> in this Slack workspace.');
    expect((await command(U.admin, `staff remove <@${U.admin}>`)).text).toBe('This is the last admin; add another admin first.');

    const c = await newCase(w, { assignTo: row!.id });
    const removed = await command(U.admin, `staff remove <@${U.stranger}>`);
    expect(removed.text).toBe(`<@${U.stranger}> has been removed from the staff directory. They still hold 1 open case: please reassign it (\`/case team\`).`);
    expect((await command(U.stranger, c.reference)).text).toMatch(/^Sorry, you're not in this service's staff directory/);
    const audit = await w.deps.db.select().from(auditLog).where(eq(auditLog.subjectId, row!.id));
    // (Their own /case in between is a 'caseload.viewed' row about them too.)
    expect(audit.map((a) => a.action).filter((a) => a.startsWith('staff.'))).toEqual(['staff.added', 'staff.removed']);
  });
});
