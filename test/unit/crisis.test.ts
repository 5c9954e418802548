import { describe, expect, it } from 'vitest';
import { DEFAULT_CRISIS_PHRASES, detectCrisis, normaliseForMatch } from '../../src/intake/crisis.domain.js';

const hit = (text: string) => detectCrisis(text, DEFAULT_CRISIS_PHRASES);

describe('detectCrisis', () => {
  it('has the required phrases in both languages', () => {
    for (const p of ['kill myself', 'end my life', 'suicide', 'hurt myself', 'he hits me', 'she hits me', 'going to hurt me', 'not safe at home', 'in danger']) {
      expect(DEFAULT_CRISIS_PHRASES.en).toContain(p);
      expect(hit(`well, ${p}.`)?.phrase, p).toBe(p);
    }
    for (const p of ['我不想活了', '想死', '自杀', '自残', '伤害自己', '他打我', '她打我', '家暴', '有危险']) {
      expect(DEFAULT_CRISIS_PHRASES.zh).toContain(p);
      expect(hit(`其实${p}。`)?.language, p).toBe('zh');
    }
  });

  it('ignores case, punctuation, extra spaces and full-width letters', () => {
    for (const t of ['I want to kill myself', 'I want to KILL MYSELF!!', 'kill...myself', 'kill\n\n  myself', 'ＫＩＬＬ　ＭＹＳＥＬＦ', 'Suicide?', 'self-harm', "I don’t want to live"]) {
      expect(hit(t), t).not.toBeNull();
    }
    expect(hit('I want to kill myself')).toEqual({ phrase: 'kill myself', language: 'en' });
  });

  it('matches whole English words only', () => {
    const custom = { en: ['kill', 'hit me'], zh: [] };
    for (const t of ['I have a new skill', 'We saw a killer whale', 'Skilled worker', 'white meat']) {
      expect(detectCrisis(t, custom), t).toBeNull();
    }
    expect(detectCrisis('they want to kill', custom)).toEqual({ phrase: 'kill', language: 'en' });
    for (const t of ['I have a new skill', 'We saw a killer whale', 'skills and hobbies', 'danger zone', 'hurt myselfie']) {
      expect(hit(t), t).toBeNull();
    }
  });

  it('matches Chinese as substrings, across punctuation and spaces', () => {
    expect(hit('我真的不想活了……')).toEqual({ phrase: '不想活了', language: 'zh' });
    expect(hit('我不想活了')).toEqual({ phrase: '我不想活了', language: 'zh' });
    expect(hit('他 打 我')).toEqual({ phrase: '他打我', language: 'zh' });
    expect(hit('我想，死')).not.toBeNull();
    expect(hit('自殺')?.phrase).toBe('自殺');
  });

  it('returns null for ordinary messages', () => {
    for (const t of ['', '   ', 'My father keeps falling', '我和婆婆经常吵架', '😀😀', 'I am safe']) expect(hit(t), t).toBeNull();
  });

  it('uses the configured lists instead of the defaults', () => {
    const custom = { en: ['red flag'], zh: ['救救我'] };
    expect(detectCrisis('I want to kill myself', custom)).toBeNull();
    expect(detectCrisis('RED-FLAG', custom)).toEqual({ phrase: 'red flag', language: 'en' });
    expect(detectCrisis('请救救我', custom)).toEqual({ phrase: '救救我', language: 'zh' });
    // a CJK phrase configured in the English list still matches as a substring
    expect(detectCrisis('她打我了', { en: ['她打我'], zh: [] })).toEqual({ phrase: '她打我', language: 'en' });
    expect(detectCrisis('anything', { en: ['', '  ', '!!'], zh: [] })).toBeNull();
  });

  it('normalises consistently', () => {
    expect(normaliseForMatch('  Don’t   STOP—now! ')).toBe('dont stop now');
  });
});
