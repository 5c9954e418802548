import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { clients, deliveries } from '../../src/db/schema.js';
import { spreadDueBursts } from '../../src/delivery/send-ahead.js';
import { createWorld, type World } from './delivery-fixtures.js';

/**
 * Send-ahead without anyone setting a window: 300 Telegram reminders due at
 * the same minute take over ten seconds at the bot's 29/s, so the first part
 * of the burst may go from a little before, sized from the ledger, and the
 * last goes at its due time. A handful due together, or a time inside a
 * client's quiet hours, is left alone; SEND_AHEAD_WINDOW overrides it all.
 */
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function world(env: Record<string, string> = {}): Promise<World> {
  const w = await createWorld({ start: '2026-11-24T12:00:00Z', env });
  cleanups.push(() => w.close());
  return w;
}

async function burst(w: World, n: number, dueIso: string, recipient = () => `client:${randomUUID()}`): Promise<void> {
  const due = new Date(dueIso);
  await w.deps.db.insert(deliveries).values(
    Array.from({ length: n }, () => ({
      kind: 'appointment_reminder.PT24H',
      subjectId: randomUUID(),
      version: 1,
      recipient: recipient(),
      channel: 'telegram' as const,
      dueAt: due,
      status: 'pending' as const,
      createdAt: due,
      updatedAt: due,
    })),
  );
}

const rowsDue = (w: World, iso: string) =>
  w.deps.db
    .select()
    .from(deliveries)
    .where(eq(deliveries.dueAt, new Date(iso)));

describe('send-ahead sized from the ledger', () => {
  it('a burst of 300 due at once starts early enough for the last to be on time; 10 due together are left alone', async () => {
    const w = await world();
    await burst(w, 300, '2026-11-24T12:30:00Z');
    await burst(w, 10, '2026-11-24T13:30:00Z');
    const moved = await spreadDueBursts(w.deps);

    const big = await rowsDue(w, '2026-11-24T12:30:00Z');
    const ahead = big.filter((r) => r.notBefore).map((r) => (r.dueAt.getTime() - r.notBefore!.getTime()) / 1000);
    // Row k of 300 at 29/s ideally goes (300 − k)/29 s early; only those 5 s or more ahead move (about half).
    expect(ahead.length).toBe(moved);
    expect(ahead.length).toBeGreaterThan(140);
    expect(ahead.length).toBeLessThan(160);
    // The earliest: 299/29 s, plus 15 % and 2 s of slack.
    expect(Math.max(...ahead)).toBeCloseTo((299 / 29) * 1.15 + 2, 0);
    expect(Math.min(...ahead)).toBeGreaterThanOrEqual(5);
    expect((await rowsDue(w, '2026-11-24T13:30:00Z')).every((r) => r.notBefore === null)).toBe(true);
    // Run again: rows already given a time keep it.
    expect(await spreadDueBursts(w.deps)).toBe(0);
  });

  it("never picks a time inside the client's quiet hours; SEND_AHEAD_WINDOW set means no automatic spreading", async () => {
    const w = await world();
    // 12:29:50 UTC in London is inside quiet hours 12:00–13:00: the client's row waits for its due time.
    await w.deps.db.update(clients).set({ timeZone: 'Europe/London', quietHoursStart: '12:00', quietHoursEnd: '13:00' }).where(eq(clients.id, w.clientId));
    // The client's row is due a second before 300 others: first in line, so it would be sent the earliest.
    await burst(w, 1, '2026-11-24T12:29:59Z', () => `client:${w.clientId}`);
    await burst(w, 300, '2026-11-24T12:30:00Z');
    await spreadDueBursts(w.deps);
    const [mine] = await w.deps.db
      .select()
      .from(deliveries)
      .where(sql`${deliveries.recipient} = ${`client:${w.clientId}`}`);
    expect(mine!.notBefore).toBeNull();
    expect((await rowsDue(w, '2026-11-24T12:30:00Z')).some((r) => r.notBefore)).toBe(true);

    const fixed = await world({ SEND_AHEAD_WINDOW: 'PT15M' });
    await burst(fixed, 300, '2026-11-24T12:30:00Z');
    expect(await spreadDueBursts(fixed.deps)).toBe(0);
  });
});
