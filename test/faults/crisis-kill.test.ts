import { afterEach, describe, expect, it } from 'vitest';
import { FAULT_WAIT } from '../helpers/waits.js';
import { and, eq } from 'drizzle-orm';
import { clients, deliveries, escalations } from '../../src/db/schema.js';
import { FaultWorld } from './fault-world.js';

/**
 * Issue 11, item 5, with real processes: the app process long-polls the
 * Telegram emulator, which refuses every sendMessage (a Bot API outage); a
 * client writes a crisis; the app records it (case, escalation, the reply's
 * ledger row) and is SIGKILLed while its in-process retries still run. A
 * workers process started afterwards sends the emergency reply from the
 * ledger: once, after the hand-over time.
 */
let world: FaultWorld | undefined;
// dist/ is built once for the whole run by test/global-setup.ts (concurrent builds would clobber each other).
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const CONTACTS = 'Emergency services: 999';

describe('the emergency reply survives the bot process dying', () => {
  it('SIGKILL of the app before Telegram accepted the reply: the workers send it from the ledger, once', async () => {
    const w = (world = await FaultWorld.create({ CRISIS_REPLY_HANDOVER_SECONDS: '10', DELIVERY_TICK_SECONDS: '1' }));
    const user = { id: 912_345, first_name: 'K', language_code: 'en' };
    w.tg.addUser(user);
    w.tg.failNext('sendMessage', { error_code: 502, description: 'Bad Gateway' }, 100_000);
    const app = w.start({ via: 'node', entry: 'app', built: true });
    await app.waitFor(/telegram bot receiving updates by long polling/);
    await w.tg.sendText(user, 'I want to kill myself tonight');

    // The crisis is recorded with the reply's ledger row while the bot keeps retrying the send.
    const db = w.tdb.db;
    const replyRow = async () => {
      const [c] = await db.select().from(clients).where(eq(clients.telegramUserId, user.id));
      if (!c) return undefined;
      const [row] = await db
        .select()
        .from(deliveries)
        .where(and(eq(deliveries.kind, 'crisis_reply'), eq(deliveries.recipient, `client:${c.id}`)));
      return row;
    };
    await expect.poll(async () => !!(await replyRow()), FAULT_WAIT).toBeTruthy();
    expect(await db.select().from(escalations).where(eq(escalations.reason, 'crisis'))).toHaveLength(1);
    await expect.poll(() => w.tg.calls.filter((c) => c.method === 'sendMessage').length >= 2, FAULT_WAIT).toBeTruthy();
    app.child.kill('SIGKILL');
    await app.exited;
    const emergency = () => w.tg.messages(user.id).filter((m) => (m.text ?? '').includes(CONTACTS));
    expect(emergency()).toHaveLength(0);
    expect(await replyRow()).toMatchObject({ status: 'pending' });

    // Telegram is back; a workers process (the app stays dead) takes over the ledger row.
    w.tg.clearFaults();
    const workers = w.start({ via: 'node', entry: 'workers', built: true });
    await workers.waitFor(/workers started/);
    await expect.poll(() => emergency().length > 0, { ...FAULT_WAIT, timeout: 40_000 }).toBeTruthy();
    await expect.poll(async () => (await replyRow())?.status === 'sent', FAULT_WAIT).toBeTruthy();
    // Stop the workers cleanly: by then every tick that could have sent it again has run.
    workers.child.kill('SIGTERM');
    expect((await workers.exited).code).toBe(0);
    expect(emergency()).toHaveLength(1);
  }, 120_000);
});
