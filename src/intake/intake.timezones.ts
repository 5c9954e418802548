import { isValidZone } from '../lib/time-zone.js';
import { normaliseForMatch } from './crisis.domain.js';
import type { Language } from './intake.types.js';

/** Common cities, both languages; keys are normalised with normaliseForMatch (spaces removed). */
const CITY_ZONES: Record<string, string> = {
  london: 'Europe/London',
  伦敦: 'Europe/London',
  倫敦: 'Europe/London',
  uk: 'Europe/London',
  manchester: 'Europe/London',
  曼彻斯特: 'Europe/London',
  edinburgh: 'Europe/London',
  beijing: 'Asia/Shanghai',
  北京: 'Asia/Shanghai',
  shanghai: 'Asia/Shanghai',
  上海: 'Asia/Shanghai',
  guangzhou: 'Asia/Shanghai',
  广州: 'Asia/Shanghai',
  shenzhen: 'Asia/Shanghai',
  深圳: 'Asia/Shanghai',
  china: 'Asia/Shanghai',
  中国: 'Asia/Shanghai',
  成都: 'Asia/Shanghai',
  武汉: 'Asia/Shanghai',
  杭州: 'Asia/Shanghai',
  hongkong: 'Asia/Hong_Kong',
  香港: 'Asia/Hong_Kong',
  hk: 'Asia/Hong_Kong',
  macau: 'Asia/Macau',
  macao: 'Asia/Macau',
  澳门: 'Asia/Macau',
  澳門: 'Asia/Macau',
  taipei: 'Asia/Taipei',
  台北: 'Asia/Taipei',
  臺北: 'Asia/Taipei',
  taiwan: 'Asia/Taipei',
  台湾: 'Asia/Taipei',
  台灣: 'Asia/Taipei',
  singapore: 'Asia/Singapore',
  新加坡: 'Asia/Singapore',
  kualalumpur: 'Asia/Kuala_Lumpur',
  吉隆坡: 'Asia/Kuala_Lumpur',
  tokyo: 'Asia/Tokyo',
  东京: 'Asia/Tokyo',
  seoul: 'Asia/Seoul',
  首尔: 'Asia/Seoul',
  newyork: 'America/New_York',
  nyc: 'America/New_York',
  纽约: 'America/New_York',
  紐約: 'America/New_York',
  losangeles: 'America/Los_Angeles',
  la: 'America/Los_Angeles',
  洛杉矶: 'America/Los_Angeles',
  洛杉磯: 'America/Los_Angeles',
  sanfrancisco: 'America/Los_Angeles',
  旧金山: 'America/Los_Angeles',
  vancouver: 'America/Vancouver',
  温哥华: 'America/Vancouver',
  toronto: 'America/Toronto',
  多伦多: 'America/Toronto',
  多倫多: 'America/Toronto',
  chicago: 'America/Chicago',
  芝加哥: 'America/Chicago',
  sydney: 'Australia/Sydney',
  悉尼: 'Australia/Sydney',
  雪梨: 'Australia/Sydney',
  melbourne: 'Australia/Melbourne',
  墨尔本: 'Australia/Melbourne',
  auckland: 'Pacific/Auckland',
  奥克兰: 'Pacific/Auckland',
  paris: 'Europe/Paris',
  巴黎: 'Europe/Paris',
  berlin: 'Europe/Berlin',
  柏林: 'Europe/Berlin',
  dublin: 'Europe/Dublin',
  都柏林: 'Europe/Dublin',
  utc: 'UTC',
  gmt: 'UTC',
};

const ZONE_SHORTLIST: Record<Language, readonly string[]> = {
  en: ['Europe/London', 'America/New_York', 'America/Los_Angeles', 'Australia/Sydney', 'Asia/Singapore'],
  zh: ['Asia/Shanghai', 'Asia/Hong_Kong', 'Asia/Taipei', 'Asia/Singapore', 'Europe/London'],
};

/** Time zone buttons: the configured default first, then a short list for the language (max 5). */
export function timezoneChoices(language: Language, defaultTimeZone: string): string[] {
  return [...new Set([defaultTimeZone, ...ZONE_SHORTLIST[language]])].slice(0, 5);
}

export function canonicalZone(zone: string): string | null {
  if (!isValidZone(zone)) return null;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** A typed city (English or Chinese) or IANA zone → canonical IANA zone, or null. */
export function resolveTimeZone(text: string): string | null {
  const trimmed = text.normalize('NFKC').trim();
  if (/^[A-Za-z]+(\/[A-Za-z0-9_+-]+)+$/.test(trimmed.replace(/ /g, '_')) || /^(utc|gmt)$/i.test(trimmed)) {
    const z = canonicalZone(trimmed.replace(/ /g, '_'));
    if (z) return z;
  }
  const key = normaliseForMatch(trimmed).replace(/ /g, '');
  const direct = CITY_ZONES[key] ?? CITY_ZONES[key.replace(/(市|时间|時間|time)$/u, '')];
  return direct ? canonicalZone(direct) : null;
}
