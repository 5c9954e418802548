/**
 * Text normalisation for matching (pure). Two strengths:
 *  - normaliseForMatch: gentle (NFKC, case, punctuation), also used for city
 *    names in the intake, so its behaviour must stay as it is;
 *  - normaliseForCrisis: everything a person (or a keyboard) does to the
 *    words that matter — invisible characters, traditional characters,
 *    look-alike letters, digits for letters (k1ll, 5uicide), repeated letters
 *    (killll), spaced-out letters (k i l l). Patterns are matched against this
 *    form; see squeezePattern for how they are written to agree with it.
 */
import * as OpenCC from 'opencc-js/t2cn';

const APOSTROPHES = /['\u2018\u2019\u02bc\uff07`]/g;
const PUNCT_OR_SYMBOL = /[\p{P}\p{S}]/gu;

/**
 * NFKC (full-width letters become ASCII), case-fold, drop apostrophes so
 * "don't" and "dont" agree, every other punctuation mark or symbol becomes a
 * space, whitespace collapses.
 */
export function normaliseForMatch(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(APOSTROPHES, '').replace(PUNCT_OR_SYMBOL, ' ').replace(/\s+/gu, ' ').trim();
}

// Traditional (Taiwan, Hong Kong) → simplified, phrase-aware (OpenCC's own
// dictionaries). Built once per process (~0.2 s), not on the first crisis.
const toSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' });

const HAN = /\p{Script=Han}/u;
/** Per character: does OpenCC change it? Most messages are simplified already and skip the converter. */
const isTraditional = new Map<string, boolean>();
function toSimplifiedIfNeeded(s: string): string {
  for (const c of s) {
    if (c < '\u2e80') continue;
    let t = isTraditional.get(c);
    if (t === undefined) {
      t = HAN.test(c) && toSimplified(c) !== c;
      isTraditional.set(c, t);
    }
    if (t) return toSimplified(s);
  }
  return s;
}
/** Invisible characters people (and some keyboards) put inside words: zero-width, bidi, soft hyphen, variation selectors, combining marks. */
// biome-ignore lint/suspicious/noMisleadingCharacterClass: the class lists combining marks on purpose, to strip them one by one.
const INVISIBLE = /[\p{Cf}\p{Mn}\p{Me}\u034f\u115f\u1160\u3164\uffa0]/gu;
const CONTROL = /[\p{Cc}\u2028\u2029]/gu;
/** Cyrillic and Greek letters that look like Latin ones (the common confusables only). */
const LOOKALIKE: Record<string, string> = {
  а: 'a',
  е: 'e',
  о: 'o',
  р: 'p',
  с: 'c',
  у: 'y',
  х: 'x',
  і: 'i',
  ј: 'j',
  к: 'k',
  м: 'm',
  т: 't',
  н: 'h',
  в: 'b',
  ѕ: 's',
  ԁ: 'd',
  α: 'a',
  ε: 'e',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  ι: 'i',
  κ: 'k',
  ν: 'v',
};
const LOOKALIKE_RE = new RegExp(`[${Object.keys(LOOKALIKE).join('')}]`, 'g');
/** Digits and symbols used for letters inside a word (k1ll, 5uicide, $uicide, k!ll, h@te). */
const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', $: 's', '@': 'a', '!': 'i', '|': 'l' };
// Runs of word characters and stand-ins (linear: no backtracking on a long run without letters).
const LEET_TOKEN = /[a-z0-9$@!|]+/g;
/** Tokens that are numbers with a unit or an ordinal, not disguised words (20mg, 3pm, 2nd). */
const LEET_CHAR = /[0-9$@!|]/;
const ASCII_ONLY = /^[\x00-\x7f]*$/;
const NUMBER_WITH_UNIT = /^\d+(st|nd|rd|th|am|pm|mg|ml|mcg|kg|g|k|m|x|s|h|hr|hrs|min|mins|yr|yrs|p|gb|mb|lbs?)$/;
/** "want 2 die": a lone 2 after these words is "to". */
const TWO_AS_TO = /\b(want|wanna|wanted|going|gonna|have|need|ready|trying|try|deserve|like)\s2\b/g;

function deLeet(token: string): string {
  // Leading/trailing ! and | are punctuation ("help me!"), not letters.
  if (!/[a-z]/.test(token)) return token;
  const m = /^([!|]*)([\s\S]*?)([!|]*)$/.exec(token)!;
  const core = m[2]!;
  if (!/[a-z]/.test(core) || !/[0-9$@!|]/.test(core) || NUMBER_WITH_UNIT.test(core)) return token;
  return `${m[1]}${core.replace(/[0-9$@!|]/g, (c) => LEET[c] ?? c)}${m[3]}`;
}

/** Collapse every run of a repeated Latin letter to one: "killll" and "kill" both become "kil". */
function squeezeLetters(s: string): string {
  return s.replace(/([a-z])\1+/g, '$1');
}

/** "k i l l m y s e l f" → "killmyself": three or more single letters in a row are one word spelled out. */
function joinSpelledOut(s: string): string {
  return s.replace(/\b[a-z](?: [a-z]\b){2,}/g, (run) => run.replace(/ /g, ''));
}

export interface CrisisText {
  /** Lower-case, Latin letters de-disguised and squeezed, punctuation as spaces; Han characters kept (simplified). */
  latin: string;
  /** Simplified Chinese with spaces removed between characters and punctuation collapsed to "，". */
  han: string;
  hasLatin: boolean;
  hasHan: boolean;
}

export function normaliseForCrisis(text: string): CrisisText {
  let s = text.normalize('NFKD').replace(INVISIBLE, '').normalize('NFKC').replace(CONTROL, ' ');
  const hasHan = HAN.test(s);
  if (hasHan) s = toSimplifiedIfNeeded(s);
  s = s.toLowerCase();
  if (!ASCII_ONLY.test(s)) s = s.replace(LOOKALIKE_RE, (c) => LOOKALIKE[c] ?? c);
  s = s.replace(APOSTROPHES, '');
  const han = hasHan
    ? s
        .replace(/[\p{P}\p{S}]+/gu, '，')
        .replace(/\s+/gu, '')
        .replace(/，+/g, '，')
    : '';
  // No Latin letter or digit (most Chinese messages): nothing for the English patterns or phrases to see.
  if (!/[a-z0-9]/.test(s)) return { latin: '', han, hasLatin: false, hasHan };
  let latin = LEET_CHAR.test(s) ? s.replace(LEET_TOKEN, deLeet).replace(TWO_AS_TO, '$1 to') : s;
  latin = latin.replace(PUNCT_OR_SYMBOL, ' ').replace(/\s+/gu, ' ').trim();
  latin = squeezeLetters(joinSpelledOut(latin));
  return { latin, han, hasLatin: /[a-z]/.test(latin), hasHan };
}

/**
 * A pattern written for ordinary spelling ("kill myself", "\\bwill\\b") made to
 * agree with squeezed text: repeated plain letters collapse, escape sequences
 * (\b, \s, \w …) are left alone.
 */
export function squeezePattern(source: string): string {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      out += c + (source[i + 1] ?? '');
      i++;
      continue;
    }
    const prev = out[out.length - 1];
    const prevEscaped = out.length >= 2 && out[out.length - 2] === '\\';
    if (/[a-z]/.test(c) && c === prev && !prevEscaped) continue;
    out += c;
  }
  return out;
}
