/**
 * The languages clients can be served in: the one list (database checks, the
 * config, the intake, translations, crisis phrases and the bot's commands all
 * take it from here). Adding one also needs its texts (src/i18n) and a
 * migration for the database checks.
 */
export const LANGUAGES = ['en', 'zh'] as const;
export type Language = (typeof LANGUAGES)[number];

export function isLanguage(x: unknown): x is Language {
  return typeof x === 'string' && (LANGUAGES as readonly string[]).includes(x);
}

/** The locale dates are written in for a client of this language. */
export const DATE_LOCALE: Readonly<Record<Language, string>> = { en: 'en-GB', zh: 'zh-CN' };

/** A language's name in English, for staff; anything else reads as English (the default). */
const LANGUAGE_NAMES: Readonly<Record<Language, string>> = { en: 'English', zh: 'Chinese' };
export const languageName = (code: string | null | undefined): string => (isLanguage(code) ? LANGUAGE_NAMES[code] : LANGUAGE_NAMES.en);

/** The setting (src/config.ts) holding the emergency contacts told to a client of this language. */
export const EMERGENCY_CONTACTS_SETTING = { en: 'EMERGENCY_CONTACTS_EN', zh: 'EMERGENCY_CONTACTS_ZH' } as const satisfies Readonly<Record<Language, string>>;
