import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { escalations, intakeSessions } from '../../src/db/schema.js';
import { planAppointmentReminders } from '../../src/appointments/reminders.service.js';
import { stepToNextEvent } from '../../src/sandbox/sandbox.api.js';
import { bookAppointment, clientTexts, settle, slackTexts, WORKER_SLACK } from './delivery-fixtures.js';
import { useDeliveryWorkers, useDeliveryWorld } from '../helpers/delivery-world.js';

/**
 * Issue 19, sandbox: the console's clock had only +1 h / +1 day / +1 week, and
 * those jump over the worker's 30-minute reminder (it arrives late, after the
 * appointment had begun). The "Next event" step moves the clock to the earliest
 * thing due — here each reminder of an appointment in turn — and stops there.
 */
const w = useDeliveryWorld();
useDeliveryWorkers(w);

describe('the sandbox clock\'s "Next event" step', () => {
  it('says so and stays when nothing is scheduled', async () => {
    const before = w.deps.clock.now().toISO();
    const step = await stepToNextEvent(w.deps);
    expect(step).toMatchObject({ moved: false, now: before });
    expect(step.message).toContain('Nothing is scheduled');
    expect(w.deps.clock.now().toISO()).toBe(before);
  });

  it("stops at each reminder in turn, the worker's 30-minute reminder included, before the appointment starts", async () => {
    // Wednesday 25 Nov 2026 10:00 London, booked Monday 23 Nov 09:00.
    await planAppointmentReminders(w.deps, await bookAppointment(w, '2026-11-25T10:00:00Z'));

    const first = await stepToNextEvent(w.deps);
    expect(first).toMatchObject({ moved: true, now: '2026-11-24T10:00:01.000Z' });
    expect(first.message).toBe('Moved to Tue 24 Nov 10:00 UTC: an appointment reminder (24 h before).');
    await settle(w);
    expect(clientTexts(w)).toHaveLength(1);
    expect(slackTexts(w, WORKER_SLACK)).toHaveLength(1);

    expect(await stepToNextEvent(w.deps)).toMatchObject({ moved: true, now: '2026-11-25T08:00:01.000Z' });
    await settle(w);
    expect(clientTexts(w)).toHaveLength(2);

    const third = await stepToNextEvent(w.deps);
    expect(third).toMatchObject({
      moved: true,
      now: '2026-11-25T09:30:01.000Z',
      message: 'Moved to Wed 25 Nov 09:30 UTC: an appointment reminder (30 min before).',
    });
    await settle(w);
    // The worker is reminded half an hour ahead, with the clock still before the start.
    expect(slackTexts(w, WORKER_SLACK)).toHaveLength(2);
    expect(slackTexts(w, WORKER_SLACK)[1]).toContain('Reminder: appointment for');
    expect(w.deps.clock.now() < w.deps.clock.now().set({ hour: 10, minute: 0 })).toBe(true);

    const fourth = await stepToNextEvent(w.deps);
    expect(fourth).toMatchObject({ moved: true, now: '2026-11-25T12:00:01.000Z' });
    expect(fourth.message).toContain('an outcome question to the worker');
    await settle(w);
    expect(slackTexts(w, WORKER_SLACK)).toHaveLength(3);
  });

  it("also stops at the next step of an open escalation and at an unfinished intake's nudge", async () => {
    const now = w.deps.clock.now();
    await w.deps.db
      .insert(escalations)
      .values({ caseId: w.caseId, reason: 'follow_up_overdue', openedAt: now.toJSDate(), nextAt: now.plus({ minutes: 10 }).toJSDate() });
    await w.deps.db.insert(intakeSessions).values({
      telegramUserId: 7_300_001,
      telegramChatId: 7_300_001,
      step: 'story',
      language: 'en',
      stateEnc: 'unused here',
      lastActivityAt: now.minus({ hours: 23 }).toJSDate(),
      expiresAt: now.plus({ days: 6 }).toJSDate(),
    });
    const escalation = await stepToNextEvent(w.deps);
    expect(escalation).toMatchObject({ moved: true, now: now.plus({ minutes: 10, seconds: 1 }).toISO() });
    expect(escalation.message).toContain('the next step of an open escalation');
    await w.deps.db.update(escalations).set({ resolvedAt: w.deps.clock.now().toJSDate(), resolution: 'test' }).where(eq(escalations.caseId, w.caseId));
    const nudge = await stepToNextEvent(w.deps);
    expect(nudge).toMatchObject({ moved: true, now: now.plus({ hours: 1, seconds: 1 }).toISO() });
    expect(nudge.message).toContain('the nudge for an unfinished intake');
  });
});
