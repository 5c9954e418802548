/**
 * Crisis detection (pure). A message that says the client is in danger
 * interrupts whatever they are doing: the service answers at once with
 * emergency contacts and escalates to the on-call supervisor. It runs on
 * every client message, so it is synchronous and takes microseconds.
 *
 * Matching errs on the side of safety: a false alarm costs a kind message and a
 * supervisor's glance; a missed one can cost far more. Still, everyday
 * hyperbole ("this queue is killing me", 想死你了, 笑死我了) must not page anyone.
 *
 * Two layers, both always on: built-in patterns (crisis.patterns.en.ts / .zh.ts:
 * words between subject and verb, idioms excluded) and phrase lists — the
 * built-in DEFAULT_CRISIS_PHRASES plus what an agency configures, which only
 * ever adds (src/clients/crisis.service.ts crisisPhrases). Everything is
 * matched after normaliseForCrisis (zero-width characters, traditional
 * characters, k1ll, killll, k i l l). Measured by bench/crisis-detection.ts.
 */
import { normaliseForCrisis, squeezePattern, type CrisisText } from './crisis.normalise.js';
import { EN_PATTERNS, type PatternSpec } from './crisis.patterns.en.js';
import { ZH_PATTERNS } from './crisis.patterns.zh.js';
import { detectIntlCrisis } from './crisis.intl.js';
import { LANGUAGES, type Language } from '../lib/languages.js';

export { normaliseForMatch } from './crisis.normalise.js';

type CrisisLanguage = Language;

export interface CrisisPhrases {
  en: readonly string[];
  zh: readonly string[];
}

export interface CrisisMatch {
  /** The phrase as configured (not normalised), or the built-in pattern's label, for the escalation record. */
  phrase: string;
  /** Which list it came from. */
  language: CrisisLanguage;
}

/**
 * Built-in phrases, matched as whole words (English) or substrings (Chinese)
 * on top of the built-in patterns. Only phrases that are a crisis wherever
 * they appear belong here (not 想死, which is also "miss you"); the rest
 * are patterns. Config (CRISIS_PHRASES_EN / _ZH) adds to these.
 */
export const DEFAULT_CRISIS_PHRASES: CrisisPhrases = Object.freeze({
  en: Object.freeze([
    'kill myself',
    'killing myself',
    'end my life',
    'take my own life',
    'suicidal',
    "don't want to live",
    'better off dead',
    'self harm',
    'overdosed',
    'he hits me',
    'she hits me',
    'he beats me',
    'threatened to kill me',
    'being abused',
    'not safe at home',
    'scared for my life',
  ]),
  zh: Object.freeze(['我不想活了', '活不下去', '轻生', '结束生命', '割腕', '要打死我', '家里不安全', '在家不安全', '救救我']),
}) as CrisisPhrases;

interface Compiled {
  label: string;
  language: CrisisLanguage;
  re: RegExp;
  veto?: RegExp;
}

const compile = (specs: PatternSpec[], language: CrisisLanguage, squeeze: boolean): Compiled[] =>
  specs.map((p) => {
    const src = (s: string) => (squeeze ? squeezePattern(s) : s);
    return { label: p.label, language, re: new RegExp(src(p.re), 'u'), ...(p.veto ? { veto: new RegExp(src(p.veto), 'u') } : {}) };
  });

const BUILT_IN_EN = compile(EN_PATTERNS, 'en', true);
const BUILT_IN_ZH = compile(ZH_PATTERNS, 'zh', false);

interface Prepared {
  phrase: string;
  language: CrisisLanguage;
  needle: string;
  han: boolean;
}

/** A phrase right after one of these is denied or in the past ("I'm not suicidal", 我没有想自杀, 预防自杀), not a disclosure. */
const NEGATED_EN = /\b(?:not|never|no longer|used to|wont|didnt|isnt|wasnt|not going to|not gonna)(?: \S+)? $/;
const NEGATED_ZH = /(?:没有|没|不会|不想|从不|预防|防止|反|关于|以前|有没有)[^，]{0,2}$/;

function found(haystack: string, needle: string, negated: RegExp): boolean {
  for (let i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
    if (!negated.test(haystack.slice(Math.max(0, i - 24), i + (needle.startsWith(' ') ? 1 : 0)))) return true;
  }
  return false;
}

// Phrase lists rarely change (config, once per process); cache their prepared form.
const cache = new WeakMap<object, Prepared[]>();

function prepare(phrases: CrisisPhrases): Prepared[] {
  const hit = cache.get(phrases);
  if (hit) return hit;
  const out: Prepared[] = [];
  for (const language of LANGUAGES) {
    for (const phrase of phrases[language] ?? []) {
      const n = normaliseForCrisis(phrase);
      // A phrase with Chinese characters matches as a substring of the compact
      // Chinese form, wherever it was configured; anything else as whole words.
      if (n.hasHan) {
        const needle = n.han.replace(/，/g, '');
        if (needle) out.push({ phrase, language, needle, han: true });
      } else if (n.latin) {
        out.push({ phrase, language, needle: ` ${n.latin} `, han: false });
      }
    }
  }
  cache.set(phrases, out);
  return out;
}

function firstPattern(list: readonly Compiled[], text: string): Compiled | undefined {
  for (const p of list) if (p.re.test(text) && !p.veto?.test(text)) return p;
  return undefined;
}

/** The first crisis phrase (configured or built-in) or built-in pattern found in `text`, or null. */
export function detectCrisis(text: string, phrases: CrisisPhrases = DEFAULT_CRISIS_PHRASES): CrisisMatch | null {
  if (typeof text !== 'string' || text.length === 0) return null;
  const n: CrisisText = normaliseForCrisis(text);
  if (!n.latin && !n.hasHan) {
    const intl = detectIntlCrisis(text);
    return intl ? { phrase: `${intl.language}: ${intl.phrase}`, language: 'en' } : null;
  }
  // Phrases first, so the record names the agency's own phrase when that is what matched.
  const words = ` ${n.latin} `;
  const compact = n.han.replace(/，/g, '');
  for (const q of prepare(phrases)) {
    if (q.han ? found(compact, q.needle, NEGATED_ZH) : found(words, q.needle, NEGATED_EN)) return { phrase: q.phrase, language: q.language };
  }
  const p = (n.hasHan ? firstPattern(BUILT_IN_ZH, n.han) : undefined) ?? (n.hasLatin ? firstPattern(BUILT_IN_EN, n.latin) : undefined);
  if (p) return { phrase: p.label, language: p.language };
  // Other languages (crisis.intl.ts): the reply goes out in English unless the chat has a language of its own.
  const intl = detectIntlCrisis(text);
  return intl ? { phrase: `${intl.language}: ${intl.phrase}`, language: 'en' } : null;
}
