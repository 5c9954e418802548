import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  type PlanRemindersInput,
  type PlannedDelivery,
  ReminderConfigError,
  decideAfterNoShow,
  deliveryKey,
  durationMs,
  ledgerKind,
  planOutcomeQuestion,
  planReminders,
} from '../../src/appointments/reminders.domain.js';
import { defaultQuietHours } from '../../src/lib/working-time.js';

const at = (iso: string): DateTime => DateTime.fromISO(iso, { zone: 'utc' });
const z = (dt: DateTime | undefined): string | null | undefined => dt?.toUTC().toISO();

function input(startsAt: string, now: string, over: Partial<PlanRemindersInput> = {}, zone = 'Europe/London'): PlanRemindersInput {
  return {
    appointment: { id: 'appt-1', version: 1, startsAt: at(startsAt), durationMin: 50 },
    client: { zone, quietHours: defaultQuietHours(zone), hasTelegram: true },
    worker: { zone },
    offsets: { client: ['PT24H', 'PT2H'], worker: ['PT24H', 'PT30M'] },
    now: at(now),
    ...over,
  };
}

function row(rows: PlannedDelivery[], recipient: 'client' | 'worker', offset: string): PlannedDelivery {
  const r = rows.find((d) => d.recipient === recipient && d.offset === offset);
  if (!r) throw new Error(`no ${recipient} ${offset} row`);
  return r;
}
const brief = (d: PlannedDelivery) => ({ dueAt: z(d.dueAt), status: d.status, skipReason: d.skipReason });

describe('planReminders: the ordinary case', () => {
  it('plans every offset at start − offset, with distinct keys', () => {
    // Wed 10 Jun 2026 14:00 BST.
    const rows = planReminders(input('2026-06-10T13:00:00Z', '2026-06-01T10:00:00Z'));
    expect(rows).toHaveLength(4);
    expect(brief(row(rows, 'client', 'PT24H'))).toEqual({ dueAt: '2026-06-09T13:00:00.000Z', status: 'planned', skipReason: undefined });
    expect(brief(row(rows, 'client', 'PT2H'))).toEqual({ dueAt: '2026-06-10T11:00:00.000Z', status: 'planned', skipReason: undefined });
    expect(z(row(rows, 'worker', 'PT30M').dueAt)).toBe('2026-06-10T12:30:00.000Z');
    expect(row(rows, 'client', 'PT24H').key).toBe('appointment_reminder.appt-1.v1.client.PT24H');
    expect(new Set(rows.map((r) => r.key)).size).toBe(4);
    expect(rows.every((r) => r.kind === 'appointment_reminder' && r.subjectId === 'appt-1' && r.version === 1)).toBe(true);
  });

  it('booked 20 h ahead: the 24 h reminder is skipped as already due, the 2 h one is planned', () => {
    const rows = planReminders(input('2026-06-10T13:00:00Z', '2026-06-09T17:00:00Z'));
    expect(brief(row(rows, 'client', 'PT24H'))).toEqual({ dueAt: '2026-06-09T13:00:00.000Z', status: 'skipped', skipReason: 'due_time_passed' });
    expect(brief(row(rows, 'client', 'PT2H'))).toEqual({ dueAt: '2026-06-10T11:00:00.000Z', status: 'planned', skipReason: undefined });
    expect(row(rows, 'worker', 'PT24H').skipReason).toBe('due_time_passed');
    expect(row(rows, 'worker', 'PT30M').status).toBe('planned');
  });

  it('a due time exactly equal to now is still planned (send now)', () => {
    const rows = planReminders(input('2026-06-10T13:00:00Z', '2026-06-09T13:00:00Z'));
    expect(brief(row(rows, 'client', 'PT24H'))).toEqual({ dueAt: '2026-06-09T13:00:00.000Z', status: 'planned', skipReason: undefined });
  });

  it('opted-out client or no Telegram: client rows skipped with the reason, worker rows unaffected', () => {
    const off = planReminders(
      input('2026-06-10T13:00:00Z', '2026-06-01T10:00:00Z', {
        client: { zone: 'Europe/London', quietHours: null, remindersOff: true, hasTelegram: true },
      }),
    );
    expect(off.filter((r) => r.recipient === 'client').map((r) => r.skipReason)).toEqual(['reminders_off', 'reminders_off']);
    expect(off.filter((r) => r.recipient === 'worker').map((r) => r.status)).toEqual(['planned', 'planned']);
    const noChat = planReminders(
      input('2026-06-10T13:00:00Z', '2026-06-01T10:00:00Z', {
        client: { zone: 'Europe/London', quietHours: null, hasTelegram: false },
      }),
    );
    expect(row(noChat, 'client', 'PT2H').skipReason).toBe('no_channel');
  });

  it('duplicate offsets (PT24H and P1D are both 24 h) produce one row', () => {
    const rows = planReminders(input('2026-06-10T13:00:00Z', '2026-06-01T10:00:00Z', { offsets: { client: ['PT24H', 'P1D'], worker: [] } }));
    expect(rows.map((r) => r.offset)).toEqual(['PT24H']);
  });
});

describe('planReminders: "24 h before" is 24 real hours across DST', () => {
  it('London: Sunday 29 Mar 09:00 BST → Saturday 08:00 GMT (not 09:00)', () => {
    const rows = planReminders(input('2026-03-29T08:00:00Z', '2026-03-20T00:00:00Z'));
    expect(z(row(rows, 'client', 'PT24H').dueAt)).toBe('2026-03-28T08:00:00.000Z');
    // 2 h before is 07:00 BST, still quiet → 20:59 GMT on Saturday.
    expect(z(row(rows, 'client', 'PT2H').dueAt)).toBe('2026-03-28T20:59:00.000Z');
    expect(row(rows, 'client', 'PT2H').status).toBe('planned');
  });

  it('London: Monday 30 Mar 09:00 BST → Sunday 09:00 BST (no change inside the 24 h)', () => {
    const rows = planReminders(input('2026-03-30T08:00:00Z', '2026-03-20T00:00:00Z'));
    expect(z(row(rows, 'worker', 'PT24H').dueAt)).toBe('2026-03-29T08:00:00.000Z');
  });

  it('London autumn: Sunday 25 Oct 09:00 GMT → Saturday 10:00 BST', () => {
    const rows = planReminders(input('2026-10-25T09:00:00Z', '2026-10-20T00:00:00Z'));
    expect(z(row(rows, 'client', 'PT24H').dueAt)).toBe('2026-10-24T09:00:00.000Z');
  });

  it('New York: Sunday 8 Mar 09:00 EDT → Saturday 08:00 EST', () => {
    const rows = planReminders(input('2026-03-08T13:00:00Z', '2026-03-01T00:00:00Z', {}, 'America/New_York'));
    expect(brief(row(rows, 'client', 'PT24H'))).toEqual({ dueAt: '2026-03-07T13:00:00.000Z', status: 'planned', skipReason: undefined });
  });

  it('Sydney: Sunday 4 Oct 09:00 AEDT → Saturday 08:00 AEST, exactly when quiet hours end', () => {
    const rows = planReminders(input('2026-10-03T22:00:00Z', '2026-09-30T00:00:00Z', {}, 'Australia/Sydney'));
    expect(brief(row(rows, 'client', 'PT24H'))).toEqual({ dueAt: '2026-10-02T22:00:00.000Z', status: 'planned', skipReason: undefined });
  });

  it('Sydney autumn: Sunday 5 Apr 09:00 AEST → Saturday 10:00 AEDT', () => {
    const rows = planReminders(input('2026-04-04T23:00:00Z', '2026-03-30T00:00:00Z', {}, 'Australia/Sydney'));
    expect(z(row(rows, 'client', 'PT24H').dueAt)).toBe('2026-04-03T23:00:00.000Z');
  });
});

describe('planReminders: quiet hours move client reminders earlier', () => {
  it('2 h before an 08:30 appointment (06:30) moves to 20:59 the evening before; the worker is not moved', () => {
    const rows = planReminders(input('2026-06-10T07:30:00Z', '2026-06-01T00:00:00Z'));
    expect(brief(row(rows, 'client', 'PT2H'))).toEqual({ dueAt: '2026-06-09T19:59:00.000Z', status: 'planned', skipReason: undefined });
    expect(z(row(rows, 'client', 'PT24H').dueAt)).toBe('2026-06-09T07:30:00.000Z');
    expect(z(row(rows, 'worker', 'PT30M').dueAt)).toBe('2026-06-10T07:00:00.000Z');
  });

  it('Kolkata (+05:30): 07:00 IST moves to 20:59 IST the day before', () => {
    const rows = planReminders(input('2026-06-10T03:30:00Z', '2026-06-01T00:00:00Z', {}, 'Asia/Kolkata'));
    expect(z(row(rows, 'client', 'PT2H').dueAt)).toBe('2026-06-09T15:29:00.000Z');
  });

  it('the real-duration 24 h can land in quiet hours on a DST weekend and is moved too', () => {
    // Sun 29 Mar 08:30 BST = 07:30Z; 24 h before is Sat 07:30 GMT (quiet) → Fri 20:59 GMT.
    const rows = planReminders(input('2026-03-29T07:30:00Z', '2026-03-20T00:00:00Z'));
    expect(z(row(rows, 'client', 'PT24H').dueAt)).toBe('2026-03-27T20:59:00.000Z');
    expect(brief(row(rows, 'client', 'PT2H'))).toEqual({ dueAt: '2026-03-28T20:59:00.000Z', status: 'planned', skipReason: undefined });
  });

  it('two reminders moved onto the same evening collapse: the later one is skipped as merged', () => {
    // 09:00 BST appointment: 12 h → 21:00 and 2 h → 07:00 are both quiet → both 20:59.
    const rows = planReminders(input('2026-06-10T08:00:00Z', '2026-06-01T00:00:00Z', { offsets: { client: ['PT12H', 'PT2H'], worker: [] } }));
    expect(brief(row(rows, 'client', 'PT12H'))).toEqual({ dueAt: '2026-06-09T19:59:00.000Z', status: 'planned', skipReason: undefined });
    expect(brief(row(rows, 'client', 'PT2H'))).toEqual({ dueAt: '2026-06-09T19:59:00.000Z', status: 'skipped', skipReason: 'merged' });
  });

  it('moved earlier than now: sent now if now is allowed…', () => {
    const rows = planReminders(input('2026-06-10T07:30:00Z', '2026-06-09T19:59:30Z'));
    expect(brief(row(rows, 'client', 'PT2H'))).toEqual({ dueAt: '2026-06-09T19:59:30.000Z', status: 'planned', skipReason: undefined });
    expect(row(rows, 'client', 'PT24H').skipReason).toBe('due_time_passed');
  });

  it('…and skipped with quiet_hours_no_slot if now is itself in quiet hours', () => {
    const rows = planReminders(input('2026-06-10T07:30:00Z', '2026-06-09T21:00:00Z'));
    expect(brief(row(rows, 'client', 'PT2H'))).toEqual({ dueAt: '2026-06-10T05:30:00.000Z', status: 'skipped', skipReason: 'quiet_hours_no_slot' });
  });
});

describe('planReminders: send-ahead window', () => {
  it('per-offset window gives notBefore = dueAt − window, only for that offset', () => {
    const rows = planReminders(input('2026-06-10T13:00:00Z', '2026-06-01T00:00:00Z', { sendAheadWindow: { PT24H: 'PT15M' } }));
    expect(z(row(rows, 'client', 'PT24H').notBefore)).toBe('2026-06-09T12:45:00.000Z');
    expect(row(rows, 'client', 'PT2H').notBefore).toBeUndefined();
  });

  it('notBefore never falls in quiet hours nor before now', () => {
    // 24 h reminder at 08:15 BST; a 30 min window would reach 07:45 (quiet) → 08:00 BST.
    const quiet = planReminders(input('2026-06-10T07:15:00Z', '2026-06-01T00:00:00Z', { sendAheadWindow: 'PT30M' }));
    expect(z(row(quiet, 'client', 'PT24H').notBefore)).toBe('2026-06-09T07:00:00.000Z');
    expect(z(row(quiet, 'worker', 'PT24H').notBefore)).toBe('2026-06-09T06:45:00.000Z');
    const soon = planReminders(input('2026-06-10T13:00:00Z', '2026-06-09T12:50:00Z', { sendAheadWindow: 'PT30M' }));
    expect(z(row(soon, 'client', 'PT24H').notBefore)).toBe('2026-06-09T12:50:00.000Z');
  });
});

describe('keys, reschedule and config errors', () => {
  it('a reschedule (new version) plans distinct keys from the old version', () => {
    const v1 = planReminders(input('2026-06-10T13:00:00Z', '2026-06-01T00:00:00Z'));
    const base = input('2026-06-11T13:00:00Z', '2026-06-02T00:00:00Z');
    const v2 = planReminders({ ...base, appointment: { ...base.appointment, version: 2 } });
    const keys1 = new Set(v1.map((r) => r.key));
    expect(v2.some((r) => keys1.has(r.key))).toBe(false);
    expect(row(v2, 'worker', 'PT30M').key).toBe('appointment_reminder.appt-1.v2.worker.PT30M');
    expect(z(row(v2, 'worker', 'PT30M').dueAt)).toBe('2026-06-11T12:30:00.000Z');
  });

  it('deliveryKey refuses separators that would make keys ambiguous or break BullMQ ids', () => {
    expect(deliveryKey('outcome_question', 'a1', 3, 'worker')).toBe('outcome_question.a1.v3.worker');
    expect(() => deliveryKey('appointment_reminder', 'x:y', 1, 'client')).toThrow(ReminderConfigError);
    expect(() => deliveryKey('appointment_reminder', 'x.y', 1, 'client')).toThrow(ReminderConfigError);
  });

  it('ledgerKind puts the offset into the kind for the (kind, subject, version, recipient) unique index', () => {
    expect(ledgerKind({ kind: 'appointment_reminder', offset: 'PT2H' })).toBe('appointment_reminder.PT2H');
    expect(ledgerKind({ kind: 'outcome_question' })).toBe('outcome_question');
  });

  it('durations: days are 24 h, months and garbage are rejected', () => {
    expect(durationMs('P1D')).toBe(86_400_000);
    expect(() => durationMs('P1M')).toThrow(/months/);
    expect(() => durationMs('24h')).toThrow(/ISO-8601/);
    expect(() => planReminders(input('2026-06-10T13:00:00Z', '2026-06-01T00:00:00Z', { sendAheadWindow: 'soon' }))).toThrow(ReminderConfigError);
  });
});

describe('outcome question and no-shows', () => {
  it('outcome question is due one hour after the end', () => {
    const q = planOutcomeQuestion({ id: 'appt-9', version: 2, startsAt: at('2026-06-10T13:00:00Z'), durationMin: 50 }, { afterEnd: 'PT1H' });
    expect(z(q.dueAt)).toBe('2026-06-10T14:50:00.000Z');
    expect(q.key).toBe('outcome_question.appt-9.v2.worker');
  });

  it('after a no-show: follow up at the start of the next working day; supervisor from the second', () => {
    const wh = { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', zone: 'Europe/London' };
    const first = decideAfterNoShow({ consecutiveNoShows: 1, workerWorkingHours: wh, now: at('2026-10-23T15:00:00Z') });
    expect(z(first.followUpAt)).toBe('2026-10-26T09:00:00.000Z'); // Friday → Monday 09:00 GMT
    expect(first.informSupervisor).toBe(false);
    expect(decideAfterNoShow({ consecutiveNoShows: 2, workerWorkingHours: wh, now: at('2026-10-23T15:00:00Z') }).informSupervisor).toBe(true);
  });

  it('no-show in Adelaide (half-hour zone) over its autumn change: Monday 09:00 ACST', () => {
    const wh = { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', zone: 'Australia/Adelaide' };
    const d = decideAfterNoShow({ consecutiveNoShows: 3, workerWorkingHours: wh, now: at('2026-04-03T03:00:00Z') });
    expect(z(d.followUpAt)).toBe('2026-04-05T23:30:00.000Z');
    expect(d.informSupervisor).toBe(true);
  });
});
