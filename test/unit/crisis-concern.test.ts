/**
 * The second net (crisis.concern.ts) and other languages (crisis.intl.ts): what each kind of
 * message gets. A message the patterns miss but that may be about danger gets the contacts and
 * "are you safe right now?"; an ordinary one gets neither; a crisis in Spanish, Russian or Arabic
 * pages like one in English.
 */
import { describe, expect, it } from 'vitest';
import { loadCorpus, loadNetSet, NET_SETS, score } from '../../bench/crisis-corpus.js';
import { detectConcern } from '../../src/intake/crisis.concern.js';
import { detectCrisis } from '../../src/intake/crisis.domain.js';

const reached = (t: string) => detectCrisis(t) !== null || detectConcern(t) !== null;

describe('what a message gets', () => {
  it.each([
    ["I drove out to the cliffs and I'm sitting in the car", 'place'],
    ["he keeps my passport and I'm not allowed out", 'control'],
    ["this is probably the last time you'll hear from me", 'farewell'],
    ['我坐在铁轨上', 'place'],
    ['前男友现在就在我楼下,已经站了两个小时,法院明明禁止他靠近我', 'control'],
  ])('%j: no page, a concern (%s)', (text, cue) => {
    expect(detectCrisis(text)).toBeNull();
    expect(detectConcern(text)?.cue).toBe(cue);
  });

  it.each([
    'can we move my appointment to Tuesday',
    'my phone died halfway through the call',
    "I'm scared of the job interview on Monday",
    'the landlord threatened to evict us',
    'I need a knife and fork set for the new flat',
    '暖气坏了，家里冷死了',
    'quiero una cita la semana que viene',
    // short words of other languages that live inside ordinary ones
    'أحتاج خدمة من البلدية',
    'ہمارا گھر بہت چھوٹا ہے',
    'я живу в місті з дітьми',
    'zabieram dzieci do szkoły o ósmej',
    'нам нужна новая кровать',
  ])('%j: neither', (text) => {
    expect(detectCrisis(text)).toBeNull();
    expect(detectConcern(text)).toBeNull();
  });

  it.each([
    ['mi esposo me pega', 'es: me pega'],
    ['я хочу умереть', 'ru: хочу умереть'],
    ['زوجي يضربني', 'ar: يضربني'],
    ['Chồng tôi đánh tôi', 'vi: đánh tôi'],
    ['ICH WILL STERBEN', 'de: will sterben'],
  ])('%j in another language is a crisis (%s), answered in English unless the chat has a language', (text, phrase) => {
    expect(detectCrisis(text)).toEqual({ phrase, language: 'en' });
  });

  it('another language\'s cue is not read into English ("danger" is French too)', () => {
    expect(detectConcern('the electrics in the flat are dangerous')).toBeNull();
    expect(detectConcern("J'ai peur, il a un couteau")?.language).toBe('fr');
  });
});

describe.each(NET_SETS)('both nets on %s', (name) => {
  const items = loadNetSet(name);
  it('reach at least 95% of the crisis messages (page or question) and ask at most 15% of the ordinary ones', () => {
    const s = score(items, reached);
    const detail = `missed: ${JSON.stringify(s.missed.map((m) => m.text))}\nasked: ${JSON.stringify(s.flagged.map((m) => m.text))}`;
    expect(s.recall, detail).toBeGreaterThanOrEqual(0.95);
    expect(s.falsePositiveRate, detail).toBeLessThanOrEqual(0.15);
  });
});

describe.each(['en', 'zh'] as const)('the concern question on the main %s corpus', (language) => {
  it('is asked of at most 8% of the ordinary messages (the near misses written to trip the detector)', () => {
    const ordinary = loadCorpus(language).filter((c) => !c.crisis);
    const asked = ordinary.filter((c) => detectCrisis(c.text) === null && detectConcern(c.text) !== null);
    expect(asked.length / ordinary.length, JSON.stringify(asked.map((a) => a.text))).toBeLessThanOrEqual(0.08);
  });
});
