import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Update } from 'telegraf/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, deliveries, escalations } from '../../src/db/schema.js';
import { inTransaction } from '../../src/db/client.js';
import { planDeliveries } from '../../src/delivery/ledger.js';
import { RateBudgets } from '../../src/delivery/rate-budget.js';
import { sendDelivery } from '../../src/delivery/send.service.js';
import { claimDelivery } from '../../src/delivery/claims.js';
import { openEscalation } from '../../src/escalations/escalations.repo.js';
import { createLater } from '../../src/db/after-commit.js';
import { runEscalationSweep } from '../../src/escalations/escalation-sweep.service.js';
import { enqueueDueDeliveries } from '../../src/delivery/tick.js';
import type { SimUser } from '../../src/sandbox/telegram-emulator.js';
import { createBot } from '../../src/telegram/telegram.bot.js';
import { startWorkers } from '../../workers/start.js';
import { ladderTickWithoutRedis } from '../../workers/ladder-without-redis.js';
import { SLACK_WAIT } from '../helpers/waits.js';
import { dmBlockActionBy } from '../helpers/slack-actions.js';
import { depsOnRedis, startPrivateRedis } from '../helpers/private-redis.js';
import { createSlackWorld, dm, INTAKE, newCase, U, type SlackWorld } from './slack-harness.js';

/**
 * The on-call page goes out from the process that heard the crisis, at once:
 * no delivery worker, no escalation sweep and no Redis are needed for it
 * (src/escalations/page-now.ts, src/delivery/send-now.ts). The real telegraf
 * bot hears the client; the page reaches the Slack emulator; a sweep and a
 * delivery worker afterwards send nothing twice.
 */
let w: SlackWorld;
beforeAll(async () => {
  w = await createSlackWorld({ env: { SLACK_SUPERVISION_CHANNEL: INTAKE } });
});
afterAll(async () => {
  await w?.close();
});

const pagesTo = (slackUser: string, ref: string) => dm(w, slackUser).filter((m) => m.text.includes(':rotating_light:') && m.text.includes(ref));
const channelPages = (ref: string) => w.slack.messages(INTAKE).filter((m) => m.text.includes(':rotating_light:') && m.text.includes(ref));
const notified = async (caseId: string) =>
  (
    await w.deps.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.caseId, caseId), eq(auditLog.action, 'escalation.notified')))
  ).length;
const pageRows = async (caseId: string) =>
  w.deps.db
    .select({ status: deliveries.status, recipient: deliveries.recipient })
    .from(deliveries)
    .where(and(eq(deliveries.caseId, caseId), eq(deliveries.kind, 'crisis_page')));

/** Each test's crisis is its own case: resolve it, so the next test's on-call state starts clean. */
async function resolveCrisisOf(caseId: string): Promise<void> {
  await w.deps.db
    .update(escalations)
    .set({ resolvedAt: w.deps.clock.now().toJSDate(), resolution: 'test', acknowledgedAt: w.deps.clock.now().toJSDate() })
    .where(eq(escalations.caseId, caseId));
}

describe('a crisis page goes out at once from the process that heard it', () => {
  it('no worker and no sweep running: the team supervisor and the channel are paged once; a later sweep and worker add nothing', async () => {
    const later = createLater(w.deps.logger);
    const bot = createBot(w.deps, { token: w.tg.token, apiRoot: w.tg.url, botInfo: w.tg.botInfo as never, later });
    const c = await newCase(w, { assignTo: w.staff.worker });
    const client: SimUser = { id: c.chat, first_name: 'Client' };
    try {
      await bot.bot.handleUpdate((await w.tg.sendText(client, 'I took too many pills')) as unknown as Update);
      await expect.poll(() => pagesTo(U.sup, c.reference).length, { ...SLACK_WAIT, message: 'page to the team supervisor' }).toBe(1);
      await expect.poll(() => channelPages(c.reference).length, { ...SLACK_WAIT, message: 'page to the supervision channel' }).toBe(1);
      await later.drain();
      expect((await pageRows(c.caseId)).map((r) => r.status)).toEqual(['sent', 'sent']);
      expect(await notified(c.caseId)).toBe(1);

      // The sweep and the delivery worker coming by afterwards: the step was taken and the rows sent, nothing twice.
      const workers = await startWorkers(w.deps, { queues: ['delivery'] });
      try {
        await runEscalationSweep(w.deps);
        await enqueueDueDeliveries(w.deps);
        await expect.poll(async () => (await w.deps.queues.queue('delivery').getJobCounts('waiting', 'active')).active ?? 0).toBe(0);
      } finally {
        await workers.close(2000);
      }
      expect(pagesTo(U.sup, c.reference)).toHaveLength(1);
      expect(channelPages(c.reference)).toHaveLength(1);
      expect(await notified(c.caseId)).toBe(1);
    } finally {
      await bot.close();
    }
    await resolveCrisisOf(c.caseId);
  });

  it('with Redis killed the emergency reply goes and the supervisor is still paged, from PostgreSQL alone', async () => {
    // Its own redis-server, SIGKILLed before the client writes (the shared one stays up for the other tests).
    const redis = await startPrivateRedis();
    const { deps, close } = await depsOnRedis(w.deps, redis.url);
    await redis.kill();
    const later = createLater(deps.logger);
    const bot = createBot(deps, { token: w.tg.token, apiRoot: w.tg.url, botInfo: w.tg.botInfo as never, later });
    const c = await newCase(w, { assignTo: w.staff.worker });
    const client: SimUser = { id: c.chat, first_name: 'Client' };
    try {
      await bot.bot.handleUpdate((await w.tg.sendText(client, 'I want to end it all tonight')) as unknown as Update);
      await expect.poll(() => w.tg.messages(client.id)[0]?.text).toContain('Emergency services: 999');
      await expect.poll(() => pagesTo(U.sup, c.reference).length, { ...SLACK_WAIT, message: 'page with Redis down' }).toBe(1);
      await expect.poll(() => channelPages(c.reference).length, { ...SLACK_WAIT, message: 'channel page with Redis down' }).toBe(1);
      await expect.poll(async () => (await pageRows(c.caseId)).map((r) => r.status)).toEqual(['sent', 'sent']);
      expect(await notified(c.caseId)).toBe(1);
    } finally {
      await bot.close();
      close();
    }
  });

  it('crises faster than the supervisor DM takes messages go in one page listing them, each acknowledged on its own', async () => {
    const later = createLater(w.deps.logger);
    const bot = createBot(w.deps, { token: w.tg.token, apiRoot: w.tg.url, botInfo: w.tg.botInfo as never, later });
    const crises = [
      await newCase(w, { assignTo: w.staff.worker }),
      await newCase(w, { assignTo: w.staff.worker }),
      await newCase(w, { assignTo: w.staff.worker }),
    ];
    // The supervisor's DM and the supervision channel have just taken a message: the next turn is 3 s away.
    const budgets = new RateBudgets(w.deps.redis, w.deps.config);
    await budgets.pause({ limiter: 'slack_channel', id: `staff:${w.staff.sup}` }, 3000);
    await budgets.pause({ limiter: 'slack_channel', id: `channel:${INTAKE}` }, 3000);
    const dmBefore = dm(w, U.sup).length;
    const rowsOf = async (caseId: string) =>
      w.deps.db
        .select({ status: deliveries.status, recipient: deliveries.recipient, claimedAt: deliveries.claimedAt, externalRef: deliveries.externalRef })
        .from(deliveries)
        .where(and(eq(deliveries.caseId, caseId), eq(deliveries.kind, 'crisis_page')));
    try {
      const words = ['I took too many pills', 'I want to end it all tonight', 'he has a knife and says he will kill me'];
      for (const [i, c] of crises.entries()) {
        await bot.bot.handleUpdate((await w.tg.sendText({ id: c.chat, first_name: 'Client' }, words[i]!)) as unknown as Update);
        // The first crisis's page is waiting for its turn (claimed) before the next client writes.
        if (i === 0) await expect.poll(async () => (await rowsOf(c.caseId)).filter((r) => r.claimedAt).length, SLACK_WAIT).toBe(2);
      }
      await expect.poll(() => dm(w, U.sup).length - dmBefore, { ...SLACK_WAIT, message: 'one page to the supervisor' }).toBe(1);
      await later.drain();
      const page = dm(w, U.sup).at(-1)!;
      // One message naming all three, with a row of buttons for each.
      expect(page.text).toContain('3 crises');
      for (const c of crises) expect(page.text).toContain(c.reference);
      const acks = (page.blocks ?? []).flatMap((b) =>
        ((b as { elements?: Array<{ action_id?: string; value?: string }> }).elements ?? []).filter((e) => e.action_id === 'esc_ack'),
      );
      expect(acks).toHaveLength(3);
      // The channel got one message too; every page row is sent, each crisis's with its message's reference.
      expect(w.slack.messages(INTAKE).filter((m) => crises.every((c) => m.text.includes(c.reference)))).toHaveLength(1);
      for (const c of crises) {
        const rows = await rowsOf(c.caseId);
        expect(rows.map((r) => r.status)).toEqual(['sent', 'sent']);
        expect(rows.find((r) => r.recipient === `staff:${w.staff.sup}`)?.externalRef).toBe(page.ts);
        expect(await notified(c.caseId)).toBe(1);
      }

      // Acknowledging the second crisis: its buttons give way to who has it; the first and third keep theirs.
      const [first, second, third] = crises.map((c) => c!);
      const [esc2] = await w.deps.db.select({ id: escalations.id }).from(escalations).where(eq(escalations.caseId, second!.caseId));
      await w.driver.blockAction(U.sup, { channel: page.channel, ts: page.ts }, 'esc_ack', esc2!.id);
      await expect.poll(async () => (await w.deps.db.select().from(escalations).where(eq(escalations.id, esc2!.id)))[0]?.acknowledgedAt).toBeTruthy();
      const edited = () => dm(w, U.sup).find((m) => m.ts === page.ts)!;
      await expect.poll(() => JSON.stringify(edited().blocks), SLACK_WAIT).toContain('Acknowledged by');
      const left = (edited().blocks ?? []).flatMap((b) =>
        ((b as { elements?: Array<{ action_id?: string; value?: string }> }).elements ?? []).filter((e) => e.action_id === 'esc_ack'),
      );
      expect(left.map((e) => e.value)).not.toContain(esc2!.id);
      expect(left).toHaveLength(2);
      expect(edited().text).toContain(first!.reference);
      expect(edited().text).toContain(third!.reference);
      // The first too: each acknowledged crisis keeps its own next steps (block ids unique in the message), the third its button.
      const [esc1] = await w.deps.db.select({ id: escalations.id }).from(escalations).where(eq(escalations.caseId, first!.caseId));
      await w.driver.blockAction(U.sup, { channel: page.channel, ts: page.ts }, 'esc_ack', esc1!.id);
      const buttonsNow = () =>
        (edited().blocks ?? []).flatMap((b) =>
          ((b as { elements?: Array<{ action_id?: string; value?: string }> }).elements ?? []).map((e) => `${e.action_id}:${e.value}`),
        );
      await expect
        .poll(
          () =>
            buttonsNow()
              .filter((b) => b.startsWith('crisis_outcome:'))
              .sort(),
          SLACK_WAIT,
        )
        .toEqual([`crisis_outcome:${esc1!.id}`, `crisis_outcome:${esc2!.id}`].sort());
      expect(buttonsNow().filter((b) => b.startsWith('esc_ack:'))).toHaveLength(1);

      // A press whose message blocks are not what Slack could send (60 of them, forged text): the crisis is
      // acknowledged, the message is not rebuilt from them (nor wiped), and the person is told what is due.
      const [esc3] = await w.deps.db.select({ id: escalations.id }).from(escalations).where(eq(escalations.caseId, third!.caseId));
      const before = JSON.stringify(edited().blocks);
      const forged = Array.from({ length: 60 }, () => ({ type: 'section', text: { type: 'mrkdwn', text: 'FORGED' } }));
      const res = await w.driver.interaction({
        ...dmBlockActionBy(w, U.sup, page.ts),
        message: { ts: page.ts, text: page.text, blocks: forged },
        actions: [{ type: 'button', action_id: 'esc_ack', block_id: `crisis_page:${esc3!.id}`, value: esc3!.id, action_ts: '1.0' }],
      });
      expect(res.status).toBe(200);
      await expect.poll(async () => (await w.deps.db.select().from(escalations).where(eq(escalations.id, esc3!.id)))[0]?.acknowledgedAt).toBeTruthy();
      await expect.poll(() => w.slack.ephemerals({ user: U.sup }).some((e) => e.text.includes('Acknowledged by')), SLACK_WAIT).toBe(true);
      expect(JSON.stringify(edited().blocks)).toBe(before);
      // The message's own blocks plus a row of buttons that is not ours: not used either.
      const injected = [
        ...(edited().blocks ?? []),
        {
          type: 'actions',
          block_id: 'erasure',
          elements: [{ type: 'button', action_id: 'erasure_erase_now', value: first!.caseId, text: { type: 'plain_text', text: 'Erase' } }],
        },
      ];
      const again = await w.driver.interaction({
        ...dmBlockActionBy(w, U.sup, page.ts),
        message: { ts: page.ts, text: page.text, blocks: injected },
        actions: [{ type: 'button', action_id: 'esc_ack', block_id: `crisis_page:${esc3!.id}`, value: esc3!.id, action_ts: '2.0' }],
      });
      expect(again.status).toBe(200);
      await expect.poll(() => w.slack.ephemerals({ user: U.sup }).some((e) => e.text.includes('Already acknowledged')), SLACK_WAIT).toBe(true);
      expect(JSON.stringify(edited().blocks)).toBe(before);
    } finally {
      await bot.close();
    }
    for (const c of crises) await resolveCrisisOf(c.caseId);
  });

  it('a page sent by a delivery job does not queue behind slots other messages to the same person have reserved, nor behind the queue after a 429', async () => {
    const c = await newCase(w, { assignTo: w.staff.worker });
    const now = w.deps.clock.now();
    const recipient = `staff:${w.staff.sup}` as const;
    const [page] = await inTransaction(w.deps.db, async (tx) => {
      const esc = await openEscalation(tx, { caseId: c.caseId, reason: 'crisis', nextAt: now }, now);
      // Its first step taken (as the ladder records it), and that step's page planned.
      await tx.update(escalations).set({ notifications: 1, lastNotifiedAt: now.toJSDate() }).where(eq(escalations.id, esc.row.id));
      return planDeliveries(tx, [{ kind: 'crisis_page', subjectId: esc.row.id, version: 1, recipient, channel: 'slack', caseId: c.caseId, dueAt: now }], now);
    });
    // Three seconds of the supervisor's DM already reserved by messages waiting for their turn (30 a second here).
    const budgets = new RateBudgets(w.deps.redis, w.deps.config);
    for (let i = 0; i < 90; i++) await budgets.reserve([{ limiter: 'slack_channel', id: recipient }]);
    // And Slack answers its first try with a 429 (retry after 1 s).
    const limitedBefore = w.slack.stats.rateLimited;
    w.slack.rateLimitNext('chat.postMessage', 1, 1);
    // The delivery job's send: the page takes the next turn rather than a slot after all of them, waits out the
    // 429 where it is (not behind the queue) and goes: one call, one page.
    const outcome = await sendDelivery(w.deps, page!.id, { finalAttempt: false });
    expect(outcome).toMatchObject({ kind: 'sent' });
    expect(w.slack.stats.rateLimited).toBe(limitedBefore + 1);
    expect(pagesTo(U.sup, c.reference)).toHaveLength(1);
    await resolveCrisisOf(c.caseId);
  });
  it("a page waiting to go along with another goes on its own once that other one's sender has died", async () => {
    const [c1, c2] = [await newCase(w, { assignTo: w.staff.worker }), await newCase(w, { assignTo: w.staff.worker })];
    const now = w.deps.clock.now();
    const recipient = `staff:${w.staff.sup}` as const;
    const planPage = (caseId: string) =>
      inTransaction(w.deps.db, async (tx) => {
        const esc = await openEscalation(tx, { caseId, reason: 'crisis', nextAt: now }, now);
        await tx.update(escalations).set({ notifications: 1, lastNotifiedAt: now.toJSDate() }).where(eq(escalations.id, esc.row.id));
        const [row] = await planDeliveries(
          tx,
          [{ kind: 'crisis_page', subjectId: esc.row.id, version: 1, recipient, channel: 'slack', caseId, dueAt: now }],
          now,
        );
        return row!;
      });
    const [a, b] = [await planPage(c1.caseId), await planPage(c2.caseId)];
    // The first page was claimed by a sender that died before sending (its claim runs out after the lease).
    const lease = w.deps.config.DELIVERY_CLAIM_LEASE_SECONDS;
    expect(await claimDelivery(w.deps.db, a.id, randomUUID(), now, lease)).not.toBeNull();
    let settled = false;
    const second = sendDelivery(w.deps, b.id, { finalAttempt: false }).finally(() => {
      settled = true;
    });
    // The second waits to be taken along; nobody will take it. Once the dead sender's claim has run out it goes itself.
    await expect.poll(async () => (await pageRows(c2.caseId))[0]?.status).toBe('pending');
    expect(settled).toBe(false);
    w.deps.clock.advance({ seconds: lease + 1 });
    expect(await second).toMatchObject({ kind: 'sent' });
    expect(pagesTo(U.sup, c2.reference)).toHaveLength(1);
    expect(pagesTo(U.sup, c2.reference)[0]!.text).not.toContain('crises');
    // The dead sender's page, tried once already, goes the single-row way (its journal read first): once.
    expect(await sendDelivery(w.deps, a.id, { finalAttempt: false })).toMatchObject({ kind: 'sent' });
    expect(pagesTo(U.sup, c1.reference)).toHaveLength(1);
    await resolveCrisisOf(c1.caseId);
    await resolveCrisisOf(c2.caseId);
  });
  it("with Redis down nobody acknowledges: the next page still goes, from the worker process's own timer (no escalation tick runs)", async () => {
    const redis = await startPrivateRedis();
    const { deps, close } = await depsOnRedis(w.deps, redis.url);
    const later = createLater(deps.logger);
    const bot = createBot(deps, { token: w.tg.token, apiRoot: w.tg.url, botInfo: w.tg.botInfo as never, later });
    const c = await newCase(w, { assignTo: w.staff.worker });
    const sent = async () => (await pageRows(c.caseId)).filter((r) => r.status === 'sent').length;
    try {
      // Redis up: the timer leaves the ladder to the tick.
      expect(await ladderTickWithoutRedis(deps)).toBe('redis_up');
      await redis.kill();
      await bot.bot.handleUpdate((await w.tg.sendText({ id: c.chat, first_name: 'Client' }, 'I cannot go on, I have the pills here')) as unknown as Update);
      await expect.poll(sent, { ...SLACK_WAIT, message: 'the first pages' }).toBe(2);
      // (Not later.drain(): the jobs' adds wait for a Redis that is gone; the record does not need them.)
      expect(await notified(c.caseId)).toBe(1);
      // Nobody acknowledges; an hour later the tick would page again, but it is a BullMQ job and Redis is dead.
      w.deps.clock.advance({ hours: 1 });
      const r = await ladderTickWithoutRedis(deps);
      expect(r).not.toBe('redis_up');
      expect(await notified(c.caseId)).toBe(2);
      await expect.poll(sent, { ...SLACK_WAIT, message: 'the next page, with Redis down' }).toBeGreaterThan(2);
      expect((await pageRows(c.caseId)).every((p) => p.status === 'sent')).toBe(true);
    } finally {
      await bot.close();
      close();
    }
    await resolveCrisisOf(c.caseId);
  });
});
