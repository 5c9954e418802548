import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { coverageGaps, onCallAt, weeklyRotation, type Shift } from '../../src/staff/oncall.domain.js';
import { parseOncallCommand } from '../../src/slack/commands/oncall.parse.js';

const at = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' });
const shift = (staffId: string, from: string, to: string, kind: Shift['kind'] = 'rota', teamId: string | null = null): Shift => ({
  staffId,
  startsAt: at(from),
  endsAt: at(to),
  kind,
  teamId,
});

describe('who is on call (pure)', () => {
  const shifts = [
    shift('ana', '2026-12-07T09:00:00Z', '2026-12-14T09:00:00Z'),
    shift('bo', '2026-12-08T18:00:00Z', '2026-12-09T09:00:00Z', 'override'),
    shift('cy', '2026-12-07T09:00:00Z', '2026-12-14T09:00:00Z', 'rota', 'team-1'),
  ];
  it("cover overrides the rota for its period; a team with its own rota uses it, other teams the agency's", () => {
    expect(onCallAt(shifts, [], at('2026-12-08T12:00:00Z'))).toEqual(['ana']);
    expect(onCallAt(shifts, [], at('2026-12-08T20:00:00Z'))).toEqual(['bo']);
    expect(onCallAt(shifts, [], at('2026-12-08T20:00:00Z'), 'team-1')).toEqual(['cy']);
    expect(onCallAt(shifts, [], at('2026-12-08T20:00:00Z'), 'team-2')).toEqual(['bo']);
    expect(onCallAt(shifts, ['flag'], at('2026-12-15T00:00:00Z'))).toEqual(['flag']);
  });
  it('gaps are what the agency-wide rota leaves uncovered', () => {
    const gaps = coverageGaps(shifts, [], at('2026-12-13T00:00:00Z'), at('2026-12-15T00:00:00Z'));
    expect(gaps.map((g) => [g.start!.toISO(), g.end!.toISO()])).toEqual([['2026-12-14T09:00:00.000Z', '2026-12-15T00:00:00.000Z']]);
    expect(coverageGaps(shifts, ['flag'], at('2026-12-13T00:00:00Z'), at('2026-12-15T00:00:00Z'))).toEqual([]);
  });
  it('a weekly rotation hands over at the same local time across a DST change', () => {
    const start = DateTime.fromISO('2027-03-22T09:00', { zone: 'Europe/London' });
    const r = weeklyRotation(['a', 'b'], start, 2);
    expect(r.map((s) => [s.staffId, s.startsAt.setZone('Europe/London').toFormat('yyyy-MM-dd HH:mm')])).toEqual([
      ['a', '2027-03-22 09:00'],
      ['b', '2027-03-29 09:00'],
    ]);
  });
  it('parses team, refuses a stray word after it', () => {
    const now = at('2026-12-01T12:00:00Z');
    expect(parseOncallCommand(['rotate', '<@U0A|a>', 'from', '2026-12-07', 'team', '<@U0LEAD|l>'], 'Europe/London', now)).toMatchObject({
      op: 'rotate',
      userIds: ['U0A'],
      teamUserId: 'U0LEAD',
      weeks: 8,
    });
    expect(parseOncallCommand(['set', '<@U0A|a>', 'from', 'today', '18:00', 'to', 'tomorrow', '09:00'], 'Europe/London', now)).toMatchObject({
      op: 'set',
      teamUserId: null,
    });
    expect(parseOncallCommand(['set', '<@U0A|a>', 'from', 'today', 'to', 'tomorrow', 'team', '<@U0L|l>', 'extra'], 'Europe/London', now)).toMatchObject({
      op: 'invalid',
    });
  });
});
