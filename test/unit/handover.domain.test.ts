import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { handBackAt } from '../../src/handover/handover.domain.js';
import { parseHandoverCommand } from '../../src/slack/commands/handover.parse.js';
import { validateResource } from '../../src/referrals/referrals.domain.js';

const now = DateTime.fromISO('2026-11-23T09:00:00Z');

describe('parseHandoverCommand', () => {
  it('reads escaped mentions, an optional until date, list and undo', () => {
    expect(parseHandoverCommand(['<@U0AAA|ana>', '<@U0BBB|ben>'], 'Europe/London', now)).toEqual({
      op: 'start',
      fromUserId: 'U0AAA',
      toUserId: 'U0BBB',
      untilOn: null,
    });
    expect(parseHandoverCommand(['<@U0AAA>', '<@U0BBB>', 'until', '2026-12-24'], 'Europe/London', now)).toEqual({
      op: 'start',
      fromUserId: 'U0AAA',
      toUserId: 'U0BBB',
      untilOn: '2026-12-24',
    });
    expect(parseHandoverCommand(['list'], 'Europe/London', now)).toEqual({ op: 'list' });
    expect(parseHandoverCommand(['undo', '6F1C2A34-0000-4000-8000-000000000001'], 'Europe/London', now)).toEqual({
      op: 'undo',
      handoverId: '6f1c2a34-0000-4000-8000-000000000001',
    });
  });

  it('answers bad input with what to write', () => {
    const bad = (args: string[]) => {
      const r = parseHandoverCommand(args, 'Asia/Shanghai', now);
      return r.op === 'invalid' ? r.message : r.op;
    };
    expect(bad(['<@U0AAA>'])).toContain('Mention the worker');
    expect(bad(['<@U0AAA>', '<@U0AAA>'])).toBe('The two people must be different.');
    expect(bad(['<@U0AAA>', '<@U0BBB>', 'till', '2026-12-24'])).toContain('until 2026-12-24');
    expect(bad(['<@U0AAA>', '<@U0BBB>', 'until', '2026-02-30'])).toContain('is not a date');
    // "Today" is the asker's: 23 Nov 17:00 in Shanghai, so the 23rd is today and refused.
    expect(bad(['<@U0AAA>', '<@U0BBB>', 'until', '2026-11-23'])).toContain('must end after today (2026-11-23)');
    expect(bad(['<@U0AAA>', '<@U0BBB>', 'until', '2028-01-01'])).toContain('at most 366 days');
    expect(bad(['undo', 'abc'])).toContain("Give the handover's id");
  });
});

describe('handBackAt', () => {
  it("is the start of the returning worker's working day on the date, in their zone", () => {
    expect(handBackAt('2026-12-10', { timeZone: 'Europe/London', workingHours: { start: '09:00' } }).toISO()).toBe('2026-12-10T09:00:00.000Z');
    expect(handBackAt('2026-12-10', { timeZone: 'Asia/Shanghai', workingHours: { start: '08:30' } }).toISO()).toBe('2026-12-10T00:30:00.000Z');
    // Summer time in New York (UTC-4), and a start the spring change skips moves to the first time that exists.
    expect(handBackAt('2027-06-01', { timeZone: 'America/New_York', workingHours: { start: '09:00' } }).toISO()).toBe('2027-06-01T13:00:00.000Z');
    expect(handBackAt('2027-03-28', { timeZone: 'Europe/London', workingHours: { start: '01:30' } }).toISO()).toBe('2027-03-28T01:00:00.000Z');
  });
});

describe('validateResource', () => {
  it('accepts a good entry, normalising languages', () => {
    const r = validateResource({ name: ' Law Centre ', categories: ['legal'], languages: 'EN, zh yue', phone: '', email: 'help@law.example.org' });
    expect(r).toEqual({ ok: true, value: { name: 'Law Centre', categories: ['legal'], languages: ['en', 'zh', 'yue'], email: 'help@law.example.org' } });
  });
  it('needs one way to reach them, and says which field is wrong', () => {
    expect(validateResource({ name: 'Law Centre', categories: ['legal'], languages: 'en' })).toEqual({
      ok: false,
      errors: { phone: 'Give at least one way to reach them: phone, email, website or address.' },
    });
    expect(validateResource({ name: 'Law Centre', categories: ['nope'], languages: 'en', website: 'ftp://x.example' })).toMatchObject({
      ok: false,
      errors: { categories: 'Choose categories from the list.', website: 'A website must start with https:// or http://.' },
    });
  });
});
