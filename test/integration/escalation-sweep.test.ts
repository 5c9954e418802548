import { afterEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { auditLog, cases, escalations, goals } from '../../src/db/schema.js';
import { requestEscalationSweep, runEscalationSweep, sweepStarting } from '../../src/escalations/escalation-sweep.service.js';
import { acknowledgeEscalation, dismissFollowUp, snoozeEscalation } from '../../src/escalations/escalation-actions.service.js';
import { recordAppointmentOutcome } from '../../src/appointments/appointment-outcome.service.js';
import { enqueueDueDeliveries } from '../../src/delivery/tick.js';
import { startWorkers } from '../../workers/start.js';
import { bookAppointment, createWorld, ONCALL_SLACK, settle, SUPERVISION_CHANNEL, SUPERVISOR_SLACK, WORKER_SLACK, type World } from './delivery-fixtures.js';
import { setCase } from '../helpers/factories.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});
async function world(start = '2026-11-23T09:00:00Z'): Promise<World> {
  const w = await createWorld({ start });
  const r = await startWorkers(w.deps, { queues: ['delivery'] });
  cleanups.push(async () => {
    await r.close(2000);
    await w.close();
  });
  return w;
}
async function at(w: World, iso: string): Promise<void> {
  w.deps.clock.set(DateTime.fromISO(iso, { zone: 'utc' }));
  await runEscalationSweep(w.deps);
  await enqueueDueDeliveries(w.deps);
  // Monday's digest is followed by its two charts, rendered on the first use of the chart libraries: slow on a busy machine.
  // A page the sweep sends at once may be waiting for its turn on a DM (1 a second, real time) while the clock jumps.
  await settle(w, 60_000, { waitForClaimed: true });
}
const texts = (w: World, to: string) => w.slack.messages(to).map((m) => m.text);

describe('escalation sweeps', () => {
  it('crises recorded one after another while a requested sweep is still queued ask for no second sweep; one recorded after it started does', async () => {
    const w = await createWorld();
    cleanups.push(() => w.close());
    const maintenance = w.deps.queues.queue('maintenance');
    const queued = async () => (await maintenance.getJobs(['waiting', 'delayed', 'prioritized'])).filter((j) => j.id?.startsWith('escalations-now')).length;
    for (let i = 0; i < 5; i++) await requestEscalationSweep(w.deps);
    expect(await queued()).toBe(1);
    // The sweep starts (it reads PostgreSQL after this): a crisis committed now needs a sweep of its own.
    await sweepStarting(w.deps);
    await requestEscalationSweep(w.deps);
    expect(await queued()).toBe(2);
  });

  it('a crisis pages the on-call supervisor at once, at 03:00 on a Saturday, and every 15 minutes until acknowledged', async () => {
    const w = await world('2026-11-28T03:00:00Z');
    await setCase(w.deps.db, w.caseId, { crisis: true, priority: 'crisis' });
    await at(w, '2026-11-28T03:00:00Z');
    expect(texts(w, ONCALL_SLACK)).toEqual([expect.stringContaining(`CRISIS reported on ${w.reference}`)]);
    await at(w, '2026-11-28T03:14:59Z');
    expect(texts(w, ONCALL_SLACK)).toHaveLength(1);
    expect(texts(w, SUPERVISOR_SLACK)).toEqual([]);
    // 15 minutes unacknowledged: the team's supervisor and the supervision channel as well.
    await at(w, '2026-11-28T03:15:00Z');
    expect(texts(w, SUPERVISOR_SLACK)).toHaveLength(1);
    expect(texts(w, SUPERVISION_CHANNEL)).toEqual([expect.stringContaining('nobody has acknowledged for 15 min')]);
    await at(w, '2026-11-28T03:30:00Z');
    expect(texts(w, ONCALL_SLACK)).toHaveLength(3);
    expect(texts(w, ONCALL_SLACK)[2]).toContain('page 3: nobody has acknowledged for 30 min');
    const [esc] = await w.deps.db.select().from(escalations).where(eq(escalations.caseId, w.caseId));
    expect(
      await snoozeEscalation(w.deps, { escalationId: esc!.id, staffId: w.oncallId, until: w.deps.clock.now().plus({ hours: 1 }), reason: 'busy right now' }),
    ).toMatchObject({ ok: false, error: 'not_allowed' });
    expect(await acknowledgeEscalation(w.deps, { escalationId: esc!.id, staffId: w.oncallId })).toMatchObject({ ok: true, status: 'acknowledged' });
    await at(w, '2026-11-28T04:30:00Z');
    expect(texts(w, ONCALL_SLACK)).toHaveLength(3);
    expect(texts(w, WORKER_SLACK)).toEqual([]); // a crisis is for the on-call supervisor first
  });

  it('an overdue follow-up nudges the worker; a note logged afterwards resolves it automatically (audited)', async () => {
    const w = await world();
    await setCase(w.deps.db, w.caseId, {
      nextFollowUpAt: new Date('2026-11-23T10:00:00Z'),
      followUpSetAt: new Date('2026-11-16T10:00:00Z'),
      lastNoteAt: new Date('2026-11-16T10:00:00Z'),
    });
    await at(w, '2026-11-23T10:00:01Z');
    expect(texts(w, WORKER_SLACK)).toEqual([expect.stringMatching(new RegExp(`^The follow-up for ${w.reference} was due Mon 23 Nov 10:00 GMT`))]);
    const buttons = (w.slack.messages(WORKER_SLACK)[0]!.blocks as Array<{ type: string; elements?: Array<{ text: { text: string } }> }>)
      .find((b) => b.type === 'actions')!
      .elements!.map((e) => e.text.text);
    expect(buttons).toEqual(['Log note', 'Snooze 1 day', 'No follow-up needed — reason']);
    await setCase(w.deps.db, w.caseId, { lastNoteAt: new Date('2026-11-23T15:00:00Z') });
    await at(w, '2026-11-24T12:00:00Z');
    const [esc] = await w.deps.db.select().from(escalations).where(eq(escalations.caseId, w.caseId));
    expect(esc).toMatchObject({ resolution: 'note_logged', notifications: 1 });
    expect(texts(w, SUPERVISOR_SLACK)).toEqual([]);
    const trail = await w.deps.db.select({ a: auditLog.action }).from(auditLog).where(eq(auditLog.subjectId, esc!.id));
    expect(trail.map((t) => t.a)).toEqual(['escalation.opened', 'escalation.notified', 'escalation.resolved']);
  });

  it('"No follow-up needed" needs a reason, then resolves and clears the follow-up date; snoozing needs a reason too', async () => {
    const w = await world();
    await setCase(w.deps.db, w.caseId, { nextFollowUpAt: new Date('2026-11-23T10:00:00Z'), followUpSetAt: new Date('2026-11-16T10:00:00Z') });
    await at(w, '2026-11-23T10:00:01Z');
    const [esc] = await w.deps.db.select().from(escalations).where(eq(escalations.caseId, w.caseId));
    expect(
      await snoozeEscalation(w.deps, { escalationId: esc!.id, staffId: w.supervisorId, until: w.deps.clock.now().plus({ days: 1 }), reason: ' ' }),
    ).toEqual({ ok: false, error: 'invalid', message: 'Please say why (at least 3 characters).' });
    expect(await dismissFollowUp(w.deps, { escalationId: esc!.id, staffId: w.workerId, reason: '' })).toMatchObject({ ok: false, error: 'invalid' });
    expect(await dismissFollowUp(w.deps, { escalationId: esc!.id, staffId: w.workerId, reason: 'Client moved away; case to be closed' })).toEqual({
      ok: true,
      status: 'resolved',
    });
    const [c] = await w.deps.db.select().from(cases).where(eq(cases.id, w.caseId));
    expect(c!.nextFollowUpAt).toBeNull();
    const [after] = await w.deps.db.select().from(escalations).where(eq(escalations.id, esc!.id));
    expect(after!.resolution).not.toContain('moved away'); // encrypted at rest
    expect(w.deps.cipher.decrypt(after!.resolution!, 'escalations.resolution')).toBe('no_follow_up_needed: Client moved away; case to be closed');
  });

  it('two no-shows in a row: a follow-up on the next working day each time, and the supervisor is told after the second', async () => {
    const w = await world('2026-11-20T09:00:00Z'); // Friday
    const a1 = await bookAppointment(w, '2026-11-20T10:00:00Z');
    w.deps.clock.set(DateTime.fromISO('2026-11-20T12:00:00Z', { zone: 'utc' }));
    const r1 = await recordAppointmentOutcome(w.deps, { appointmentId: a1, version: 1, outcome: 'no_show', staffId: w.workerId });
    expect(r1).toMatchObject({ ok: true, status: 'recorded', supervisorInformed: false });
    if (r1.ok) expect(r1.followUpAt!.toISO()).toBe('2026-11-23T09:00:00.000Z'); // Monday 09:00 London, not Saturday
    expect(await recordAppointmentOutcome(w.deps, { appointmentId: a1, version: 1, outcome: 'no_show', staffId: w.workerId })).toMatchObject({
      ok: true,
      status: 'unchanged',
    });
    const a2 = await bookAppointment(w, '2026-11-23T10:00:00Z');
    w.deps.clock.set(DateTime.fromISO('2026-11-23T12:00:00Z', { zone: 'utc' }));
    const r2 = await recordAppointmentOutcome(w.deps, { appointmentId: a2, version: 1, outcome: 'no_show', staffId: w.workerId });
    expect(r2).toMatchObject({ ok: true, supervisorInformed: true });
    await at(w, '2026-11-23T12:00:00Z');
    expect(texts(w, SUPERVISOR_SLACK)).toEqual([
      expect.stringMatching(new RegExp(`^Escalation \\(level 1\\): The client of ${w.reference} has missed 2 appointments in a row`)),
    ]);
  });

  it('weekly digest: each supervisor on Monday 09:00 in their zone, once, listing overdue follow-ups, quiet cases, missing elements and open escalations', async () => {
    const w = await world('2026-11-25T12:00:00Z'); // Wednesday
    await setCase(w.deps.db, w.caseId, {
      nextFollowUpAt: new Date('2026-11-20T10:00:00Z'),
      followUpSetAt: new Date('2026-11-10T10:00:00Z'),
      lastNoteAt: new Date('2026-11-01T10:00:00Z'),
    });
    await w.deps.db.insert(goals).values({ caseId: w.caseId, descriptionEnc: w.deps.cipher.encrypt('goal', 'goals.description') });
    await at(w, '2026-11-30T08:59:00Z');
    expect(texts(w, SUPERVISOR_SLACK).filter((t) => t.startsWith('*Weekly digest*'))).toEqual([]);
    await at(w, '2026-11-30T09:00:00Z');
    await at(w, '2026-11-30T09:05:00Z');
    const digests = texts(w, SUPERVISOR_SLACK).filter((t) => t.startsWith('*Weekly digest*'));
    expect(digests).toHaveLength(1);
    expect(digests[0]).toContain(`<@${WORKER_SLACK}>: 1 — ${w.reference}`);
    expect(digests[0]).toContain(`*Quiet cases* (no note for too long): ${w.reference}.`);
    expect(digests[0]).toContain(`*Missing one of the four elements*: ${w.reference} (plan, assessment, self-help focus).`);
    expect(digests[0]).toMatch(new RegExp(`\\*Open escalations\\*: .*${w.reference} follow up overdue`));
  });
});
