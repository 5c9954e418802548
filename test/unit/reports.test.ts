import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { parsePeriod } from '../../src/reports/period.js';
import { csvCell } from '../../src/reports/report.csv.js';
import { parseReportCommand } from '../../src/slack/commands/report.parse.js';
import { periodErrorText } from '../../src/slack/outcome-words.js';

/** The forgiving period syntax, CSV cells a spreadsheet cannot run, and the command's target. */
const now = DateTime.fromISO('2026-11-18T15:00:00Z', { zone: 'utc' });
const p = (text: string, zone = 'Europe/London') => {
  const r = parsePeriod(text, zone, now);
  return r.ok ? [r.period.start.toISO(), r.period.end.toISO(), r.period.label] : periodErrorText(r.error);
};

describe('parsePeriod', () => {
  it("reads every documented form in the asker's zone (end exclusive)", () => {
    expect(p('')).toEqual(['2026-10-19T15:00:00.000+01:00', '2026-11-18T15:00:00.000+00:00', 'last 30 days']);
    expect(p('30d')[2]).toBe('last 30 days');
    expect(p('12w')).toEqual(['2026-08-26T15:00:00.000+01:00', '2026-11-18T15:00:00.000+00:00', 'last 12 weeks']);
    expect(p('quarter')).toEqual(['2026-10-01T00:00:00.000+01:00', '2026-11-18T15:00:00.000+00:00', 'this quarter so far']);
    expect(p('last-quarter')).toEqual(['2026-07-01T00:00:00.000+01:00', '2026-10-01T00:00:00.000+01:00', 'last quarter (2026-Q3)']);
    expect(p('2026-Q3')).toEqual(p('q3 2026'));
    expect(p('2026q3')[0]).toBe('2026-07-01T00:00:00.000+01:00');
    expect(p('2026-09')).toEqual(['2026-09-01T00:00:00.000+01:00', '2026-10-01T00:00:00.000+01:00', 'September 2026']);
    expect(p('2026-09-01..2026-09-30', 'Asia/Shanghai')).toEqual([
      '2026-09-01T00:00:00.000+08:00',
      '2026-10-01T00:00:00.000+08:00',
      '1 Sep 2026 – 30 Sep 2026',
    ]);
    expect(p('2026-09-01 to 2026-09-30')).toEqual(p('2026-09-01..2026-09-30'));
    expect(p('2026-09-01 – 2026-09-30')).toEqual(p('2026-09-01..2026-09-30'));
  });

  it('answers bad input clearly, with the forms it knows', () => {
    expect(p('2026-Q5')).toMatch(/^I could not read `2026-q5` as a period\.\nPeriods: `30d`/);
    expect(p('2026-13')).toMatch(/^There is no month 13\./);
    expect(p('2026-02-30..2026-03-02')).toMatch(/^2026-02-30 is not a date/);
    expect(p('2026-09-30..2026-09-01')).toMatch(/^The period ends before it starts\./);
    expect(p('2027')).toMatch(/^The period starts in the future/);
    expect(p('2020-01-01..2026-01-01')).toMatch(/^Please ask for at most three years/);
    expect(p('0d')).toMatch(/^The period needs at least one day\./);
  });
});

describe('CSV cells', () => {
  it('quotes commas, quotes and newlines, and defuses formulas', () => {
    expect(csvCell('Wen Li')).toBe('Wen Li');
    expect(csvCell('Li, Wen')).toBe('"Li, Wen"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell('-1')).toBe('"\'-1"');
    expect(csvCell(-1)).toBe('-1');
    expect(csvCell(null)).toBe('');
  });
});

describe('/case report arguments', () => {
  it('takes the target first or last; the rest is the period', () => {
    expect(parseReportCommand(['team', 'quarter'])).toEqual({ ok: true, target: { kind: 'team' }, period: 'quarter' });
    expect(parseReportCommand(['2026-Q3', '<@U0ABC|ada>'])).toEqual({ ok: true, target: { kind: 'worker', slackUserId: 'U0ABC' }, period: '2026-Q3' });
    expect(parseReportCommand(['q3', '2026'])).toEqual({ ok: true, target: null, period: 'q3 2026' });
    expect(parseReportCommand(['team', '<@U0ABC>'])).toMatchObject({ ok: false, message: expect.stringContaining('One report at a time') });
    expect(parseReportCommand(['@ada'])).toMatchObject({ ok: false, message: expect.stringContaining("I don't know @ada") });
  });
});
