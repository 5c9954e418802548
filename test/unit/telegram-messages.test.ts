import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CRISIS_PHRASES } from '../../src/intake/crisis.domain.js';
import {
  QUESTION_STEPS,
  applyInput,
  startIntake,
  type IntakeContext,
  type IntakeInput,
  type IntakeState,
  type Language,
  type Step,
} from '../../src/intake/intake.domain.js';
import { createI18n } from '../../src/i18n/i18n.js';
import {
  BOT_COMMANDS,
  TELEGRAM_TEXT_LIMIT,
  botCommands,
  clampText,
  renderCrisis,
  renderDiscreet,
  renderInvalid,
  renderReview,
  renderStatus,
  renderStep,
  renderSubmitted,
  renderUnknownCommand,
  renderHelp,
  type Rendered,
} from '../../src/telegram/messages.js';
import { renderEffects } from '../../src/telegram/messages.effects.js';

const i18n = createI18n();
const T0 = DateTime.fromISO('2026-11-03T09:00:00Z');
const ictx: IntakeContext = { now: T0, crisisPhrases: DEFAULT_CRISIS_PHRASES, defaultTimeZone: 'Europe/London' };
const ectx = { defaultTimeZone: 'Europe/London', contacts: { en: 'Emergency: 999', zh: '紧急电话：999' } };
const text = (t: string): IntakeInput => ({ kind: 'text', text: t });
const choice = (value: string): IntakeInput => ({ kind: 'choice', value });
const STEPS: Step[] = ['language', 'agreement', 'safety', ...QUESTION_STEPS, 'review'];

function walk(lang: Language, long = false): Map<Step, IntakeState> {
  const big = (c: string) => (long ? c.repeat(2000) : c);
  const inputs: IntakeInput[] = [
    choice(`lang:${lang}`),
    choice('agree'),
    choice('safety:yes'),
    text(long ? '名'.repeat(100) : 'Sam'),
    choice('cat:legal'),
    text(big('事')),
    text(big('😀')),
    text(big('w')),
    text(big('s')),
    choice('urgency:month'),
    text(long ? 'x'.repeat(200) : 'after 6'),
    choice('tz:Asia/Hong_Kong'),
  ];
  let s = startIntake({ languageCode: lang, defaultTimeZone: 'Europe/London', now: T0 }).state;
  const seen = new Map<Step, IntakeState>([[s.step, s]]);
  for (const input of inputs) {
    s = applyInput(s, input, ictx).state;
    seen.set(s.step, s);
  }
  return seen;
}

const fits = (r: Rendered) => {
  expect(r.text.length).toBeGreaterThan(0);
  expect(r.text.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
  for (const row of r.buttons) for (const b of row) expect(b.label.length).toBeGreaterThan(0);
};

describe('renderStep', () => {
  for (const lang of ['en', 'zh'] as const) {
    it(`renders every step in ${lang}, and every button is accepted by the machine`, () => {
      const states = walk(lang);
      for (const step of STEPS) {
        const s = states.get(step)!;
        const r = renderStep(s, i18n.fixed(lang), { defaultTimeZone: 'Europe/London', i18n });
        fits(r);
        for (const b of r.buttons.flat()) {
          const out = applyInput(s, choice(b.value), ictx);
          expect(out.effects, `${step} ${b.value}`).not.toContainEqual({ type: 'invalid', reason: 'unknown_choice' });
        }
      }
    });
  }

  it('language buttons put the suggested language first', () => {
    const zh = startIntake({ languageCode: 'zh-hk', defaultTimeZone: 'UTC', now: T0 }).state;
    expect(renderStep(zh, i18n.fixed('zh'), { defaultTimeZone: 'UTC' }).buttons[0]!.map((b) => b.value)).toEqual(['lang:zh', 'lang:en']);
  });

  it('agreement shows its version and the limits of confidentiality', () => {
    const s = walk('en').get('agreement')!;
    const r = renderStep(s, i18n.fixed('en'), { defaultTimeZone: 'UTC' });
    expect(r.text).toContain('2026-11-v1');
    expect(r.text).toMatch(/serious harm/);
    expect(r.text).toMatch(/court/);
    expect(r.buttons).toEqual([
      [
        { label: 'I agree', value: 'agree' },
        { label: 'Not now', value: 'decline' },
      ],
    ]);
  });

  it('time zone buttons: default first, labelled in the language', () => {
    const s = walk('zh').get('timezone')!;
    const r = renderStep(s, i18n.fixed('zh'), { defaultTimeZone: 'Europe/London', i18n });
    expect(r.buttons.flat()[0]).toEqual({ label: '伦敦', value: 'tz:Europe/London' });
    const odd = renderStep(s, i18n.fixed('zh'), { defaultTimeZone: 'America/Argentina/Buenos_Aires', i18n });
    expect(odd.buttons.flat()[0]!.label).toBe('America/Argentina/Buenos Aires');
  });
});

describe('renderReview', () => {
  it('shows every answer with labels, not codes', () => {
    const s = walk('en').get('review')!;
    const r = renderReview(s, i18n.fixed('en'), i18n);
    for (const v of ['Sam', 'Legal', 'This month', 'after 6', 'Hong Kong (Asia/Hong_Kong)']) expect(r.text).toContain(v);
    expect(r.text).not.toContain('cat:');
    expect(r.buttons.flat().map((b) => b.value)).toEqual([...QUESTION_STEPS.map((f) => `edit:${f}`), 'submit']);
    const zh = renderReview(walk('zh').get('review')!, i18n.fixed('zh'), i18n);
    expect(zh.text).toContain('法律');
    expect(zh.text).toContain('香港（Asia/Hong_Kong）');
    expect(zh.text).toContain('称呼：');
  });

  for (const lang of ['en', 'zh'] as const) {
    it(`stays under 4,096 with every answer at its limit (${lang}), truncating with an ellipsis`, () => {
      const s = walk(lang, true).get('review')!;
      expect(s.answers.story).toHaveLength(2000);
      const r = renderReview(s, i18n.fixed(lang), i18n);
      fits(r);
      expect(r.text).toContain('…');
      expect(r.text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/); // no broken emoji
      expect(s.answers.story).toHaveLength(2000); // full answer kept
    });
  }
});

describe('other renderers', () => {
  const en = i18n.fixed('en');
  const zh = i18n.fixed('zh');
  it('invalid messages state the limit', () => {
    expect(renderInvalid({ type: 'invalid', reason: 'too_long', field: 'story', limit: 2000 }, en).text).toContain('2,000');
    expect(renderInvalid({ type: 'invalid', reason: 'too_long', field: 'name', limit: 100 }, zh).text).toContain('100 字');
    expect(renderInvalid({ type: 'invalid', reason: 'unsupported_type', what: 'photo' }, en).text).toContain('use the buttons');
    expect(renderInvalid({ type: 'invalid', reason: 'finished' }, en, 'declined').text).toContain('/start');
  });
  it('crisis reply carries the configured contacts', () => {
    expect(renderCrisis('Call 999', zh).text).toContain('Call 999');
  });
  it('submitted, status, help, discreet, commands', () => {
    expect(renderSubmitted(en, { name: 'Sam', reference: 'C-2026-0042' }).text).toContain('C-2026-0042');
    for (const phase of ['intake', 'assessment', 'planning', 'implementation', 'evaluation', 'closed', 'withdrawn'] as const) {
      fits(renderStatus(zh, { reference: 'C-2026-0042', phase, nextAppointment: '11月5日 14:00' }));
    }
    expect(renderUnknownCommand(en, 'Call 999').text).toContain('/help');
    // /help names the configured emergency contacts, not just "the emergency number".
    expect(renderHelp(en, 'Emergency services: 112. Duty line: 0800 123').text).toContain(
      'If you are in danger, get help straight away:\nEmergency services: 112. Duty line: 0800 123',
    );
    expect(renderHelp(zh, '急救：120').text).toContain('如果您正处于危险之中，请马上求助：\n急救：120');
    expect(renderDiscreet(zh).text).toBe('您有一条新消息。');
    expect(botCommands(zh).map((c) => c.command)).toEqual([...BOT_COMMANDS]);
    for (const c of botCommands(en)) expect(c.command).toMatch(/^[a-z0-9_]{1,32}$/);
  });
  it('clampText never splits a surrogate pair', () => {
    const out = clampText('😀'.repeat(3000));
    expect(out.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
    expect(out.endsWith('😀…')).toBe(true);
  });
});

describe('renderEffects', () => {
  it('joins notes to the next question and keeps crisis replies separate', () => {
    const s = walk('en').get('category')!;
    const stale = applyInput(s, choice('agree'), ictx);
    const out = renderEffects(stale.state, stale.effects, i18n, ectx);
    expect(out).toHaveLength(1);
    expect(out[0]!.text).toMatch(/earlier message[\s\S]*What is the difficulty/);
    expect(out[0]!.buttons.flat()).toHaveLength(10);

    const c = applyInput(walk('zh').get('story')!, text('我想死'), ictx);
    const msgs = renderEffects(c.state, c.effects, i18n, ectx);
    expect(msgs).toHaveLength(2);
    expect(msgs[0]!.text).toContain('紧急电话：999');
    expect(msgs[0]!.buttons).toEqual([]);
    // The intake waits: the choice to go on, not the next question.
    expect(msgs[1]!.text).toBe(i18n.t('zh', 'crisis.pause'));
    expect(msgs[1]!.buttons.flat().map((b) => b.label)).toEqual(['继续我的求助', '现在不要']);
  });

  it('renders a whole conversation with nothing over the limit', () => {
    let s = startIntake({ languageCode: 'en', defaultTimeZone: 'Europe/London', now: T0 }).state;
    const inputs: IntakeInput[] = [
      text('hi'),
      choice('lang:zh'),
      choice('agree'),
      choice('safety:unsure'),
      { kind: 'unsupported', what: 'sticker' },
      text('小梅'),
      { kind: 'command', name: 'language' },
      choice('lang:en'),
      choice('cat:housing'),
      text('x'.repeat(2001)),
      text('y'.repeat(2000)),
      text('z'),
      choice('support:none'),
      choice('skip'),
      choice('urgency:today'),
      choice('avail:mornings'),
      text('Atlantis'),
      text('Taipei'),
      choice('edit:story'),
      text('shorter'),
      choice('submit'),
    ];
    const all: Rendered[] = [];
    for (const input of inputs) {
      const r = applyInput(s, input, ictx);
      s = r.state;
      all.push(...renderEffects(s, r.effects, i18n, ectx));
    }
    expect(s.step).toBe('submitted');
    all.forEach(fits);
    const texts = all.map((m) => m.text).join('\n---\n');
    expect(texts).toContain('好的，接下来我们用中文交流。');
    expect(texts).toContain('紧急电话：999');
    expect(texts).toContain('under 2,000 characters');
    expect(texts).toContain("I don't know that place");
  });
});
