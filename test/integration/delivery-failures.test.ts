import { afterEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { clients, deliveries, escalations } from '../../src/db/schema.js';
import { openEscalation } from '../../src/escalations/escalations.repo.js';
import { planAppointmentReminders } from '../../src/appointments/reminders.service.js';
import { planDeliveries, scheduleDeliveries } from '../../src/delivery/ledger.js';
import { startWorkers } from '../../workers/start.js';
import { advanceTo, bookAppointment, CLIENT_CHAT, createWorld, ledger, settle, SUPERVISION_CHANNEL, WORKER_SLACK, type World } from './delivery-fixtures.js';

/** Permanent failures: marked failed with the reason, not retried, and shown to the worker. */
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});
async function world(): Promise<World> {
  const w = await createWorld({ env: { REMINDER_OFFSETS_CLIENT: 'PT24H', REMINDER_OFFSETS_WORKER: 'PT24H' } });
  const r = await startWorkers(w.deps, { queues: ['delivery'] });
  cleanups.push(async () => {
    await r.close(2000);
    await w.close();
  });
  return w;
}

describe('permanent delivery failures', () => {
  it('the client blocked the bot: failed once (no retries), bot_blocked_at set, the worker told in Slack, later reminders skipped', async () => {
    const w = await world();
    w.tg.blockBy(CLIENT_CHAT);
    const first = await bookAppointment(w, '2026-11-25T10:00:00Z');
    const second = await bookAppointment(w, '2026-11-26T10:00:00Z');
    await planAppointmentReminders(w.deps, first);
    await planAppointmentReminders(w.deps, second);
    await advanceTo(w, '2026-11-24T10:00:00Z');
    await settle(w);

    const calls = w.tg.calls.filter((c) => c.method === 'sendMessage');
    expect(calls.map((c) => [c.ok, c.error?.error_code])).toEqual([[false, 403]]);
    const rows = await ledger(w);
    const clientRow = rows.find((r) => r.subjectId === first && r.recipient.startsWith('client:'))!;
    expect(clientRow).toMatchObject({ status: 'failed', reason: 'client_blocked_bot', attempts: 1 });
    const [client] = await w.deps.db.select().from(clients).where(eq(clients.id, w.clientId));
    expect(client!.botBlockedAt).not.toBeNull();
    const notices = w.slack
      .messages(WORKER_SLACK)
      .map((m) => m.text)
      .filter((t) => t.includes('could not be delivered'));
    expect(notices).toEqual([
      `Reminder to the client of ${w.reference} could not be delivered: the client has blocked the bot. Please reach the client another way; reminders will not reach them on Telegram until they message the bot again.`,
    ]);

    // The next reminder to that client is not even tried: skipped with the reason.
    await advanceTo(w, '2026-11-25T10:00:00Z');
    await settle(w);
    expect(w.tg.calls.filter((c) => c.method === 'sendMessage')).toHaveLength(1);
    const next = (await ledger(w)).find((r) => r.subjectId === second && r.recipient.startsWith('client:'))!;
    expect(next).toMatchObject({ status: 'skipped', reason: 'client_blocked_bot' });
  });

  it('Slack channel_not_found / is_archived: failed with the reason, not retried', async () => {
    const w = await world();
    w.slack.failChannel(SUPERVISION_CHANNEL, 'is_archived');
    w.slack.failChannel(w.slack.dmChannel(WORKER_SLACK), 'channel_not_found');
    const apptId = await bookAppointment(w, '2026-11-25T10:00:00Z');
    await planAppointmentReminders(w.deps, apptId);
    const now = w.deps.clock.now();
    // A supervision-channel post for the same case (what escalation level 2 produces).
    const { row: esc } = await openEscalation(w.deps.db, { caseId: w.caseId, reason: 'quiet_case', level: 2 }, now);
    await w.deps.db.update(escalations).set({ notifications: 1, lastNotifiedAt: now.toJSDate() }).where(eq(escalations.id, esc.id));
    const rows = await planDeliveries(
      w.deps.db,
      [{ kind: 'escalation', subjectId: esc.id, version: 1, recipient: `channel:${SUPERVISION_CHANNEL}`, channel: 'slack', caseId: w.caseId, dueAt: now }],
      now,
    );
    await scheduleDeliveries(w.deps.queues, rows, now);
    await advanceTo(w, '2026-11-24T10:00:00Z');
    await settle(w);
    const all = await ledger(w);
    expect(all.find((r) => r.recipient === `staff:${w.workerId}` && r.kind.startsWith('appointment_reminder'))).toMatchObject({
      status: 'failed',
      reason: 'slack_channel_not_found',
      attempts: 1,
    });
    expect(all.find((r) => r.recipient === `channel:${SUPERVISION_CHANNEL}`)).toMatchObject({ status: 'failed', reason: 'slack_is_archived', attempts: 1 });
    // One try each, no retry loop: the worker's reminder, the channel post, and the notice about the channel
    // to the worker (whose DM fails too; a failed notice is not itself noticed).
    expect(w.slack.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(3);
    expect(all.find((r) => r.kind === 'delivery_failed_notice')).toMatchObject({ status: 'failed', reason: 'slack_channel_not_found', attempts: 1 });
    expect((await w.deps.db.select().from(deliveries).where(eq(deliveries.status, 'pending'))).map((r) => r.kind)).toEqual(['outcome_question']);
  });
});
