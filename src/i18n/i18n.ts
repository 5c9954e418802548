import { createInstance, type i18n as I18next } from 'i18next';
import { en, type Locale } from './en.js';
import { zh } from './zh.js';
import { isLanguage as isLang, LANGUAGES, type Language as Lang } from '../lib/languages.js';

/**
 * One small i18next instance for client-facing text. Resources are bundled, so
 * it initialises synchronously. Output is plain text: interpolation does not
 * escape, and any renderer that ever uses parse_mode HTML must escape itself.
 */

/** The language list has one owner (./languages.ts); these names are kept for the translators' callers. */
export { isLanguage as isLang, type Language as Lang } from '../lib/languages.js';

type Leaves<T> = {
  [K in keyof T & string]: T[K] extends string ? K : `${K}.${Leaves<T[K]>}`;
}[keyof T & string];

/** Every translation key, e.g. 'steps.name' or 'review.edit.story'. */
export type I18nKey = Leaves<Locale>;
export type I18nVars = Record<string, string | number>;

/** A translator bound to one language. */
export type T = (key: I18nKey, vars?: I18nVars) => string;

export interface I18n {
  t(lang: Lang, key: I18nKey, vars?: I18nVars): string;
  /** A translator for one language (what renderers take). */
  fixed(lang: Lang): T;
  /** Whether `key` has a text in `lang` itself (not via fallback), for dynamic keys such as zones. */
  has(lang: Lang, key: string): boolean;
}

export function createI18n(): I18n {
  const inst: I18next = createInstance();
  void inst.init({
    resources: { en: { translation: en }, zh: { translation: zh } },
    lng: 'en',
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    initAsync: false,
    // Zone keys contain '/', texts contain ':' — neither is a separator here.
    nsSeparator: false,
    keySeparator: '.',
    interpolation: { escapeValue: false },
    returnNull: false,
    returnEmptyString: false,
  });
  const raw = inst.t.bind(inst) as unknown as (key: string, opts: Record<string, unknown>) => string;
  const t = (lang: Lang, key: I18nKey, vars?: I18nVars): string => {
    // Vars go under `replace` so a variable can never be mistaken for an i18next option (lng, count, ...).
    return raw(key, { lng: isLang(lang) ? lang : 'en', replace: vars ?? {} });
  };
  return {
    t,
    fixed: (lang) => (key, vars) => t(lang, key, vars),
    has: (lang, key) => inst.exists(key, { lng: lang, fallbackLng: false }),
  };
}

/** Every key of a locale object (for tests and tooling). */
export function allKeys(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) => (typeof v === 'string' ? [prefix + k] : allKeys(v as object, `${prefix}${k}.`)));
}
