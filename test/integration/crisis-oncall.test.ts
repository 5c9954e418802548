import { and, eq, isNull, lte } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Update } from 'telegraf/types';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SLACK_WAIT } from '../helpers/waits.js';
import { auditLog, caseAccessGrants, cases, clients, deliveries, escalations, notes, staff } from '../../src/db/schema.js';
import { createLater } from '../../src/db/after-commit.js';
import { runEscalationSweep } from '../../src/escalations/escalation-sweep.service.js';
import { enqueueDueDeliveries } from '../../src/delivery/tick.js';
import { createMetrics } from '../../src/http/metrics.js';
import { whoIsOnCall } from '../../src/staff/oncall.service.js';
import type { SimUser } from '../../src/sandbox/telegram-emulator.js';
import { createBot, type TelegramBot } from '../../src/telegram/telegram.bot.js';
import { startWorkers, type RunningWorkers } from '../../workers/start.js';
import { answersTo, blockText, createSlackWorld, dm, INTAKE, newCase, nextAnswer, U, type SlackWorld } from './slack-harness.js';

/**
 * Issue 11 end to end: the real telegraf bot (client), the real Bolt app driven
 * by signed requests (staff), the delivery workers, both emulators, real
 * PostgreSQL and Redis, and a ManualClock that the sweeps and ticks follow.
 * The supervision channel is the intake channel here (one channel in the world).
 */
let w: SlackWorld;
let bot: TelegramBot;
let workers: RunningWorkers;

beforeAll(async () => {
  w = await createSlackWorld({ env: { SLACK_SUPERVISION_CHANNEL: INTAKE } });
  bot = createBot(w.deps, { token: w.tg.token, apiRoot: w.tg.url, botInfo: w.tg.botInfo as never, later: createLater(w.deps.logger) });
  workers = await startWorkers(w.deps, { queues: ['delivery'] });
});
afterAll(async () => {
  await workers?.close(2000);
  await bot?.close();
  await w?.close();
});

const CONTACTS = 'Emergency services: 999';
const at = async (iso: string) => {
  w.deps.clock.set(DateTime.fromISO(iso, { zone: 'utc' }));
  await runEscalationSweep(w.deps);
  await enqueueDueDeliveries(w.deps);
  // Settled: no due row left pending (rows first, then jobs; see delivery-fixtures settle), seen twice.
  let quiet = 0;
  await expect
    .poll(
      async () => {
        const due = await w.deps.db
          .select({ id: deliveries.id })
          .from(deliveries)
          .where(and(eq(deliveries.status, 'pending'), lte(deliveries.dueAt, w.deps.clock.now().toJSDate())));
        const jobs = await w.deps.queues.queue('delivery').getJobCounts('waiting', 'active', 'prioritized');
        quiet = due.length === 0 && (jobs.waiting ?? 0) + (jobs.active ?? 0) + (jobs.prioritized ?? 0) === 0 ? quiet + 1 : 0;
        return quiet >= 2 || undefined;
      },
      { ...SLACK_WAIT, timeout: 20_000, message: 'deliveries sent' },
    )
    .toBeTruthy();
};
/** Crisis pages about one case (each test's crisis is its own case). */
const pagesTo = (slackUser: string, ref: string) => dm(w, slackUser).filter((m) => m.text.includes(':rotating_light:') && m.text.includes(ref));
const channelPages = (ref: string) => w.slack.messages(INTAKE).filter((m) => m.text.includes(':rotating_light:') && m.text.includes(ref));
/** Everything the bot said in a client's chat, one message a line. */
const chatText = (chat: number) =>
  w.tg
    .messages(chat)
    .map((m) => m.text)
    .join('\n');

/** The user opens App Home; waits until it shows `text` (`what` names the wait when it times out). */
async function homeShows(user: string, text: string, what: string) {
  await w.driver.event({ type: 'app_home_opened', user, tab: 'home' });
  await expect
    .poll(() => blockText(w.slack.homeView(user)?.blocks as unknown[] | undefined).includes(text) || undefined, { ...SLACK_WAIT, message: what })
    .toBeTruthy();
}
async function command(user: string, text: string): Promise<{ text: string; blocks: string }> {
  const before = answersTo(w, user).length;
  await w.driver.slashCommand({ command: '/case', text, userId: user });
  const answer = await nextAnswer(w, user, before);
  const post = w.slack.responseUrlPosts.filter((p) => p.context.user === user).at(-1);
  return { text: answer, blocks: blockText(post?.body.blocks as unknown[] | undefined) };
}
async function clientSays(user: SimUser, text: string) {
  const before = Math.max(0, ...w.tg.history(user.id).map((m) => m.message_id));
  await bot.bot.handleUpdate((await w.tg.sendText(user, text)) as unknown as Update);
  await bot.settle();
  return w.tg.messages(user.id).filter((m) => m.message_id > before);
}
async function clientClicks(user: SimUser, label: string) {
  const m = [...w.tg.messages(user.id)].reverse().find((x) => x.reply_markup?.inline_keyboard.flat().some((b) => b.text === label))!;
  const data = m.reply_markup!.inline_keyboard.flat().find((b) => b.text === label)!.callback_data!;
  const before = Math.max(0, ...w.tg.history(user.id).map((x) => x.message_id));
  const got = new Promise<unknown>((resolve) => w.tg.once('update', resolve));
  const clicked = w.tg.clickButton(user, m.message_id, data, { force: true });
  await bot.bot.handleUpdate((await got) as Update);
  await clicked;
  await bot.settle();
  return w.tg.messages(user.id).filter((x) => x.message_id > before);
}

describe('the intake pauses after a crisis reply', () => {
  for (const [lang, phrase, pause, cont] of [
    ['en', 'he hit me again and I am scared', "There's no rush", 'Continue my request'],
    ['zh', '他每天都打我，我好害怕', '不用着急', '继续我的求助'],
  ] as const) {
    it(`in ${lang === 'en' ? 'English' : 'Chinese'}: the contacts, then [Continue my request] [Not now], no next question; the words kept as a crisis message`, async () => {
      const user: SimUser = { id: lang === 'en' ? 600_001 : 600_002, first_name: 'C', language_code: lang };
      await clientSays(user, '/start');
      await clientClicks(user, lang === 'en' ? 'English' : '中文');
      await clientClicks(user, lang === 'en' ? 'I agree' : '我同意');
      await clientClicks(user, lang === 'en' ? "Yes, I'm safe" : '安全');
      const replies = await clientSays(user, phrase);
      expect(replies[0]!.text).toContain(lang === 'en' ? CONTACTS : '紧急服务');
      expect(replies).toHaveLength(2);
      expect(replies[1]!.text).toContain(pause);
      const [client] = await w.deps.db.select().from(clients).where(eq(clients.telegramUserId, user.id));
      const [c] = await w.deps.db.select().from(cases).where(eq(cases.clientId, client!.id));
      const kept = await w.deps.db.select().from(notes).where(eq(notes.caseId, c!.id));
      expect(kept.map((n) => w.deps.cipher.decrypt(n.bodyEnc, 'notes.body'))).toEqual([phrase]);
      // "Not now" keeps everything and /start picks up at the same question; or [Continue my request] does.
      let again: Awaited<ReturnType<typeof clientSays>>;
      if (lang === 'en') {
        const later = await clientClicks(user, 'Not now');
        expect(later.at(-1)!.text).toContain('/start');
        again = await clientSays(user, '/start');
      } else {
        again = await clientClicks(user, cont);
      }
      expect(again.at(-1)!.text).toContain(lang === 'en' ? 'What would you like us to call you?' : '我们该怎么称呼您');
    });
  }
});

describe('on-call rota and crisis tiers', () => {
  it('workers may look but not change the rota; supervisors set a weekly rotation, cover and swaps; bad input is explained', async () => {
    expect((await command(U.worker, 'oncall')).blocks).toContain('*nobody*');
    expect((await command(U.worker, 'oncall rotate <@U0SUPER001> from 2026-11-23 09:00')).text).toMatch(
      /only supervisors and admins can change the on-call rota/,
    );
    expect((await command(U.sup, 'oncall set <@U0WORKER01> from today 18:00 to tomorrow 09:00')).text).toMatch(
      /is a worker; only supervisors and admins can be on call/,
    );
    expect((await command(U.sup, 'oncall set <@U0SUPER002> from 2026-02-30 to 2026-03-01')).text).toMatch(/not a real date/);
    expect((await command(U.sup, 'oncall set <@U0SUPER002> from 2026-11-24 09:00 to 2026-11-24 08:00')).text).toMatch(/end must be after the start/);
    expect((await command(U.sup, 'oncall set <@U0SUPER002> from 2027-03-28 01:30 to 2027-03-28 05:00')).text).toMatch(/does not exist in Europe\/London/);
    expect((await command(U.sup, 'oncall rotate <@U0SUPER002> from 2026-11-30 weeks 99')).text).toMatch(/Weeks must be a whole number from 1 to 26/);
    expect(await w.deps.db.select().from(auditLog).where(eq(auditLog.action, 'oncall.rota_set'))).toHaveLength(0);
  });

  it('nobody on call: a crisis pages the team supervisor and the channel, and the admins hear about the gap', async () => {
    const c = await newCase(w, { assignTo: w.staff.worker });
    const client: SimUser = { id: c.chat, first_name: 'Client' };
    const replies = await clientSays(client, 'I took too many pills');
    expect(replies[0]!.text).toContain(CONTACTS);
    await at('2026-11-23T09:00:00Z');
    expect(pagesTo(U.sup, c.reference)).toHaveLength(1);
    expect(channelPages(c.reference)).toHaveLength(1);
    expect(pagesTo(U.sup2, c.reference)).toHaveLength(0);
    expect(dm(w, U.admin).filter((m) => m.text.includes('Nobody is on call'))).toHaveLength(1);
    // Resolve it so the next scenarios start clean.
    const [e] = await w.deps.db.select().from(escalations).where(eq(escalations.caseId, c.caseId));
    await w.deps.db.update(escalations).set({ resolvedAt: new Date(), resolution: 'test', acknowledgedAt: new Date() }).where(eq(escalations.id, e!.id));
  });

  it('with a rota: on call first, then the team and the channel at 15 minutes, the admins at 30, every 15 minutes at each tier', async () => {
    const set = await command(U.sup, 'oncall rotate <@U0SUPER002> <@U0SUPER001> from 2026-11-23 09:00 weeks 4');
    expect(set.text).toMatch(/Weekly on-call rota set: <@U0SUPER002> → <@U0SUPER001>/);
    const shown = await command(U.worker, 'oncall');
    expect(shown.blocks).toContain('On call now:* <@U0SUPER002>');
    // App Home shows it to everyone.
    await homeShows(U.worker, 'On call now:* <@U0SUPER002>', 'App Home');

    w.deps.clock.set(DateTime.fromISO('2026-11-23T22:00:00Z', { zone: 'utc' }));
    const c = await newCase(w, { assignTo: w.staff.worker });
    await clientSays({ id: c.chat, first_name: 'Client' }, 'my husband hits me');
    const r = c.reference;
    const count = () => ({ sup: pagesTo(U.sup, r).length, sup2: pagesTo(U.sup2, r).length, ch: channelPages(r).length, admin: pagesTo(U.admin, r).length });
    await at('2026-11-23T22:00:00Z');
    expect(count()).toEqual({ sup: 0, sup2: 1, ch: 0, admin: 0 });
    await at('2026-11-23T22:14:59Z');
    expect(count()).toEqual({ sup: 0, sup2: 1, ch: 0, admin: 0 });
    await at('2026-11-23T22:15:00Z');
    expect(count()).toEqual({ sup: 1, sup2: 2, ch: 1, admin: 0 });
    await at('2026-11-23T22:30:00Z');
    expect(count()).toEqual({ sup: 2, sup2: 3, ch: 2, admin: 1 });
    await at('2026-11-23T22:45:00Z');
    expect(count()).toEqual({ sup: 3, sup2: 4, ch: 3, admin: 2 });
    expect(pagesTo(U.admin, r).at(-1)!.text).toContain('nobody has acknowledged for 45 min');
    // No client words in the channel: the reference only.
    expect(channelPages(r).every((m) => !m.text.includes('husband'))).toBe(true);
  }, 120_000);

  it('cover and swaps change who is paged first', async () => {
    // Typed as a person types it (`@sam`); Slack escapes the mention in the command text.
    expect((await command(U.sup, 'oncall set @sam from 2026-11-24 18:00 to 2026-11-25 09:00')).text).toMatch(
      /is on call from Tue 24 Nov 18:00 GMT to Wed 25 Nov 09:00 GMT/,
    );
    // Week 1 (from Mon 23 Nov 09:00) is Sue's on the rota; the cover puts Sam on Tuesday night.
    const slackIds = async (iso: string) => (await whoIsOnCall(w.deps.db, DateTime.fromISO(iso))).map((p) => p.slackUserId);
    expect(await slackIds('2026-11-24T12:00:00Z')).toEqual([U.sup2]);
    expect(await slackIds('2026-11-24T19:00:00Z')).toEqual([U.sup]);
    expect(await slackIds('2026-12-01T12:00:00Z')).toEqual([U.sup]);
    const swapped = await command(U.sup2, 'oncall swap <@U0SUPER002> <@U0SUPER001>');
    expect(swapped.text).toMatch(/^Swapped:/);
    expect(await slackIds('2026-11-24T12:00:00Z')).toEqual([U.sup]);
    expect(await slackIds('2026-12-01T12:00:00Z')).toEqual([U.sup2]);
    const rows = await w.deps.db.select({ a: auditLog.action }).from(auditLog).where(eq(auditLog.subjectType, 'staff'));
    expect(rows.map((r) => r.a)).toContain('oncall.override_set');
    expect(await w.deps.db.select().from(auditLog).where(eq(auditLog.action, 'oncall.swapped'))).toHaveLength(1);
  });
});

describe('after the acknowledgement', () => {
  it('the acknowledger from another team opens the case; a missed safety plan pages again; the check-in reaches the client; only a recorded outcome ends it', async () => {
    // Sue (another team) is on call tonight.
    expect((await command(U.sup, 'oncall set <@U0SUPER002> from 2026-11-26 18:00 to 2026-11-27 09:00')).text).toMatch(/is on call/);
    w.deps.clock.set(DateTime.fromISO('2026-11-26T20:00:00Z', { zone: 'utc' }));
    const c = await newCase(w, { assignTo: w.staff.worker });
    const client: SimUser = { id: c.chat, first_name: 'Client' };
    await clientSays(client, 'I want to unalive myself');
    expect((await command(U.sup2, c.reference)).text).toMatch(/^I can't show case C-\d{4}-\d{4}: there is no such case/);
    await at('2026-11-26T20:00:00Z');
    const page = pagesTo(U.sup2, c.reference).at(-1)!;
    expect(page.text).toContain(c.reference);

    await w.driver.blockAction(U.sup2, { channel: page.channel, ts: page.ts }, 'esc_ack');
    const acked = await vi.waitUntil(() => {
      const m = w.slack.messages(page.channel).find((x) => x.ts === page.ts);
      return m && blockText(m.blocks).includes('safety plan note is due by') ? m : undefined;
    }, SLACK_WAIT);
    expect(blockText(acked.blocks)).toContain('Thu 26 Nov 20:00');
    expect(blockText(acked.blocks)).toContain('You can open this case until the crisis is resolved');
    const grants = await w.deps.db
      .select()
      .from(caseAccessGrants)
      .where(and(eq(caseAccessGrants.caseId, c.caseId), isNull(caseAccessGrants.revokedAt)));
    expect(grants).toHaveLength(1);
    expect((await command(U.sup2, c.reference)).blocks).toContain(c.reference);

    // No safety plan by the deadline (4 h): it pages again.
    const pagesBefore = pagesTo(U.sup2, c.reference).length;
    await at('2026-11-27T00:00:00Z');
    expect(pagesTo(U.sup2, c.reference).length).toBe(pagesBefore + 1);
    expect(pagesTo(U.sup2, c.reference).at(-1)!.text).toContain('no safety plan has been logged');

    // The safety plan (a note of that kind) stops the pages.
    const me = (await w.deps.db.select().from(staff).where(eq(staff.slackUserId, U.sup2)))[0]!;
    const { logNote } = await import('../../src/cases/case-notes.service.js');
    expect(
      await logNote(w.deps, me, {
        caseId: c.caseId,
        kind: 'safety_plan',
        contactAt: w.deps.clock.now(),
        text: 'Agreed: stays with her sister tonight; calls the duty line if he comes back.',
        nextFollowUpAt: null,
        idempotencyKey: 'sp-1',
      }),
    ).toMatchObject({ ok: true });
    const after = pagesTo(U.sup2, c.reference).length;
    await at('2026-11-27T03:00:00Z');
    expect(pagesTo(U.sup2, c.reference).length).toBe(after);
    // The check-in: the next day in the client's zone (acknowledged Fri 04:00 in Hong Kong → Sat 10:00 there = 02:00Z).
    await at('2026-11-28T01:59:00Z');
    expect(chatText(c.chat)).not.toContain('we wanted to check in with you');
    await at('2026-11-28T02:00:00Z');
    expect(chatText(c.chat)).toContain('we wanted to check in with you');
    const [open] = await w.deps.db
      .select()
      .from(escalations)
      .where(and(eq(escalations.caseId, c.caseId), eq(escalations.reason, 'crisis')));
    expect(open!.resolvedAt).toBeNull();

    // A new crisis message after the acknowledgement is a new alarm: the pages start again (Sue is on call until 09:00Z).
    w.deps.clock.set(DateTime.fromISO('2026-11-28T03:00:00Z', { zone: 'utc' }));
    await command(U.sup, 'oncall set <@U0SUPER002> from 2026-11-28 00:00 to 2026-11-28 12:00');
    const beforeRepeat = pagesTo(U.sup2, c.reference).length;
    await clientSays(client, 'he is back at the door and says he will kill me');
    await at('2026-11-28T03:00:00Z');
    expect(pagesTo(U.sup2, c.reference).length).toBe(beforeRepeat + 1);
    expect(pagesTo(U.sup2, c.reference).at(-1)!.text).toContain('CRISIS reported');
    await w.driver.blockAction(U.sup2, { channel: page.channel, ts: pagesTo(U.sup2, c.reference).at(-1)!.ts }, 'esc_ack');
    await expect
      .poll(async () => (await w.deps.db.select().from(escalations).where(eq(escalations.id, open!.id)))[0]!.acknowledgedAt || undefined, {
        ...SLACK_WAIT,
        message: 'acknowledged again',
      })
      .toBeTruthy();

    // Record the outcome: resolved, access revoked, audited.
    const m = w.slack.messages(page.channel).find((x) => x.ts === page.ts)!;
    await w.driver.blockAction(U.sup2, { channel: m.channel, ts: m.ts }, 'crisis_outcome');
    const view = await vi.waitUntil(() => w.slack.openViews(U.sup2).find((v) => v.callback_id === 'crisis_outcome_modal'), SLACK_WAIT);
    expect((await w.driver.viewSubmission(U.sup2, view.id, { outcome: { v: 'client_safe' }, reason: { v: '' } })).body).toMatchObject({
      response_action: 'errors',
    });
    expect(
      (await w.driver.viewSubmission(U.sup2, view.id, { outcome: { v: 'client_safe' }, reason: { v: 'Spoke to her at 09:00; safe at her sister’s.' } })).body,
    ).toBe('');
    const [done] = await w.deps.db.select().from(escalations).where(eq(escalations.id, open!.id));
    expect(done).toMatchObject({ outcome: 'client_safe' });
    expect(done!.resolvedAt).not.toBeNull();
    expect(
      await w.deps.db
        .select()
        .from(caseAccessGrants)
        .where(and(eq(caseAccessGrants.caseId, c.caseId), isNull(caseAccessGrants.revokedAt))),
    ).toHaveLength(0);
    expect((await command(U.sup2, c.reference)).text).toMatch(/^I can't show case C-\d{4}-\d{4}: there is no such case/);
    const trail = (await w.deps.db.select({ a: auditLog.action }).from(auditLog).where(eq(auditLog.caseId, c.caseId))).map((r) => r.a);
    expect(trail).toEqual(
      expect.arrayContaining(['escalation.acknowledged', 'case.access_granted', 'crisis.follow_up_planned', 'crisis.safety_plan_logged', 'crisis.resolved']),
    );
  }, 120_000);

  it("a team's own rota: its cases page the team's on-call person first; other teams' cases page the agency's", async () => {
    // Sam covers the agency tonight; Sue covers Sam's team (Wen and Kai) — set as a team rota.
    expect((await command(U.sup, 'oncall set @sam from 2026-11-29 18:00 to 2026-11-30 09:00')).text).toMatch(/is on call from/);
    expect((await command(U.sup, 'oncall rotate @sue from 2026-11-29 09:00 weeks 1 team @sam')).text).toMatch(
      /Weekly on-call rota set for <@U0SUPER001>'s team: <@U0SUPER002>/,
    );
    expect((await command(U.worker, 'oncall set @sue from today 18:00 to tomorrow 09:00 team @sam')).text).toMatch(/only supervisors and admins/);
    w.deps.clock.set(DateTime.fromISO('2026-11-29T20:00:00Z', { zone: 'utc' }));
    const mine = await newCase(w, { assignTo: w.staff.worker }); // Sam's team
    const theirs = await newCase(w, { assignTo: w.staff.other }); // Sue's team (no team rota)
    await clientSays({ id: mine.chat, first_name: 'A' }, 'I want to end my life');
    await clientSays({ id: theirs.chat, first_name: 'B' }, 'I want to end my life');
    await at('2026-11-29T20:00:00Z');
    expect(pagesTo(U.sup2, mine.reference)).toHaveLength(1);
    expect(pagesTo(U.sup, mine.reference)).toHaveLength(0);
    expect(pagesTo(U.sup, theirs.reference)).toHaveLength(1);
    expect(pagesTo(U.sup2, theirs.reference)).toHaveLength(0);
    // Each worker's App Home names their own team's on-call person.
    await homeShows(U.worker, 'On call now:* <@U0SUPER002>', 'App Home (Wen)');
    await homeShows(U.other, 'On call now:* <@U0SUPER001>', 'App Home (Olu)');
  }, 120_000);

  it('/metrics shows unacknowledged crises and the time to acknowledge', async () => {
    const registry = createMetrics(w.deps.queues, w.deps.db, w.deps.clock);
    const text = await registry.metrics();
    expect(text).toMatch(/casework_crisis_unacknowledged \d+/);
    expect(text).toMatch(/casework_crisis_time_to_acknowledge_seconds_count [1-9]/);
  });
  it('a crisis page does not queue behind other messages to the on-call person (one stuck there holds nothing)', async () => {
    // Sam is on call for the agency tonight (set above). A message to Sam is due and held by a live
    // claim (another worker is sending it, or died a moment ago): ordinary messages to Sam wait for it.
    w.deps.clock.set(DateTime.fromISO('2026-11-29T21:00:00Z', { zone: 'utc' }));
    const now = w.deps.clock.now().toJSDate();
    await w.deps.db.insert(deliveries).values({
      kind: 'follow_up_nudge',
      subjectId: 'stuck',
      recipient: `staff:${w.staff.sup}`,
      channel: 'slack',
      dueAt: new Date(now.getTime() - 60_000),
      claimedAt: now,
    });
    const c = await newCase(w, { assignTo: w.staff.other });
    await clientSays({ id: c.chat, first_name: 'C' }, 'I want to end my life');
    await runEscalationSweep(w.deps);
    await enqueueDueDeliveries(w.deps);
    await expect
      .poll(() => pagesTo(U.sup, c.reference).length === 1 || undefined, { ...SLACK_WAIT, timeout: 20_000, message: 'the page to the on-call person' })
      .toBeTruthy();
    const [stuck] = await w.deps.db.select().from(deliveries).where(eq(deliveries.subjectId, 'stuck'));
    expect(stuck!.status).toBe('pending');
  }, 60_000);
});
