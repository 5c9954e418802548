import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CRISIS_PHRASES } from '../../src/intake/crisis.domain.js';
import {
  AGREEMENT_VERSION,
  askFor,
  CATEGORIES,
  DEFAULT_LIMITS,
  PAUSE_CONTINUE,
  PAUSE_LATER,
  QUESTION_STEPS,
  applyInput,
  isExpired,
  languageFromCode,
  needsNudge,
  parseIntakeState,
  priorityFrom,
  resolveTimeZone,
  startIntake,
  timezoneChoices,
  type IntakeContext,
  type IntakeEffect,
  type IntakeInput,
  type IntakeState,
  type Step,
} from '../../src/intake/intake.domain.js';

const T0 = DateTime.fromISO('2026-11-03T09:00:00', { zone: 'Europe/London' });
const ctx = (now: DateTime = T0): IntakeContext => ({ now, crisisPhrases: DEFAULT_CRISIS_PHRASES, defaultTimeZone: 'Europe/London' });
const text = (t: string): IntakeInput => ({ kind: 'text', text: t });
const choice = (value: string): IntakeInput => ({ kind: 'choice', value });

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

function run(state: IntakeState, inputs: IntakeInput[], c = ctx()): { state: IntakeState; effects: IntakeEffect[] } {
  let s = state;
  let effects: IntakeEffect[] = [];
  for (const input of inputs) {
    const r = applyInput(deepFreeze(s), input, c);
    s = r.state;
    effects = r.effects;
  }
  return { state: s, effects };
}

const EN_ANSWERS: IntakeInput[] = [
  choice('lang:en'),
  choice('agree'),
  choice('safety:yes'),
  text('  Sam  '),
  choice('cat:elderly'),
  text('My father lives alone and keeps falling.'),
  text('I want him to be safe and me to sleep at night.'),
  text('My sister, sometimes.'),
  choice('skip'),
  choice('urgency:week'),
  choice('avail:evenings'),
  text('London'),
];

/** State sitting at `step` after answering everything before it. */
function at(step: Step): IntakeState {
  const order: Step[] = ['language', 'agreement', 'safety', ...QUESTION_STEPS, 'review'];
  const n = order.indexOf(step);
  const s = run(startIntake({ defaultTimeZone: 'Europe/London', now: T0 }).state, EN_ANSWERS.slice(0, n)).state;
  expect(s.step).toBe(step);
  return s;
}

describe('start', () => {
  it('asks for the language, preselected from Telegram', () => {
    const r = startIntake({ languageCode: 'zh-hans', defaultTimeZone: 'Europe/London', now: T0 });
    expect(r.state).toMatchObject({ v: 1, step: 'language', language: 'zh', crisis: false, answers: {} });
    expect(r.state.startedAt).toBe('2026-11-03T09:00:00.000Z');
    expect(r.effects).toEqual([{ type: 'ask', step: 'language' }]);
    expect(languageFromCode('zh-TW')).toBe('zh');
    expect(languageFromCode('en-GB')).toBe('en');
    expect(languageFromCode('fr')).toBe('en');
    expect(languageFromCode(undefined)).toBe('en');
  });
});

describe('full walk-through', () => {
  it('English, to submit', () => {
    const start = startIntake({ languageCode: 'en', defaultTimeZone: 'Europe/London', now: T0 }).state;
    const reviewed = run(start, EN_ANSWERS);
    expect(reviewed.state.step).toBe('review');
    expect(reviewed.effects).toEqual([{ type: 'show_review' }]);
    const r = applyInput(reviewed.state, choice('submit'), ctx(T0.plus({ minutes: 9 })));
    expect(r.state.step).toBe('submitted');
    expect(r.effects).toEqual([
      {
        type: 'submit',
        priority: 'normal',
        language: 'en',
        safety: 'safe',
        crisis: false,
        agreement: { version: AGREEMENT_VERSION, language: 'en', at: '2026-11-03T09:00:00.000Z' },
        answers: {
          name: 'Sam',
          category: 'elderly',
          story: 'My father lives alone and keeps falling.',
          change: 'I want him to be safe and me to sleep at night.',
          support: { kind: 'text', text: 'My sister, sometimes.' },
          strengths: { kind: 'skipped' },
          urgency: 'week',
          availability: { kind: 'slot', slot: 'evenings' },
          timezone: 'Europe/London',
        },
      },
    ]);
    expect(r.state.updatedAt).toBe('2026-11-03T09:09:00.000Z');
    // JSON-safe: survives a jsonb round trip and validates.
    expect(parseIntakeState(JSON.parse(JSON.stringify(r.state)))).toEqual(r.state);
  });

  it('Chinese, to submit, with typed city and free-text availability', () => {
    const start = startIntake({ languageCode: 'zh-CN', defaultTimeZone: 'Europe/London', now: T0 }).state;
    const r = run(start, [
      choice('lang:zh'),
      text('同意'),
      choice('safety:unsure'),
      text('小梅'),
      choice('cat:family'),
      text('我和婆婆经常吵架，家里气氛很紧张。'),
      text('希望能好好沟通。'),
      choice('support:none'),
      text('我做饭很好吃，也很有耐心。'),
      choice('urgency:today'),
      text('工作日晚上 6 点以后'),
      text('北京'),
      choice('submit'),
    ]);
    expect(r.state.step).toBe('submitted');
    const submit = r.effects.find((e) => e.type === 'submit');
    expect(submit).toMatchObject({
      priority: 'high',
      language: 'zh',
      safety: 'unsure',
      agreement: { version: AGREEMENT_VERSION, language: 'zh' },
      answers: {
        name: '小梅',
        category: 'family',
        support: { kind: 'none' },
        timezone: 'Asia/Shanghai',
        urgency: 'today',
        availability: { kind: 'text', text: '工作日晚上 6 点以后' },
        strengths: { kind: 'text', text: '我做饭很好吃，也很有耐心。' },
      },
    });
  });
});

describe('language switch', () => {
  it('/language mid-way shows the picker and returns to the same step with answers kept', () => {
    const s = at('change');
    const a = applyInput(s, { kind: 'command', name: 'language' }, ctx());
    expect(a.state.step).toBe('language');
    expect(a.effects).toEqual([{ type: 'ask', step: 'language' }]);
    const b = applyInput(a.state, choice('lang:zh'), ctx());
    expect(b.state).toMatchObject({ step: 'change', language: 'zh', answers: s.answers });
    expect(b.state.resume).toBeUndefined();
    expect(b.effects).toEqual([
      { type: 'language_changed', language: 'zh' },
      { type: 'ask', step: 'change' },
    ]);
  });
  it('from review it goes back to review', () => {
    const b = run(at('review'), [{ kind: 'command', name: 'language' }, text('中文')]);
    expect(b.state.step).toBe('review');
    expect(b.effects.at(-1)).toEqual({ type: 'show_review' });
  });
  it('repeat re-asks the current step', () => {
    expect(applyInput(at('story'), { kind: 'command', name: 'repeat' }, ctx()).effects).toEqual([{ type: 'ask', step: 'story' }]);
  });
});

describe('crisis phrase at every step', () => {
  const steps: Step[] = ['language', 'agreement', 'safety', ...QUESTION_STEPS, 'review'];
  for (const step of steps) {
    it(`at ${step}: never taken as an answer; the intake pauses on the same step`, () => {
      const s = at(step);
      const r = applyInput(s, text('Honestly I want to KILL MYSELF!!'), ctx());
      expect(r.effects).toEqual([{ type: 'crisis', source: 'phrase', phrase: 'kill myself', phraseLanguage: 'en' }, { type: 'paused' }]);
      expect(r.state).toMatchObject({ step, crisis: true, paused: true });
      expect(r.state.answers).toEqual(s.answers);
      expect(JSON.stringify(r.state)).not.toContain('KILL MYSELF');
    });
  }
  it('a crisis message that is too long is still a crisis, and pauses (nothing stored)', () => {
    const r = applyInput(at('story'), text(`I am in danger. ${'x'.repeat(2000)}`), ctx());
    expect(r.effects.map((e) => e.type)).toEqual(['crisis', 'paused']);
    expect(r.state).toMatchObject({ step: 'story', crisis: true, paused: true });
    expect(r.state.answers.story).toBeUndefined();
  });
  it('while paused: text is held for the worker, not an answer; other buttons and media re-offer the choice', () => {
    const paused = applyInput(at('story'), text('他打我，我很害怕'), ctx()).state;
    const held = applyInput(paused, text('  he is outside the door  '), ctx());
    expect(held.effects).toEqual([{ type: 'held_for_worker', text: 'he is outside the door' }, { type: 'paused' }]);
    expect(held.state).toMatchObject({ step: 'story', paused: true });
    expect(held.state.answers.story).toBeUndefined();
    expect(applyInput(paused, choice('cat:family'), ctx()).effects).toEqual([{ type: 'paused' }]);
    expect(applyInput(paused, { kind: 'unsupported', what: 'photo' }, ctx()).effects).toEqual([{ type: 'paused' }]);
    expect(applyInput(paused, choice(PAUSE_LATER), ctx())).toMatchObject({ state: { paused: true }, effects: [{ type: 'pause_later' }] });
  });
  it('[Continue my request] or /start resumes on the same question; /language shows the picker', () => {
    const paused = applyInput(at('change'), text('I want to end my life'), ctx()).state;
    for (const input of [choice(PAUSE_CONTINUE), { kind: 'command', name: 'repeat' } as const]) {
      const r = applyInput(paused, input, ctx());
      expect(r.effects).toEqual([{ type: 'ask', step: 'change' }]);
      expect(r.state.paused).toBeUndefined();
    }
    expect(applyInput(paused, { kind: 'command', name: 'language' }, ctx()).state).toMatchObject({ step: 'language', resume: 'change' });
  });
  it('typed "no one" / "跳过" count as the buttons', () => {
    expect(run(at('support'), [text('No one')]).state.answers.support).toEqual({ kind: 'none' });
    expect(run(at('strengths'), [text('跳过')]).state.answers.strengths).toEqual({ kind: 'skipped' });
  });
  it('Chinese phrase too, and crisis raises the priority', () => {
    const r = run(at('story'), [
      text('他打我，我很害怕'),
      choice(PAUSE_CONTINUE),
      text('x'),
      text('x'),
      text('x'),
      choice('skip'),
      choice('urgency:no_rush'),
      choice('avail:anytime'),
      choice('tz:Europe/London'),
      choice('submit'),
    ]);
    expect(r.effects.at(-1)).toMatchObject({ type: 'submit', priority: 'crisis', crisis: true });
  });
  it('after submit a crisis phrase still raises a crisis', () => {
    const done = run(at('review'), [choice('submit')]).state;
    const r = applyInput(done, text('我不想活了'), ctx());
    expect(r.effects).toEqual([
      { type: 'crisis', source: 'phrase', phrase: '我不想活了', phraseLanguage: 'zh' },
      { type: 'invalid', reason: 'finished' },
    ]);
  });
});

describe('safety check', () => {
  it('"No" is a crisis, and the next question waits for the client', () => {
    const r = applyInput(at('safety'), choice('safety:no'), ctx());
    expect(r.state).toMatchObject({ step: 'name', safety: 'unsafe', crisis: true, paused: true });
    expect(r.effects).toEqual([{ type: 'crisis', source: 'safety_check' }, { type: 'paused' }]);
    expect(applyInput(r.state, choice(PAUSE_CONTINUE), ctx()).effects).toEqual([{ type: 'ask', step: 'name' }]);
  });
  it('typed "no" counts as the button', () => {
    expect(applyInput(at('safety'), text('No'), ctx()).effects[0]).toEqual({ type: 'crisis', source: 'safety_check' });
  });
  it('"Not sure" shows contacts and continues', () => {
    const r = applyInput(at('safety'), choice('safety:unsure'), ctx());
    expect(r.state).toMatchObject({ step: 'name', safety: 'unsure', crisis: false });
    expect(r.effects).toEqual([{ type: 'emergency_contacts' }, { type: 'ask', step: 'name' }]);
  });
});

describe('bad input keeps the step and the answers', () => {
  const textFields = ['name', 'story', 'change', 'support', 'strengths', 'availability'] as const;
  for (const f of textFields) {
    it(`too long at ${f} states the limit`, () => {
      const s = at(f);
      const limit = DEFAULT_LIMITS[f];
      const r = applyInput(s, text('a'.repeat(limit + 1)), ctx());
      expect(r.state.step).toBe(f);
      expect(r.state.answers).toEqual(s.answers);
      // Refused as an answer, but the client's words are kept for the worker and they are told so.
      expect(r.effects).toEqual([{ type: 'invalid', reason: 'too_long', field: f, limit }, { type: 'kept_note' }, { type: 'ask', step: f }]);
      expect(r.state.notes).toEqual(['a'.repeat(limit + 1)]);
      // exactly at the limit is fine; emoji count as one character each
      expect(applyInput(s, text('😀'.repeat(limit)), ctx()).state.step).not.toBe(f);
    });
  }
  it('limits can be configured', () => {
    const r = applyInput(at('name'), text('abcdef'), { ...ctx(), limits: { name: 5 } });
    expect(r.effects[0]).toEqual({ type: 'invalid', reason: 'too_long', field: 'name', limit: 5 });
  });
  it('empty or blank text', () => {
    for (const t of ['', '   \n\t ']) expect(applyInput(at('story'), text(t), ctx()).effects[0]).toEqual({ type: 'invalid', reason: 'empty' });
  });
  it('unsupported media at any step', () => {
    for (const step of ['agreement', 'name', 'timezone', 'review'] as Step[]) {
      const s = at(step);
      const r = applyInput(s, { kind: 'unsupported', what: 'voice' }, ctx());
      expect(r.state.step).toBe(step);
      expect(r.state.answers).toEqual(s.answers);
      expect(r.effects[0]).toEqual({ type: 'invalid', reason: 'unsupported_type', what: 'voice' });
    }
  });
  it('stale or unknown buttons', () => {
    const cases: Array<[Step, string]> = [
      ['language', 'agree'],
      ['language', 'lang:fr'],
      ['agreement', 'cat:family'],
      ['safety', 'agree'],
      ['name', 'skip'],
      ['category', 'cat:aliens'],
      ['story', 'support:none'],
      ['support', 'skip'],
      ['strengths', 'support:none'],
      ['urgency', 'urgency:yesterday'],
      ['availability', 'cat:family'],
      ['timezone', 'urgency:today'],
      ['review', 'edit:safety'],
      ['review', 'agree'],
    ];
    for (const [step, value] of cases) {
      const s = at(step);
      const r = applyInput(s, choice(value), ctx());
      expect(r.state.step, `${step} ${value}`).toBe(step);
      expect(r.state.answers).toEqual(s.answers);
      expect(r.effects).toEqual([{ type: 'invalid', reason: 'unknown_choice' }, askFor(step)]);
    }
  });
  it('text where only buttons work', () => {
    for (const step of ['language', 'agreement', 'category', 'urgency', 'review'] as Step[]) {
      const r = applyInput(at(step), text('hmm'), ctx());
      expect(r.effects).toEqual([{ type: 'invalid', reason: 'use_buttons' }, { type: 'kept_note' }, askFor(step)]);
      expect(r.state.notes).toEqual(['hmm']);
    }
  });
  it('unknown time zone asks again; typed cities and zones resolve', () => {
    const s = at('timezone');
    for (const bad of ['Atlantis', 'Mars/Olympus', 'tz:Nowhere/City']) {
      const r = applyInput(s, bad.startsWith('tz:') ? choice(bad) : text(bad), ctx());
      expect(r.effects[0]).toEqual({ type: 'invalid', reason: 'unknown_timezone' });
      expect(r.state.step).toBe('timezone');
    }
    const typed: Record<string, string> = {
      北京: 'Asia/Shanghai',
      上海市: 'Asia/Shanghai',
      'Hong Kong': 'Asia/Hong_Kong',
      香港: 'Asia/Hong_Kong',
      taipei: 'Asia/Taipei',
      台北: 'Asia/Taipei',
      Singapore: 'Asia/Singapore',
      新加坡: 'Asia/Singapore',
      'New York': 'America/New_York',
      'los angeles': 'America/Los_Angeles',
      Sydney: 'Australia/Sydney',
      Toronto: 'America/Toronto',
      'europe/paris': 'Europe/Paris',
      'America/New York': 'America/New_York',
      ＬＯＮＤＯＮ: 'Europe/London',
      北京时间: 'Asia/Shanghai',
    };
    for (const [input, zone] of Object.entries(typed)) {
      expect(resolveTimeZone(input), input).toBe(zone);
      expect(applyInput(s, text(input), ctx()).state.answers.timezone).toBe(zone);
    }
    expect(applyInput(s, choice('tz:Asia/Tokyo'), ctx()).state.answers.timezone).toBe('Asia/Tokyo');
  });
  it('time zone buttons put the default first', () => {
    expect(timezoneChoices('en', 'Asia/Singapore')[0]).toBe('Asia/Singapore');
    expect(timezoneChoices('zh', 'Europe/London')).toEqual(['Europe/London', 'Asia/Shanghai', 'Asia/Hong_Kong', 'Asia/Taipei', 'Asia/Singapore']);
  });
});

describe('review', () => {
  it('edit goes to the step and comes back to review', () => {
    const s = at('review');
    for (const f of QUESTION_STEPS) {
      const a = applyInput(s, choice(`edit:${f}`), ctx());
      expect(a.state).toMatchObject({ step: f, editing: f });
      expect(a.effects).toEqual([{ type: 'ask', step: f }]);
    }
    const r = run(s, [choice('edit:category'), choice('cat:housing')]);
    expect(r.state.step).toBe('review');
    expect(r.state.editing).toBeUndefined();
    expect(r.state.answers).toEqual({ ...s.answers, category: 'housing' });
    expect(r.effects).toEqual([{ type: 'show_review' }]);
    const bad = run(s, [choice('edit:name'), text('x'.repeat(101))]);
    expect(bad.state).toMatchObject({ step: 'name', editing: 'name' });
    expect(run(s, [choice('edit:strengths'), text('Cooking')]).state.answers.strengths).toEqual({ kind: 'text', text: 'Cooking' });
  });
  it('submit with something missing goes to what is missing', () => {
    const s = at('review');
    const { timezone: _t, ...answers } = s.answers;
    const r = applyInput({ ...s, answers }, choice('submit'), ctx());
    expect(r.state).toMatchObject({ step: 'timezone', editing: 'timezone' });
  });
});

describe('agreement', () => {
  it('is recorded with version, language and time', () => {
    const r = applyInput(at('agreement'), choice('agree'), ctx());
    expect(r.effects[0]).toEqual({ type: 'agreement_given', version: AGREEMENT_VERSION, language: 'en', at: '2026-11-03T09:00:00.000Z' });
    expect(r.state.agreement).toEqual({ version: AGREEMENT_VERSION, language: 'en', at: '2026-11-03T09:00:00.000Z' });
  });
  it('"Not now" ends and keeps nothing but the refusal', () => {
    const r = applyInput(at('agreement'), choice('decline'), ctx());
    expect(r.state).toEqual({ v: 1, step: 'declined', language: 'en', answers: {}, crisis: false, startedAt: r.state.startedAt, updatedAt: r.state.updatedAt });
    expect(r.effects).toEqual([{ type: 'agreement_declined', language: 'en', at: '2026-11-03T09:00:00.000Z' }]);
    expect(applyInput(r.state, choice('agree'), ctx()).effects).toEqual([{ type: 'invalid', reason: 'finished' }]);
  });
});

describe('priority', () => {
  it('maps urgency and safety', () => {
    expect(priorityFrom('no_rush', 'safe', true)).toBe('crisis');
    expect(priorityFrom('no_rush', 'unsafe', false)).toBe('crisis');
    expect(priorityFrom('today', 'safe', false)).toBe('high');
    expect(priorityFrom('no_rush', 'unsure', false)).toBe('high');
    expect(priorityFrom('week', 'safe', false)).toBe('normal');
    expect(priorityFrom('month', 'safe', false)).toBe('normal');
    expect(priorityFrom('no_rush', 'safe', false)).toBe('low');
  });
  it('has ten categories', () => expect(CATEGORIES).toHaveLength(10));
});

describe('idle drafts', () => {
  const s = at('story'); // updatedAt 09:00 London = 09:00Z in November
  it('nudges once after 24 h of silence', () => {
    expect(needsNudge(s, T0.plus({ hours: 23, minutes: 59 }), { hours: 24 }, null)).toBe(false);
    expect(needsNudge(s, T0.plus({ hours: 24 }), { hours: 24 }, null)).toBe(true);
    expect(needsNudge(s, T0.plus({ hours: 30 }), { hours: 24 }, '2026-11-04T09:00:00.000Z')).toBe(false);
    // a new answer after the nudge starts a new idle spell
    const later = applyInput(s, text('story'), ctx(T0.plus({ hours: 25 }))).state;
    expect(needsNudge(later, T0.plus({ hours: 49 }), { hours: 24 }, '2026-11-04T09:00:00.000Z')).toBe(true);
  });
  it('expires after 7 days, in any zone', () => {
    const tokyo = T0.setZone('Asia/Tokyo');
    expect(isExpired(s, tokyo.plus({ days: 7, seconds: -1 }), { days: 7 })).toBe(false);
    expect(isExpired(s, tokyo.plus({ days: 7 }), { days: 7 })).toBe(true);
    const done = run(at('review'), [choice('submit')]).state;
    expect(isExpired(done, T0.plus({ days: 30 }), { days: 7 })).toBe(false);
    expect(needsNudge(done, T0.plus({ days: 2 }), { hours: 24 }, null)).toBe(false);
  });
  it('rejects stored state that is not a v1 intake', () => {
    expect(parseIntakeState({ v: 2 })).toBeNull();
    expect(parseIntakeState({ ...s, step: 'nope' })).toBeNull();
  });
});
