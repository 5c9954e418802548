/**
 * Crisis phrase detection (pure). A message that contains one of these phrases
 * interrupts whatever the client is doing: the service answers at once with
 * emergency contacts and escalates to the on-call supervisor.
 *
 * Matching errs on the side of safety: a false alarm costs a kind message and a
 * supervisor's glance; a missed one can cost far more. Still, English phrases
 * match whole words only, so "skill" never matches "kill".
 */

export type CrisisLanguage = 'en' | 'zh';

export interface CrisisPhrases {
  en: readonly string[];
  zh: readonly string[];
}

export interface CrisisMatch {
  /** The phrase as configured (not normalised), for the escalation record. */
  phrase: string;
  /** Which list it came from. */
  language: CrisisLanguage;
}

/**
 * Defaults; config (CRISIS_PHRASES_EN / CRISIS_PHRASES_ZH) can replace either list.
 * Variants are listed explicitly because matching does no stemming.
 */
export const DEFAULT_CRISIS_PHRASES: CrisisPhrases = Object.freeze({
  en: Object.freeze([
    // suicide
    'kill myself', 'killing myself', 'end my life', 'ending my life', 'end it all',
    'take my own life', 'suicide', 'suicidal', 'want to die', 'wanna die',
    "don't want to live", "don't want to be alive", 'no reason to live', 'better off dead',
    // self-harm
    'hurt myself', 'hurting myself', 'harm myself', 'harming myself', 'self harm',
    'cut myself', 'cutting myself', 'overdose',
    // violence at home
    'he hits me', 'she hits me', 'they hit me', 'he beats me', 'she beats me',
    'he hurts me', 'she hurts me', 'going to hurt me', 'going to kill me',
    'will kill me', 'threatened to kill me', 'domestic violence', 'being abused',
    'not safe at home',
    // immediate danger
    'in danger', 'not safe right now', 'afraid for my life', 'scared for my life',
  ]),
  zh: Object.freeze([
    // 自杀
    '我不想活了', '不想活了', '活不下去', '想死', '自杀', '自殺', '轻生', '结束生命',
    '结束自己的生命', '跳楼',
    // 自伤
    '自残', '自殘', '自伤', '割腕', '伤害自己', '傷害自己',
    // 家庭暴力
    '他打我', '她打我', '他们打我', '家暴', '家庭暴力', '要杀我', '要打死我',
    '家里不安全', '在家不安全',
    // 危险
    '有危险', '有危險', '很危险', '救命',
  ]),
}) as CrisisPhrases;

const HAN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const APOSTROPHES = /['\u2018\u2019\u02bc\uff07`]/g;
const PUNCT_OR_SYMBOL = /[\p{P}\p{S}]/gu;

/**
 * NFKC (full-width letters become ASCII), case-fold, drop apostrophes so
 * "don't" and "dont" agree, every other punctuation mark or symbol becomes a
 * space, whitespace collapses.
 */
export function normaliseForMatch(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(APOSTROPHES, '')
    .replace(PUNCT_OR_SYMBOL, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
}

interface Prepared {
  phrase: string;
  language: CrisisLanguage;
  needle: string;
  substring: boolean;
}

// Phrase lists rarely change (config, once per process); cache their prepared form.
const cache = new WeakMap<object, Prepared[]>();

function prepare(phrases: CrisisPhrases): Prepared[] {
  const hit = cache.get(phrases);
  if (hit) return hit;
  const out: Prepared[] = [];
  for (const language of ['en', 'zh'] as const) {
    for (const phrase of phrases[language] ?? []) {
      const norm = normaliseForMatch(phrase);
      if (!norm) continue;
      // Scripts without spaces between words (Chinese) match as substrings,
      // wherever the phrase was configured; everything else matches whole words.
      const substring = HAN.test(norm);
      out.push({ phrase, language, needle: substring ? norm.replace(/ /g, '') : ` ${norm} `, substring });
    }
  }
  cache.set(phrases, out);
  return out;
}

/** The first crisis phrase found in `text`, or null. */
export function detectCrisis(text: string, phrases: CrisisPhrases = DEFAULT_CRISIS_PHRASES): CrisisMatch | null {
  if (typeof text !== 'string' || text.length === 0) return null;
  const norm = normaliseForMatch(text);
  if (!norm) return null;
  const words = ` ${norm} `;
  const compact = norm.replace(/ /g, '');
  for (const p of prepare(phrases)) {
    const found = p.substring ? compact.includes(p.needle) : words.includes(p.needle);
    if (found) return { phrase: p.phrase, language: p.language };
  }
  return null;
}
