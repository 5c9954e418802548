import { afterEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { eq } from 'drizzle-orm';
import { FAULT_WAIT } from '../helpers/waits.js';
import { TEST_REDIS_URL } from '../helpers/redis.js';
import { deliveries, staff } from '../../src/db/schema.js';
import { RateBudgets } from '../../src/delivery/rate-budget.js';
import { FaultWorld, WORKER_SLACK_IDS } from './fault-world.js';

/**
 * The on-call page is sent by the app process that heard the crisis
 * (src/escalations/page-now.ts), and waits there for its turn on the
 * supervisor's DM. Real processes from built JavaScript: the app-only process
 * is stopped with SIGTERM while its page waits; it gives the row back at once
 * (claim released, not a lease later), and a workers process started
 * afterwards sends the page: once.
 */
let world: FaultWorld | undefined;
let redis: Redis | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
  redis?.disconnect();
  redis = undefined;
});

describe('a crisis page waiting for its turn when the app is told to stop', () => {
  it('SIGTERM of the app-only process: the page row is released at once, and a workers process sends it once', async () => {
    const w = (world = await FaultWorld.create({ DELIVERY_TICK_SECONDS: '1' }));
    const db = w.tdb.db;
    const at = new Date();
    const oncallSlack = WORKER_SLACK_IDS[0]!;
    const [oncall] = await db
      .insert(staff)
      .values({ slackUserId: oncallSlack, displayName: 'On call', role: 'supervisor', onCall: true, timeZone: 'Europe/London', createdAt: at, updatedAt: at })
      .returning();
    // The on-call DM is held for 20 s (as after a platform "retry after"): the page waits for its turn in the app.
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    const budgets = new RateBudgets(redis, {
      QUEUE_PREFIX: w.prefix,
      TELEGRAM_MESSAGES_PER_SECOND: 30,
      TELEGRAM_CHAT_MESSAGES_PER_SECOND: 1,
      SLACK_CHANNEL_MESSAGES_PER_SECOND: 30,
    });
    await budgets.pause({ limiter: 'slack_channel', id: `staff:${oncall!.id}` }, 20_000);

    const app = w.start({ via: 'node', entry: 'app', built: true });
    await app.waitFor(/telegram bot receiving updates by long polling/);
    const user = { id: 913_579, first_name: 'P', language_code: 'en' };
    w.tg.addUser(user);
    await w.tg.sendText(user, 'I am going to kill myself tonight');

    const page = async () => (await db.select().from(deliveries).where(eq(deliveries.kind, 'crisis_page')))[0];
    // The app planned the page and holds it, waiting for the DM's turn.
    await expect.poll(async () => !!(await page())?.claimedAt, FAULT_WAIT).toBeTruthy();
    const pages = () => w.slack.dmWith(oncallSlack).filter((m) => m.text.includes(':rotating_light:'));
    expect(pages()).toHaveLength(0);

    app.child.kill('SIGTERM');
    expect((await app.exited).code).toBe(0);
    // Given back at once for a worker: pending, no claim left to run out.
    expect(await page()).toMatchObject({ status: 'pending', claimedAt: null });
    expect(pages()).toHaveLength(0);

    const workers = w.start({ via: 'node', entry: 'workers', built: true });
    await workers.waitFor(/workers started/);
    await expect.poll(() => pages().length, { ...FAULT_WAIT, timeout: 60_000 }).toBe(1);
    await expect.poll(async () => (await page())?.status, FAULT_WAIT).toBe('sent');
    workers.child.kill('SIGTERM');
    expect((await workers.exited).code).toBe(0);
    expect(pages()).toHaveLength(1);
  }, 150_000);
});
