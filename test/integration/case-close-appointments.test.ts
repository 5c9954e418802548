import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { appointments, staff } from '../../src/db/schema.js';
import { planAppointmentReminders } from '../../src/appointments/reminders.service.js';
import { closeCase } from '../../src/cases/case-plan.service.js';
import { bookAppointment, clientTexts } from './delivery-fixtures.js';
import { sendDue as sendAllDue } from './lifecycle-fixtures.js';
import { REMINDER_24H_ENV, useDeliveryWorld } from '../helpers/delivery-world.js';
import { subjectAudit } from '../helpers/audit.js';

/**
 * Closing a case ends the service agreement. An appointment still ahead must
 * not linger as 'scheduled': it is cancelled with the closure, its reminders
 * are not sent, and the client is told — in words that do not promise a new
 * time — so nobody comes to an appointment that no longer exists. One already
 * held is history and stays as it was.
 */
const w = useDeliveryWorld({ env: REMINDER_24H_ENV });

/** Every due row sent, in order, as the delivery worker would: what was sent, without the recipients. */
const sendDue = async () => (await sendAllDue(w)).map(({ kind, outcome }) => ({ kind, outcome }));

describe('closing a case with an appointment ahead', () => {
  it('cancels it, tells the client it is no longer needed, and its reminders never go out', async () => {
    const past = await bookAppointment(w, '2026-11-20T10:00:00Z');
    const ahead = await bookAppointment(w, '2026-11-26T10:00:00Z');
    await planAppointmentReminders(w.deps, ahead);
    const [worker] = await w.deps.db.select().from(staff).where(eq(staff.id, w.workerId));

    const res = await closeCase(w.deps, worker!, {
      caseId: w.caseId,
      outcomes: [],
      evaluation: 'Housing secured; the client manages the tenancy alone.',
      reason: 'goals_achieved',
      reasonDetail: '',
      dedupeKey: 'close-1',
    });
    expect(res).toMatchObject({ ok: true, value: { cancelledAppointments: 1 } });

    const [a] = await w.deps.db.select().from(appointments).where(eq(appointments.id, ahead));
    expect(a).toMatchObject({ status: 'cancelled', version: 2 });
    const [p] = await w.deps.db.select().from(appointments).where(eq(appointments.id, past));
    expect(p).toMatchObject({ status: 'scheduled', version: 1 });
    const audits = await subjectAudit(w.deps.db, ahead, 'appointment.cancelled');
    expect(audits).toHaveLength(1);
    expect(audits[0]!.details).toMatchObject({ because: 'case_closed', version: 2 });

    expect(await sendDue()).toContainEqual({ kind: 'appointment_notice', outcome: 'sent' });
    const told = clientTexts(w).at(-1)!;
    expect(told).toContain('no longer needed: your case has been closed');
    expect(told).not.toMatch(/new time/);

    // The day before: the reminders planned for the old version are skipped, not sent.
    w.deps.clock.set(DateTime.fromISO('2026-11-25T10:00:00Z', { zone: 'utc' }));
    const before = clientTexts(w).length;
    const reminders = (await sendDue()).filter((r) => r.kind.startsWith('appointment_reminder'));
    expect(reminders.length).toBeGreaterThan(0);
    for (const r of reminders) expect(r.outcome).toMatch(/^skipped:(cancelled|superseded)$/);
    expect(clientTexts(w)).toHaveLength(before);

    // A second submission of the same form changes nothing.
    expect(
      await closeCase(w.deps, worker!, {
        caseId: w.caseId,
        outcomes: [],
        evaluation: 'Housing secured.',
        reason: 'goals_achieved',
        reasonDetail: '',
        dedupeKey: 'close-1',
      }),
    ).toMatchObject({ ok: true, duplicate: true });
  });
});
