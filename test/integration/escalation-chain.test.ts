import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { auditLog, deliveries, escalations } from '../../src/db/schema.js';
import { planAppointmentReminders } from '../../src/appointments/reminders.service.js';
import { runEscalationSweep } from '../../src/escalations/escalation-sweep.service.js';
import { acknowledgeEscalation } from '../../src/escalations/escalation-actions.service.js';
import { enqueueDueDeliveries } from '../../src/delivery/tick.js';
import { startWorkers, type RunningWorkers } from '../../workers/start.js';
import { bookAppointment, CLIENT_CHAT, createWorld, ledger, settle, SUPERVISOR_SLACK, WORKER_SLACK, type World } from './delivery-fixtures.js';

/**
 * The "done when" chain: an appointment booked produces, in order and once
 * each, the client's and the worker's reminders at the right local times, the
 * outcome question, and — no note following — the worker's nudge (in their
 * working hours), the supervisor's escalation, and its acknowledgement.
 * The client is in London, the worker in New York (09:00–17:00 there).
 */
let w: World;
let workers: RunningWorkers;
beforeAll(async () => {
  w = await createWorld({ workerZone: 'America/New_York' });
  workers = await startWorkers(w.deps, { queues: ['delivery'] });
});
afterAll(async () => {
  await workers?.close(2000);
  await w?.close();
});

/** What the scheduler does: at this instant, the escalation sweep and the delivery tick run. */
async function at(iso: string): Promise<void> {
  w.deps.clock.set(DateTime.fromISO(iso, { zone: 'utc' }));
  await runEscalationSweep(w.deps);
  await enqueueDueDeliveries(w.deps);
  await settle(w);
}

describe('appointment → reminders → outcome question → nudge → escalation → acknowledgement', () => {
  it('happens in order, once each, at the right local times', async () => {
    const apptId = await bookAppointment(w, '2026-11-25T10:00:00Z'); // Wed 10:00 London = 05:00 New York
    await planAppointmentReminders(w.deps, apptId);
    for (const t of ['2026-11-24T09:59:00Z', '2026-11-24T10:00:00Z', '2026-11-25T08:00:00Z', '2026-11-25T09:30:00Z', '2026-11-25T12:00:00Z']) await at(t);

    // The record of the contact is now due within a day; nothing is logged. Thursday 12:00Z is 07:00 in New York:
    // the worker's nudge waits for their working day (09:00 EST = 14:00Z).
    await at('2026-11-26T12:00:01Z');
    expect(w.slack.messages(WORKER_SLACK)).toHaveLength(3);
    await at('2026-11-26T13:59:00Z');
    expect(w.slack.messages(WORKER_SLACK)).toHaveLength(3);
    await at('2026-11-26T14:00:00Z');
    // Level 1 is due 24 h after the nudge: the supervisor (London, working hours) hears on Friday 14:00Z.
    await at('2026-11-27T13:59:00Z');
    expect(w.slack.messages(SUPERVISOR_SLACK)).toHaveLength(0);
    await at('2026-11-27T14:00:00Z');

    const [esc] = await w.deps.db.select().from(escalations).where(eq(escalations.caseId, w.caseId));
    expect(esc).toMatchObject({ reason: 'follow_up_overdue', level: 1, notifications: 2 });
    const ack = await acknowledgeEscalation(w.deps, { escalationId: esc!.id, staffId: w.supervisorId });
    expect(ack).toEqual({ ok: true, status: 'acknowledged' });
    // Acknowledged: the ladder stops (no supervision channel on Saturday, no repeats).
    await at('2026-11-28T14:00:00Z');
    await at('2026-11-30T08:59:00Z'); // Monday morning, before the weekly digest

    const sent = (await ledger(w))
      .filter((r) => r.status === 'sent' && r.kind !== 'app_home' && r.kind !== 'case_card_update')
      .sort((a, b) => a.sentAt!.getTime() - b.sentAt!.getTime() || a.kind.localeCompare(b.kind) || a.recipient.localeCompare(b.recipient));
    expect(sent.map((r) => [r.kind, r.recipient.split(':')[0], r.sentAt!.toISOString()])).toEqual([
      ['appointment_reminder.PT24H', 'client', '2026-11-24T10:00:00.000Z'],
      ['appointment_reminder.PT24H', 'staff', '2026-11-24T10:00:00.000Z'],
      ['appointment_reminder.PT2H', 'client', '2026-11-25T08:00:00.000Z'],
      ['appointment_reminder.PT30M', 'staff', '2026-11-25T09:30:00.000Z'],
      ['outcome_question', 'staff', '2026-11-25T12:00:00.000Z'],
      ['follow_up_nudge', 'staff', '2026-11-26T14:00:00.000Z'],
      ['escalation', 'staff', '2026-11-27T14:00:00.000Z'],
    ]);
    // Exactly these messages reached the platforms, each once.
    expect(w.tg.messages(CLIENT_CHAT).map((m) => m.text!.split(' on ')[1]?.split(' (')[0])).toEqual([
      'Wednesday 25 November at 10:00',
      'Wednesday 25 November at 10:00',
    ]);
    const workerDms = w.slack.messages(WORKER_SLACK).map((m) => m.text);
    expect(workerDms).toHaveLength(4);
    expect(workerDms[0]).toContain('Wed 25 Nov 05:00 EST'); // the worker's own zone
    expect(workerDms[2]).toMatch(/^How did the appointment/);
    expect(workerDms[3]).toMatch(new RegExp(`^The follow-up for ${w.reference} was due Thu 26 Nov 07:00 EST and no note has been logged since`));
    const supDms = w.slack.messages(SUPERVISOR_SLACK);
    expect(supDms.map((m) => m.text)).toEqual([expect.stringMatching(new RegExp(`^Escalation \\(level 1\\): The follow-up for ${w.reference}`))]);
    const supButtons = (supDms[0]!.blocks as Array<{ type: string; elements?: Array<{ text: { text: string } }> }>)
      .find((b) => b.type === 'actions')!
      .elements!.map((e) => e.text.text);
    expect(supButtons).toEqual(['Acknowledge', 'Snooze — reason required', 'Reassign', 'Open case']);

    const trail = await w.deps.db
      .select({ action: auditLog.action, details: auditLog.details })
      .from(auditLog)
      .where(and(eq(auditLog.caseId, w.caseId), eq(auditLog.subjectType, 'escalation')));
    expect(trail.map((a) => a.action)).toEqual(['escalation.opened', 'escalation.notified', 'escalation.notified', 'escalation.acknowledged']);
    // Nothing else is waiting to go out, except Monday's weekly digests and their charts (planned ahead for 09:00 London).
    const pending = await w.deps.db.select().from(deliveries).where(eq(deliveries.status, 'pending'));
    expect(pending.map((r) => `${r.kind} ${r.dueAt.toISOString()}`).sort()).toEqual([
      'weekly_digest 2026-11-30T09:00:00.000Z',
      'weekly_digest 2026-11-30T09:00:00.000Z',
      'weekly_digest_charts 2026-11-30T09:00:01.000Z',
      'weekly_digest_charts 2026-11-30T09:00:01.000Z',
    ]);
  });
});
