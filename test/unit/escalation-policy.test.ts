import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ESCALATION_POLICY,
  DEFAULT_POLICY_CONFIG,
  type EscalationPolicy,
  type EscalationState,
  type EscalationStep,
  type TargetWorkingHours,
  digestWindowKey,
  escalationPolicySchema,
  followUpOverdue,
  isQuiet,
  loadPolicyConfig,
  nextEscalationStep,
  shouldResolve,
  unassignedIntakeDue,
  weeklyDigestDue,
} from '../../src/escalations/policy.domain.js';
import type { WorkingHours } from '../../src/lib/working-time.js';

const at = (iso: string): DateTime => DateTime.fromISO(iso, { zone: 'utc' });
const z = (dt: DateTime | null): string | null => (dt ? dt.toUTC().toISO() : null);
const weekdays = (zone: string): WorkingHours => ({ days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', zone });
const london = weekdays('Europe/London');
const people: TargetWorkingHours = { worker: london, supervisor: london };

/** Steps with DateTimes turned into ISO strings, for exact comparison. */
function show(s: EscalationStep): Record<string, unknown> {
  if (s.action === 'notify') return { ...s, dueAt: z(s.dueAt) };
  if (s.action === 'wait') return { action: 'wait', until: z(s.until) };
  return s;
}

function esc(over: Partial<EscalationState>): EscalationState {
  return {
    reason: 'follow_up_overdue',
    level: 0,
    openedAt: at('2026-11-24T10:00:00Z'), // Tuesday 10:00 GMT
    lastNotifiedAt: null,
    acknowledgedAt: null,
    snoozedUntil: null,
    resolvedAt: null,
    ...over,
  };
}
const step = (e: EscalationState, now: string, policy: EscalationPolicy = DEFAULT_ESCALATION_POLICY) =>
  show(nextEscalationStep({ escalation: e, policy, now: at(now), workingHours: people }));

describe('quiet cases', () => {
  const base = { priority: 'normal' as const, lastNoteAt: at('2026-11-01T10:00:00Z'), openedAt: at('2026-10-01T10:00:00Z'), status: 'open' };

  it('normal priority is quiet once 14 full days pass since the last note', () => {
    expect(isQuiet(base, at('2026-11-15T09:59:00Z'))).toBe(false);
    expect(isQuiet(base, at('2026-11-15T10:00:00Z'))).toBe(true);
  });

  it('crisis priority after 2 days; a case without notes counts from when it opened', () => {
    expect(isQuiet({ ...base, priority: 'crisis' }, at('2026-11-03T10:00:00Z'))).toBe(true);
    expect(isQuiet({ ...base, priority: 'low', lastNoteAt: null }, at('2026-10-31T09:59:00Z'))).toBe(false);
    expect(isQuiet({ ...base, priority: 'low', lastNoteAt: null }, at('2026-10-31T10:00:00Z'))).toBe(true);
  });

  it('closed and withdrawn cases are never quiet', () => {
    expect(isQuiet({ ...base, status: 'closed' }, at('2027-06-01T00:00:00Z'))).toBe(false);
    expect(isQuiet({ ...base, status: 'withdrawn' }, at('2027-06-01T00:00:00Z'))).toBe(false);
  });

  it('thresholds are configurable', () => {
    const t = { crisis: 1, high: 3, normal: 5, low: 10 };
    expect(isQuiet(base, at('2026-11-06T10:00:00Z'), t)).toBe(true);
    expect(isQuiet(base, at('2026-11-06T10:00:00Z'))).toBe(false);
  });
});

describe('overdue follow-ups', () => {
  const due = at('2026-11-20T09:00:00Z');

  it('not overdue until the follow-up time has passed', () => {
    expect(followUpOverdue({ nextFollowUpAt: due, lastNoteAt: null }, at('2026-11-20T09:00:00Z'))).toBe(false);
    expect(followUpOverdue({ nextFollowUpAt: due, lastNoteAt: null }, at('2026-11-20T09:01:00Z'))).toBe(true);
    expect(followUpOverdue({ nextFollowUpAt: null, lastNoteAt: null }, at('2027-01-01T00:00:00Z'))).toBe(false);
  });

  it('with followUpSetAt: the note that set it does not count, a later note does', () => {
    const setAt = at('2026-11-13T10:00:00Z');
    const now = at('2026-11-21T00:00:00Z');
    expect(followUpOverdue({ nextFollowUpAt: due, lastNoteAt: setAt, followUpSetAt: setAt }, now)).toBe(true);
    expect(followUpOverdue({ nextFollowUpAt: due, lastNoteAt: at('2026-11-18T12:00:00Z'), followUpSetAt: setAt }, now)).toBe(false);
  });

  it('without followUpSetAt only a note at or after the due time counts', () => {
    const now = at('2026-11-21T00:00:00Z');
    expect(followUpOverdue({ nextFollowUpAt: due, lastNoteAt: at('2026-11-18T12:00:00Z') }, now)).toBe(true);
    expect(followUpOverdue({ nextFollowUpAt: due, lastNoteAt: at('2026-11-20T09:30:00Z') }, now)).toBe(false);
  });

  it('a closed case has no overdue follow-up', () => {
    expect(followUpOverdue({ nextFollowUpAt: due, lastNoteAt: null, status: 'closed' }, at('2026-11-21T00:00:00Z'))).toBe(false);
  });
});

describe('escalation ladder (worker → supervisor → supervision channel)', () => {
  it('notifies the worker at once when opened in working hours', () => {
    expect(step(esc({}), '2026-11-24T10:00:00Z')).toEqual({ action: 'notify', level: 0, target: 'worker', dueAt: '2026-11-24T10:00:00.000Z' });
  });

  it('opened on Saturday: the worker hears on Monday 09:00', () => {
    const e = esc({ openedAt: at('2026-11-28T10:00:00Z') });
    expect(step(e, '2026-11-28T10:00:00Z')).toEqual({ action: 'wait', until: '2026-11-30T09:00:00.000Z' });
    expect(step(e, '2026-11-30T09:00:00Z')).toEqual({ action: 'notify', level: 0, target: 'worker', dueAt: '2026-11-30T09:00:00.000Z' });
  });

  it('climbs one level per 24 h, then repeats at the top every 24 h', () => {
    const l0 = esc({ lastNotifiedAt: at('2026-11-24T10:00:00Z') });
    expect(step(l0, '2026-11-24T12:00:00Z')).toEqual({ action: 'wait', until: '2026-11-25T10:00:00.000Z' });
    expect(step(l0, '2026-11-25T10:00:00Z')).toEqual({ action: 'notify', level: 1, target: 'supervisor', dueAt: '2026-11-25T10:00:00.000Z' });
    const l1 = esc({ level: 1, lastNotifiedAt: at('2026-11-25T10:00:00Z') });
    expect(step(l1, '2026-11-26T10:00:00Z')).toEqual({ action: 'notify', level: 2, target: 'supervision_channel', dueAt: '2026-11-26T10:00:00.000Z' });
    const l2 = esc({ level: 2, lastNotifiedAt: at('2026-11-26T10:00:00Z') });
    expect(step(l2, '2026-11-26T11:00:00Z')).toEqual({ action: 'wait', until: '2026-11-27T10:00:00.000Z' });
    // The channel is not a person: its Saturday repeat is not moved.
    const l2b = esc({ level: 2, lastNotifiedAt: at('2026-11-27T10:00:00Z') });
    expect(step(l2b, '2026-11-28T10:00:00Z')).toEqual({ action: 'notify', level: 2, target: 'supervision_channel', dueAt: '2026-11-28T10:00:00.000Z' });
  });

  it('over a weekend the supervisor hears on Monday and the channel a day after that', () => {
    const l0 = esc({ openedAt: at('2026-11-27T16:00:00Z'), lastNotifiedAt: at('2026-11-27T16:00:00Z') });
    expect(step(l0, '2026-11-29T16:00:00Z')).toEqual({ action: 'wait', until: '2026-11-30T09:00:00.000Z' });
    const l1 = esc({ openedAt: at('2026-11-27T16:00:00Z'), level: 1, lastNotifiedAt: at('2026-11-30T09:00:00Z') });
    expect(step(l1, '2026-11-30T10:00:00Z')).toEqual({ action: 'wait', until: '2026-12-01T09:00:00.000Z' });
  });

  it('after downtime it climbs one level, not straight to the top', () => {
    const l0 = esc({ lastNotifiedAt: at('2026-11-24T10:00:00Z') });
    expect(step(l0, '2026-11-27T12:00:00Z')).toEqual({ action: 'notify', level: 1, target: 'supervisor', dueAt: '2026-11-25T10:00:00.000Z' });
  });

  it('a snooze postpones the next notification to the next working moment after it, and never brings it forward', () => {
    const snoozed = esc({ lastNotifiedAt: at('2026-11-24T10:00:00Z'), snoozedUntil: at('2026-11-28T12:00:00Z') });
    expect(step(snoozed, '2026-11-24T12:00:00Z')).toEqual({ action: 'wait', until: '2026-11-30T09:00:00.000Z' });
    const short = esc({ lastNotifiedAt: at('2026-11-24T10:00:00Z'), snoozedUntil: at('2026-11-24T15:00:00Z') });
    expect(step(short, '2026-11-24T12:00:00Z')).toEqual({ action: 'wait', until: '2026-11-25T10:00:00.000Z' });
  });

  it('acknowledged or resolved → nothing more (resolved wins)', () => {
    expect(step(esc({ acknowledgedAt: at('2026-11-24T11:00:00Z') }), '2026-11-30T10:00:00Z')).toEqual({ action: 'none', reason: 'acknowledged' });
    expect(step(esc({ acknowledgedAt: at('2026-11-24T11:00:00Z'), resolvedAt: at('2026-11-24T12:00:00Z') }), '2026-11-30T10:00:00Z')).toEqual({
      action: 'none',
      reason: 'resolved',
    });
  });

  it('a two-level policy repeats to the supervisor, inside their working hours', () => {
    const policy = escalationPolicySchema.parse({ ...DEFAULT_ESCALATION_POLICY, levels: DEFAULT_ESCALATION_POLICY.levels.slice(0, 2) });
    const e = esc({ level: 1, lastNotifiedAt: at('2026-11-27T10:00:00Z') }); // Friday
    expect(step(e, '2026-11-28T10:00:00Z', policy)).toEqual({ action: 'wait', until: '2026-11-30T09:00:00.000Z' });
  });

  it('an unassigned intake starts with the supervisor at once, then the channel 24 h later', () => {
    const e = esc({ reason: 'unassigned_intake', openedAt: at('2026-11-24T14:00:00Z') });
    expect(step(e, '2026-11-24T14:00:00Z')).toEqual({ action: 'notify', level: 1, target: 'supervisor', dueAt: '2026-11-24T14:00:00.000Z' });
    const l1 = { ...e, level: 1, lastNotifiedAt: at('2026-11-24T14:00:00Z') };
    expect(step(l1, '2026-11-24T15:00:00Z')).toEqual({ action: 'wait', until: '2026-11-25T14:00:00.000Z' });
  });
});

describe('crisis escalations', () => {
  const crisis = esc({ reason: 'crisis', openedAt: at('2026-11-28T03:00:00Z') }); // Saturday 03:00
  const withOncall: TargetWorkingHours = { ...people, oncall_supervisors: london };

  it('pages on-call supervisors at once, at night and at the weekend', () => {
    expect(
      show(nextEscalationStep({ escalation: crisis, policy: DEFAULT_ESCALATION_POLICY, now: at('2026-11-28T03:00:00Z'), workingHours: withOncall })),
    ).toEqual({ action: 'notify', level: 0, target: 'oncall_supervisors', dueAt: '2026-11-28T03:00:00.000Z' });
  });

  it('repeats every 15 minutes, ignoring a snooze, climbing a tier at 15 and 30 minutes, until acknowledged', () => {
    const paged = { ...crisis, lastNotifiedAt: at('2026-11-28T03:00:00Z'), snoozedUntil: at('2026-11-28T09:00:00Z') };
    expect(step(paged, '2026-11-28T03:10:00Z')).toEqual({ action: 'wait', until: '2026-11-28T03:15:00.000Z' });
    expect(step(paged, '2026-11-28T03:20:00Z')).toEqual({ action: 'notify', level: 1, target: 'oncall_supervisors', dueAt: '2026-11-28T03:15:00.000Z' });
    const tier1 = { ...paged, level: 1, lastNotifiedAt: at('2026-11-28T03:15:00Z') };
    expect(step(tier1, '2026-11-28T03:30:00Z')).toEqual({ action: 'notify', level: 2, target: 'oncall_supervisors', dueAt: '2026-11-28T03:30:00.000Z' });
    const tier2 = { ...paged, level: 2, lastNotifiedAt: at('2026-11-28T03:30:00Z') };
    expect(step(tier2, '2026-11-28T05:00:00Z')).toEqual({ action: 'notify', level: 2, target: 'oncall_supervisors', dueAt: '2026-11-28T03:45:00.000Z' });
    expect(step({ ...paged, acknowledgedAt: at('2026-11-28T03:05:00Z') }, '2026-11-28T03:20:00Z')).toEqual({ action: 'none', reason: 'acknowledged' });
  });

  it('an overdue page goes to the tier of now (after an outage the admins hear at once)', () => {
    const paged = { ...crisis, lastNotifiedAt: at('2026-11-28T03:00:00Z') };
    expect(step(paged, '2026-11-28T03:40:00Z')).toEqual({ action: 'notify', level: 2, target: 'oncall_supervisors', dueAt: '2026-11-28T03:15:00.000Z' });
  });

  it('a tier boundary is paged on time even when the repeat interval is longer', () => {
    const policy = { ...DEFAULT_ESCALATION_POLICY, crisis: { ...DEFAULT_ESCALATION_POLICY.crisis, repeatEvery: 'PT1H' } };
    const paged = { ...crisis, lastNotifiedAt: at('2026-11-28T03:00:00Z') };
    expect(show(nextEscalationStep({ escalation: paged, policy, now: at('2026-11-28T03:16:00Z') }))).toEqual({
      action: 'notify',
      level: 1,
      target: 'oncall_supervisors',
      dueAt: '2026-11-28T03:15:00.000Z',
    });
  });

  it('acknowledged: waits for the safety plan; past its deadline with none, pages again from the first tier', () => {
    const acked = {
      ...crisis,
      level: 0,
      lastNotifiedAt: at('2026-11-28T03:00:00Z'),
      acknowledgedAt: at('2026-11-28T03:05:00Z'),
      safetyPlanDueAt: at('2026-11-28T07:05:00Z'),
    };
    expect(step(acked, '2026-11-28T07:00:00Z')).toEqual({ action: 'wait', until: '2026-11-28T07:05:00.000Z' });
    expect(step(acked, '2026-11-28T07:05:00Z')).toEqual({ action: 'notify', level: 0, target: 'oncall_supervisors', dueAt: '2026-11-28T07:05:00.000Z' });
    const again = { ...acked, lastNotifiedAt: at('2026-11-28T07:05:00Z') };
    expect(step(again, '2026-11-28T07:21:00Z')).toEqual({ action: 'notify', level: 1, target: 'oncall_supervisors', dueAt: '2026-11-28T07:20:00.000Z' });
    expect(step({ ...acked, safetyPlanAt: at('2026-11-28T06:00:00Z') }, '2026-11-28T09:00:00Z')).toEqual({ action: 'none', reason: 'acknowledged' });
  });

  it('the tiers are validated', () => {
    const bad = (tiers: unknown) =>
      escalationPolicySchema.safeParse({ ...DEFAULT_ESCALATION_POLICY, crisis: { ...DEFAULT_ESCALATION_POLICY.crisis, tiers } }).success;
    expect(bad([{ after: 'PT5M', notify: ['oncall'] }])).toBe(false);
    expect(
      bad([
        { after: 'PT0M', notify: ['oncall'] },
        { after: 'PT0M', notify: ['admins'] },
      ]),
    ).toBe(false);
    expect(bad([{ after: 'PT0M', notify: ['janitors'] }])).toBe(false);
    expect(
      bad([
        { after: 'PT0M', notify: ['oncall'] },
        { after: 'PT10M', notify: ['admins'] },
      ]),
    ).toBe(true);
  });

  it('if configured not to ignore working hours, the page waits for them', () => {
    const policy = { ...DEFAULT_ESCALATION_POLICY, crisis: { ...DEFAULT_ESCALATION_POLICY.crisis, ignoresWorkingHours: false } };
    expect(show(nextEscalationStep({ escalation: crisis, policy, now: at('2026-11-28T03:00:00Z'), workingHours: withOncall }))).toEqual({
      action: 'wait',
      until: '2026-11-30T09:00:00.000Z',
    });
  });
});

describe('automatic resolution', () => {
  const openedAt = at('2026-11-24T10:00:00Z');
  it('a note after the escalation opened resolves it; an older note does not', () => {
    expect(shouldResolve({ reason: 'quiet_case', lastNoteAt: at('2026-11-24T10:30:00Z'), openedAt, caseStatus: 'open' })).toEqual({
      resolve: true,
      why: 'note_logged',
    });
    expect(shouldResolve({ reason: 'follow_up_overdue', lastNoteAt: at('2026-11-20T10:30:00Z'), openedAt, caseStatus: 'open' })).toEqual({ resolve: false });
  });
  it('closing or withdrawing the case resolves it', () => {
    expect(shouldResolve({ reason: 'no_show_repeat', lastNoteAt: null, openedAt, caseStatus: 'withdrawn' })).toEqual({ resolve: true, why: 'case_closed' });
  });
  it('an unassigned intake resolves on assignment, not on a note', () => {
    expect(shouldResolve({ reason: 'unassigned_intake', lastNoteAt: at('2026-11-24T11:00:00Z'), openedAt, caseStatus: 'open' })).toEqual({ resolve: false });
    expect(shouldResolve({ reason: 'unassigned_intake', lastNoteAt: null, openedAt, caseStatus: 'open', assignedAt: at('2026-11-24T11:00:00Z') })).toEqual({
      resolve: true,
      why: 'assigned',
    });
  });
  it('a crisis never resolves by itself', () => {
    expect(shouldResolve({ reason: 'crisis', lastNoteAt: at('2026-11-24T11:00:00Z'), openedAt, caseStatus: 'closed' })).toEqual({ resolve: false });
  });
});

describe('unassigned intake', () => {
  it('due after 4 working hours: Friday 16:00 → Monday 12:00 (London)', () => {
    const intake = { createdAt: at('2026-11-27T16:00:00Z'), assignedAt: null };
    expect(z(unassignedIntakeDue(intake, london, 4, at('2026-11-30T11:59:00Z')).at)).toBe('2026-11-30T12:00:00.000Z');
    expect(unassignedIntakeDue(intake, london, 4, at('2026-11-30T11:59:00Z')).due).toBe(false);
    expect(unassignedIntakeDue(intake, london, 4, at('2026-11-30T12:00:00Z')).due).toBe(true);
    expect(unassignedIntakeDue({ ...intake, assignedAt: at('2026-11-30T09:30:00Z') }, london, 4, at('2026-12-01T00:00:00Z'))).toEqual({ due: false, at: null });
  });
  it('Kolkata (+05:30): Monday 15:00 IST + 4 h → Tuesday 11:00 IST', () => {
    const r = unassignedIntakeDue({ createdAt: at('2026-11-23T09:30:00Z'), assignedAt: null }, weekdays('Asia/Kolkata'), 4, at('2026-11-24T05:30:00Z'));
    expect({ due: r.due, at: z(r.at) }).toEqual({ due: true, at: '2026-11-24T05:30:00.000Z' });
  });
});

describe('weekly digest', () => {
  it.each([
    ['Europe/London', '2026-11-23T08:59:00Z', '2026-11-23T09:00:00.000Z'], // Monday, before 09:00
    ['Europe/London', '2026-11-23T09:00:00Z', '2026-11-30T09:00:00.000Z'], // exactly 09:00 → next week
    ['Europe/London', '2026-03-25T12:00:00Z', '2026-03-30T08:00:00.000Z'], // across the spring change: 09:00 BST
    ['America/New_York', '2026-10-31T12:00:00Z', '2026-11-02T14:00:00.000Z'], // 09:00 EST after the autumn change
    ['Australia/Sydney', '2026-10-04T01:00:00Z', '2026-10-04T22:00:00.000Z'], // 09:00 AEDT
    ['Australia/Adelaide', '2026-11-23T00:00:00Z', '2026-11-29T22:30:00.000Z'], // 09:00 ACDT (+10:30)
    ['Asia/Shanghai', '2026-11-22T23:30:00Z', '2026-11-23T01:00:00.000Z'], // Sunday in UTC, Monday 07:30 there
  ])('%s at %s → %s', (zone, now, expected) => {
    expect(z(weeklyDigestDue(zone, at(now)))).toBe(expected);
  });

  it("window key is the ISO week in the supervisor's zone", () => {
    expect(digestWindowKey('Europe/London', at('2026-11-23T09:00:00Z'))).toBe('2026-W48');
    expect(digestWindowKey('Europe/London', at('2026-11-22T23:30:00Z'))).toBe('2026-W47'); // still Sunday in London
    expect(digestWindowKey('Asia/Shanghai', at('2026-11-22T23:30:00Z'))).toBe('2026-W48'); // Monday morning in Shanghai
    expect(digestWindowKey('Europe/London', at('2027-01-01T12:00:00Z'))).toBe('2026-W53'); // ISO week-year
    expect(() => digestWindowKey('Not/AZone', at('2026-11-23T09:00:00Z'))).toThrow(/IANA/);
  });
});

describe('policy config', () => {
  it('defaults are the documented table', () => {
    expect(DEFAULT_POLICY_CONFIG.quietThresholdsDays).toEqual({ crisis: 2, high: 7, normal: 14, low: 30 });
    expect(DEFAULT_POLICY_CONFIG.escalation.levels.map((l) => [l.target, l.after])).toEqual([
      ['worker', 'PT0H'],
      ['supervisor', 'PT24H'],
      ['supervision_channel', 'PT48H'],
    ]);
    expect(DEFAULT_POLICY_CONFIG.unassignedIntakeAfterWorkingHours).toBe(4);
    expect(loadPolicyConfig(undefined)).toEqual(DEFAULT_POLICY_CONFIG);
  });

  it('loads overrides from JSON and fills the rest with defaults', () => {
    const c = loadPolicyConfig('{"quietThresholdsDays":{"crisis":1,"high":3,"normal":7,"low":14},"unassignedIntakeAfterWorkingHours":2}');
    expect(c.quietThresholdsDays.normal).toBe(7);
    expect(c.unassignedIntakeAfterWorkingHours).toBe(2);
    expect(c.escalation.crisis.repeatEvery).toBe('PT15M');
    // One threshold overridden, the others keep their defaults.
    expect(loadPolicyConfig('{"quietThresholdsDays":{"high":5}}').quietThresholdsDays).toEqual({ crisis: 2, high: 5, normal: 14, low: 30 });
    expect(() => loadPolicyConfig('{nope')).toThrow(/not valid JSON/);
  });

  it('rejects ladders out of order, calendar durations and a zero repeat', () => {
    const bad = (over: object) => escalationPolicySchema.safeParse({ ...DEFAULT_ESCALATION_POLICY, ...over }).success;
    expect(bad({})).toBe(true);
    expect(
      bad({
        levels: [
          { level: 0, target: 'worker', after: 'PT24H' },
          { level: 1, target: 'supervisor', after: 'PT1H' },
        ],
      }),
    ).toBe(false);
    expect(bad({ levels: [{ level: 1, target: 'worker', after: 'PT0H' }] })).toBe(false);
    expect(bad({ repeatEvery: 'P1M' })).toBe(false);
    expect(bad({ repeatEvery: 'PT0S' })).toBe(false);
    expect(() => loadPolicyConfig('{"quietThresholdsDays":{"crisis":-1,"high":3,"normal":7,"low":14}}')).toThrow();
  });
});
