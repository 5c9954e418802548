import { describe, expect, it } from 'vitest';
import { en } from '../../src/i18n/en.js';
import { zh } from '../../src/i18n/zh.js';
import { allKeys, createI18n, type I18nKey } from '../../src/i18n/i18n.js';

const i18n = createI18n();

describe('locales', () => {
  it('have exactly the same keys', () => {
    expect(allKeys(zh).sort()).toEqual(allKeys(en).sort());
  });

  it('every key has non-empty text under 4,096 characters in both languages', () => {
    for (const key of allKeys(en) as I18nKey[]) {
      for (const lang of ['en', 'zh'] as const) {
        const text = i18n.t(lang, key, {
          contacts: 'x'.repeat(300),
          reference: 'C-2026-0042',
          name: 'Sam',
          limit: 2000,
          version: 'v',
          phase: 'p',
          detail: 'd',
          when: 'w',
          label: 'l',
          value: 'v',
          zone: 'z',
          mode: 'm',
          place: 'p',
          previous: 'Ana',
          date: '24 December',
          resource: 'Law Centre',
        });
        expect(text.length, `${lang} ${key}`).toBeGreaterThan(0);
        expect(text.length, `${lang} ${key}`).toBeLessThan(4096);
        expect(text, `${lang} ${key}`).not.toMatch(/\{\{|\}\}/);
        expect(i18n.has(lang, key), `${lang} ${key}`).toBe(true);
      }
    }
  });

  it('Chinese texts are really Chinese (not left in English)', () => {
    const sameAllowed = new Set(['language.prompt', 'language.en', 'language.zh', 'zones.UTC', 'review.line', 'review.zone']);
    for (const key of allKeys(en) as I18nKey[]) {
      if (sameAllowed.has(key)) continue;
      expect(i18n.t('zh', key), key).not.toBe(i18n.t('en', key));
      expect(i18n.t('zh', key), key).toMatch(/\p{Script=Han}/u);
    }
  });

  it('bot command descriptions fit the Bot API (3–256 characters)', () => {
    for (const lang of ['en', 'zh'] as const) {
      for (const key of Object.keys(en.commands)) {
        const d = i18n.t(lang, `commands.${key}` as I18nKey);
        expect(d.length).toBeGreaterThanOrEqual(lang === 'en' ? 3 : 2);
        expect(d.length).toBeLessThanOrEqual(256);
      }
    }
  });

  it('help lists every command in both languages', () => {
    for (const lang of ['en', 'zh'] as const) {
      for (const c of ['/help', '/status', '/language', '/cancel', '/stop', '/start', '/withdraw', '/mydata', '/forget', '/exit']) {
        expect(i18n.t(lang, 'help.text')).toContain(c);
      }
    }
  });
});

describe('createI18n', () => {
  it('interpolates without HTML escaping and without re-interpreting values', () => {
    expect(i18n.t('en', 'steps.category', { name: '<b>Ann & Bo</b>' })).toContain('Thank you, <b>Ann & Bo</b>.');
    expect(i18n.t('en', 'steps.category', { name: '{{name}} $t(safety.yes)' })).toContain('Thank you, {{name}} $t(safety.yes).');
  });

  it('states limits readably', () => {
    expect(i18n.t('en', 'invalid.too_long', { limit: 2000 })).toContain('under 2,000 characters');
    expect(i18n.t('en', 'invalid.too_long', { limit: 2000 })).toContain('Your earlier answers are saved');
    expect(i18n.t('zh', 'invalid.too_long', { limit: 2000 })).toContain('2000 字以内');
  });

  it('puts contacts and references where they belong', () => {
    expect(i18n.t('zh', 'crisis.reply', { contacts: '999' })).toContain('999');
    expect(i18n.t('en', 'submitted.next', { reference: 'C-2026-0042', name: 'Sam' })).toContain('C-2026-0042');
  });

  it('falls back to English for an unknown language and works synchronously', () => {
    expect(i18n.t('fr' as 'en', 'safety.yes')).toBe("Yes, I'm safe");
    expect(createI18n().fixed('zh')('safety.no')).toBe('不安全');
    expect(i18n.has('zh', 'zones.Asia/Tokyo')).toBe(false);
  });

  it('discreet notification reveals nothing', () => {
    expect(i18n.t('en', 'discreet.new_message')).toBe('You have a new message.');
  });
});
