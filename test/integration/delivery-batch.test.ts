import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { auditLog, cases, deliveries } from '../../src/db/schema.js';
import { planDeliveries, scheduleDeliveries, type PlannedDelivery } from '../../src/delivery/ledger.js';
import { claimBatch, releaseBatch } from '../../src/delivery/batch-claims.js';
import { startWorkers, type RunningWorkers } from '../../workers/start.js';
import { makeAppointment, makeCase, makeClient, stamped } from '../helpers/factories.js';
import { CLIENT_CHAT, createWorld, settle, type World } from './delivery-fixtures.js';

/**
 * The batch sender (src/delivery/send-batch.ts): a job that sent its own row
 * with a free slot sends more due rows in the same run, claimed in one
 * statement. Real workers, PostgreSQL, Redis and the Telegram emulator.
 */
let w: World;
let workers: RunningWorkers | undefined;
const CHATS = 30;

beforeAll(async () => {
  // Limits as high as the config allows, so the budget is not what limits and batches form.
  w = await createWorld({ env: { TELEGRAM_MESSAGES_PER_SECOND: '30', TELEGRAM_CHAT_MESSAGES_PER_SECOND: '30', DELIVERY_BATCH_SIZE: '20' } });
});
afterAll(async () => {
  await workers?.close(2000);
  await w?.close();
});

/** A reminder for a new appointment of `caseId`, to `clientId`, due at `dueAt`. */
async function reminder(caseId: string, clientId: string, dueAt = w.deps.clock.now()): Promise<PlannedDelivery> {
  const appt = await makeAppointment(w.deps.db, {
    caseId,
    workerId: w.workerId,
    startsAt: w.deps.clock.now().plus({ days: 1 }).toJSDate(),
    ...stamped(w.deps.clock.now().toJSDate()),
  });
  return { kind: 'appointment_reminder.PT24H', subjectId: appt.id, recipient: `client:${clientId}`, channel: 'telegram', caseId, dueAt };
}

describe('batch sender', () => {
  it('never claims an urgent kind (a crisis page goes by its own job), nor a message behind an earlier one to the same recipient', async () => {
    const now = w.deps.clock.now();
    const page: PlannedDelivery = {
      kind: 'crisis_page',
      subjectId: randomUUID(),
      recipient: `staff:${w.oncallId}`,
      channel: 'slack',
      caseId: w.caseId,
      dueAt: now,
    };
    const first = await reminder(w.caseId, w.clientId, now.minus({ seconds: 2 }));
    const second = await reminder(w.caseId, w.clientId, now.minus({ seconds: 1 }));
    const rows = await planDeliveries(w.deps.db, [page, first, second], now);
    const urgentKinds = [...w.deps.deliveryKinds.entries()].filter(([, k]) => k.urgent).map(([n]) => n);
    expect(urgentKinds).toContain('crisis_page');
    const token = randomUUID();
    const claimed = await claimBatch(w.deps.db, { token, now, leaseSeconds: 30, limit: 10, channels: ['telegram', 'slack'], urgentKinds });
    expect(claimed.map((r) => r.id)).toEqual([rows[1]!.id]);
    await releaseBatch(w.deps.db, [rows[1]!.id], token, now, true);
    const [back] = await w.deps.db.select().from(deliveries).where(eq(deliveries.id, rows[1]!.id));
    expect(back).toMatchObject({ status: 'pending', claimedAt: null, claimToken: null, attempts: 0 });
    // Leave the ledger as it was for the next test: these three are not part of it.
    await w.deps.db.execute(sql`delete from deliveries where id = any(${sql.param(rows.map((r) => r.id))}::uuid[])`);
  });

  it('sends a burst in batches: every chat once, per-chat order kept, every row recorded and audited once', async () => {
    const now = w.deps.clock.now();
    const planned: PlannedDelivery[] = [];
    for (let i = 0; i < CHATS; i++) {
      const chat = 800_000 + i;
      w.tg.addUser({ id: chat, first_name: `C${i}` });
      const client = await makeClient(w.deps.db, { telegramUserId: chat, telegramChatId: chat, language: 'en', ...stamped(now.toJSDate()) });
      const c = await makeCase(w.deps.db, { clientId: client.id, category: 'family', priority: 'normal' }, now);
      await w.deps.db.update(cases).set({ assignedWorkerId: w.workerId, assignedAt: now.toJSDate() }).where(eq(cases.id, c.id));
      planned.push(await reminder(c.id, client.id));
    }
    // Two for the world's client, one due before the other: they must arrive in that order.
    planned.push(await reminder(w.caseId, w.clientId, now.minus({ seconds: 2 })), await reminder(w.caseId, w.clientId, now.minus({ seconds: 1 })));
    const rows = await planDeliveries(w.deps.db, planned, now);
    await scheduleDeliveries(w.deps.queues, rows, now);
    workers = await startWorkers(w.deps, { queues: ['delivery'] });
    await settle(w, 30_000);

    const ledger = await w.deps.db
      .select()
      .from(deliveries)
      .where(sql`${deliveries.id} = any(${sql.param(rows.map((r) => r.id))}::uuid[])`);
    expect(ledger.map((r) => r.status)).toEqual(rows.map(() => 'sent'));
    expect(ledger.filter((r) => !r.externalRef)).toEqual([]);
    for (let i = 0; i < CHATS; i++) expect(w.tg.messages(800_000 + i)).toHaveLength(1);
    // Per-chat order: the earlier-due reminder first (each names its own appointment's message id in the ledger).
    const mine = ledger.filter((r) => r.recipient === `client:${w.clientId}`).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
    const ids = w.tg.messages(CLIENT_CHAT).map((m) => String(m.message_id));
    expect(ids).toHaveLength(2);
    expect(mine.map((r) => r.externalRef?.split(':').pop())).toEqual(ids);
    const audit = await w.deps.db
      .select({ subjectId: auditLog.subjectId })
      .from(auditLog)
      .where(sql`${auditLog.action} = 'delivery.sent' and ${auditLog.subjectId} = any(${sql.param(rows.map((r) => r.id))}::text[])`);
    expect(audit.map((a) => a.subjectId).sort()).toEqual(rows.map((r) => r.id).sort());
    // And batches did form: some job sent rows besides its own.
    const done = await w.deps.queues.queue('delivery').getJobs(['completed']);
    const batched = done.reduce((n, j) => n + ((j.returnvalue as { batch?: { sent: number } } | undefined)?.batch?.sent ?? 0), 0);
    expect(batched).toBeGreaterThan(0);
  });
});
