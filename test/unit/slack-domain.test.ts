import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { ageText, fourElements, missingElements, phaseMove, sortCaseload, type CaseloadItem } from '../../src/cases/case.domain.js';
import { parseStaffCommand } from '../../src/slack/commands/staff.parse.js';
import { validateAppointment } from '../../src/appointments/appointments.service.js';
import { validateNote } from '../../src/cases/case-notes.service.js';
import { DEFAULT_QUIET_THRESHOLDS } from '../../src/escalations/policy.domain.js';

const now = DateTime.fromISO('2026-11-23T09:00:00Z', { zone: 'utc' });

describe('phase moves', () => {
  it('go forward freely, back only with a reason, never to or from closed', () => {
    expect(phaseMove('assessment', 'implementation', '')).toEqual({ ok: true, direction: 'forward' });
    expect(phaseMove('implementation', 'planning', ' ')).toMatchObject({ ok: false, error: { field: 'reason' } });
    expect(phaseMove('implementation', 'planning', 'Goal too big')).toEqual({ ok: true, direction: 'back' });
    expect(phaseMove('planning', 'planning', '')).toMatchObject({
      ok: false,
      error: { field: 'phase', message: 'The case is already in Goal setting & planning.' },
    });
    expect(phaseMove('closed', 'planning', 'x')).toMatchObject({ ok: false, error: { field: 'phase' } });
    expect(phaseMove('planning', 'closed', '')).toMatchObject({ ok: false, error: { field: 'phase', message: 'Choose one of the listed phases.' } });
  });
});

describe('the four elements', () => {
  it('are missing until there is a live goal with an assessment, a plan and a self-help focus', () => {
    expect(missingElements(fourElements({ goals: [], hasPlan: false, hasSelfHelp: false }))).toEqual(['goal', 'plan', 'assessment', 'selfHelp']);
    expect(
      missingElements(
        fourElements({
          goals: [
            { hasAssessment: true, status: 'active' },
            { hasAssessment: false, status: 'active' },
          ],
          hasPlan: true,
          hasSelfHelp: true,
        }),
      ),
    ).toEqual(['assessment']);
    expect(
      missingElements(
        fourElements({
          goals: [
            { hasAssessment: true, status: 'active' },
            { hasAssessment: false, status: 'dropped' },
          ],
          hasPlan: true,
          hasSelfHelp: true,
        }),
      ),
    ).toEqual([]);
  });
});

describe('caseload order', () => {
  const item = (id: string, o: Partial<CaseloadItem> = {}): CaseloadItem => ({
    id,
    priority: 'normal',
    status: 'open',
    lastNoteAt: now.minus({ days: 1 }),
    openedAt: now.minus({ days: 30 }),
    nextFollowUpAt: null,
    followUpSetAt: null,
    nextAppointmentAt: null,
    ...o,
  });
  it('puts overdue follow-ups first, then quiet cases, then appointments soon, crisis first within a group', () => {
    const list = sortCaseload(
      [
        item('calm'),
        item('appt', { nextAppointmentAt: now.plus({ days: 2 }) }),
        item('quiet', { lastNoteAt: now.minus({ days: 40 }) }),
        item('overdue-new', { nextFollowUpAt: now.minus({ hours: 1 }), followUpSetAt: now.minus({ days: 2 }), lastNoteAt: now.minus({ days: 2 }) }),
        item('overdue-old', { nextFollowUpAt: now.minus({ days: 3 }), followUpSetAt: now.minus({ days: 5 }), lastNoteAt: now.minus({ days: 5 }) }),
        item('overdue-crisis', {
          priority: 'crisis',
          nextFollowUpAt: now.minus({ hours: 1 }),
          followUpSetAt: now.minus({ days: 1 }),
          lastNoteAt: now.minus({ days: 1 }),
        }),
      ],
      now,
      DEFAULT_QUIET_THRESHOLDS,
    );
    expect(list.map((c) => `${c.id}:${c.urgency}`)).toEqual([
      'overdue-crisis:overdue',
      'overdue-old:overdue',
      'overdue-new:overdue',
      'quiet:quiet',
      'appt:appointment_soon',
      'calm:ok',
    ]);
  });
  it('says how old a record is in words', () => {
    expect([0, 1, 5, 25, 200].map((d) => ageText(now.minus({ days: d, minutes: 1 }), now))).toEqual([
      'today',
      'yesterday',
      '5 days ago',
      '3 weeks ago',
      '6 months ago',
    ]);
  });
});

describe('/case staff parsing', () => {
  it('reads escaped mentions and explains mistakes', () => {
    expect(parseStaffCommand(['add', '<@U123ABC|wen>', 'worker', 'supervisor:<@U999XYZ|sam>'])).toEqual({
      op: 'add',
      userId: 'U123ABC',
      role: 'worker',
      supervisorUserId: 'U999XYZ',
    });
    expect(parseStaffCommand(['add', 'U123ABC', 'Admin'])).toEqual({ op: 'add', userId: 'U123ABC', role: 'admin', supervisorUserId: null });
    expect(parseStaffCommand(['list'])).toEqual({ op: 'list' });
    expect(parseStaffCommand(['remove', '<@U123ABC>'])).toEqual({ op: 'remove', userId: 'U123ABC' });
    expect(parseStaffCommand(['add', '@wen', 'worker'])).toMatchObject({ op: 'invalid', message: expect.stringMatching(/^Mention the person to add/) });
    expect(parseStaffCommand(['add', '<@U1234>', 'worker', 'supervisor:<@U1234>'])).toEqual({
      op: 'invalid',
      message: 'Someone cannot be their own supervisor.',
    });
    expect(parseStaffCommand(['add', '<@U1234>', 'worker', 'boss:<@U5678>'])).toMatchObject({ op: 'invalid' });
    expect(parseStaffCommand(['fire', '<@U1234>'])).toMatchObject({ op: 'invalid' });
  });
});

describe('appointment and note validation', () => {
  const f = { date: '2026-11-25', time: '10:00', durationMin: 60, mode: 'in_person' };
  it("reads the time in the worker's zone and refuses the past, bad durations and modes", () => {
    const ok = validateAppointment(f, 'Asia/Shanghai', now);
    expect(ok.ok && ok.startsAt.toISO()).toBe('2026-11-25T02:00:00.000Z');
    expect(validateAppointment({ ...f, date: '2026-11-23', time: '08:59' }, 'Europe/London', now)).toMatchObject({ ok: false, errors: [{ field: 'date' }] });
    expect(validateAppointment({ ...f, durationMin: 4 }, 'Europe/London', now)).toMatchObject({ ok: false, errors: [{ field: 'duration' }] });
    expect(validateAppointment({ ...f, durationMin: 481 }, 'Europe/London', now)).toMatchObject({ ok: false, errors: [{ field: 'duration' }] });
    expect(validateAppointment({ ...f, mode: 'carrier_pigeon' }, 'Europe/London', now)).toMatchObject({ ok: false, errors: [{ field: 'mode' }] });
    expect(validateAppointment({ ...f, date: '2027-12-01' }, 'Europe/London', now)).toMatchObject({
      ok: false,
      errors: [{ field: 'date', message: 'Appointments can be booked at most a year ahead.' }],
    });
    expect(validateAppointment({ ...f, date: '', time: '' }, 'Europe/London', now)).toMatchObject({
      ok: false,
      errors: [{ field: 'date' }, { field: 'time' }],
    });
    // The spring-forward gap: 01:30 does not exist in London on 28 March 2027. Refused (not silently moved to
    // 02:30 BST, which the worker never typed), with the nearest time that exists (test/unit/wall-time.test.ts).
    const gap = validateAppointment({ ...f, date: '2027-03-28', time: '01:30' }, 'Europe/London', now);
    expect(gap).toMatchObject({ ok: false, errors: [{ field: 'time', message: expect.stringContaining('The nearest time that exists is 02:00') }] });
  });
  it('counts note length in characters, not bytes', () => {
    expect(validateNote({ kind: 'phone', contactAt: now, text: '字'.repeat(3000), nextFollowUpAt: null }, now)).toEqual([]);
    expect(validateNote({ kind: 'phone', contactAt: now, text: '字'.repeat(3001), nextFollowUpAt: null }, now)).toMatchObject([{ field: 'text' }]);
    expect(validateNote({ kind: 'message', contactAt: now, text: 'x', nextFollowUpAt: null }, now)).toMatchObject([{ field: 'kind' }]);
  });
});
