import { afterEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { FAULT_WAIT } from '../helpers/waits.js';
import { startPrivateRedis, type PrivateRedis } from '../helpers/private-redis.js';
import { makeCase, makeClient, makeStaff } from '../helpers/factories.js';
import { deliveries, escalations } from '../../src/db/schema.js';
import { openEscalation } from '../../src/escalations/escalations.repo.js';
import { FaultWorld, WORKER_SLACK_IDS } from './fault-world.js';

/**
 * Someone must always be paged, Redis or not. The escalation ladder is a BullMQ job (`escalations.tick`), so
 * with Redis dead nothing would page the next tier of an unacknowledged crisis until Redis came back. A real
 * workers process (built JavaScript) on a redis-server of the test's own: the server is SIGKILLed, and the
 * workers process pages from PostgreSQL on its own timer (workers/ladder-without-redis.ts).
 */
let world: FaultWorld | undefined;
let redis: PrivateRedis | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
  await redis?.kill().catch(() => undefined);
  redis = undefined;
});

describe('the crisis ladder while Redis is dead', () => {
  it('an unacknowledged crisis pages again from a workers process whose Redis was SIGKILLed', async () => {
    redis = await startPrivateRedis();
    const w = (world = await FaultWorld.create({ REDIS_URL: redis.url, ESCALATION_TICK_SECONDS: '5' }));
    const db = w.tdb.db;
    const now = DateTime.utc();
    const [oncallSlack, adminSlack] = [WORKER_SLACK_IDS[0]!, WORKER_SLACK_IDS[1]!];
    await makeStaff(db, { slackUserId: oncallSlack, displayName: 'On call', role: 'supervisor', onCall: true, timeZone: 'Europe/London' });
    await makeStaff(db, { slackUserId: adminSlack, displayName: 'Admin', role: 'admin', timeZone: 'Europe/London' });
    const client = await makeClient(db, { telegramUserId: 924_001, telegramChatId: 924_001 });
    const c = await makeCase(db, { clientId: client.id, category: 'family', priority: 'crisis', crisis: true }, now.minus({ hours: 2 }));
    // A crisis paged once two hours ago that nobody has acknowledged: its next page is long due.
    const opened = now.minus({ hours: 2 });
    const { row: esc } = await openEscalation(db, { caseId: c.id, reason: 'crisis', nextAt: opened }, opened);
    await db.update(escalations).set({ notifications: 1, lastNotifiedAt: opened.toJSDate(), nextAt: opened.toJSDate() }).where(eq(escalations.id, esc.id));

    const workers = w.start({ via: 'node', entry: 'workers', built: true });
    await workers.waitFor(/workers started/);
    await redis.kill();

    const pages = () =>
      [oncallSlack, adminSlack].flatMap((u) => w.slack.dmWith(u)).filter((m) => m.text.includes(':rotating_light:') && m.text.includes(c.reference));
    await expect.poll(() => pages().length, { ...FAULT_WAIT, timeout: 60_000, message: 'a page with Redis dead' }).toBeGreaterThan(0);
    const [after] = await db.select().from(escalations).where(eq(escalations.id, esc.id));
    expect(after!.notifications).toBeGreaterThanOrEqual(2);
    await expect.poll(() => workers.out(), FAULT_WAIT).toMatch(/Redis is not answering: the crisis ladder ran from this process/);
    // Each page row is recorded sent (the platform answers before the row is written: wait for it), one message each.
    const sentRows = async () => (await db.select().from(deliveries).where(eq(deliveries.kind, 'crisis_page'))).filter((r) => r.status === 'sent').length;
    await expect.poll(sentRows, FAULT_WAIT).toBe(pages().length);

    workers.child.kill('SIGTERM');
    await workers.exited;
  }, 150_000);
});
