/**
 * Crisis words in languages the service does not speak (pure). Clients may not
 * be fluent in English or Chinese; a person in danger writes in the language
 * they think in. Two lists per language, both matched against normaliseIntl:
 *
 *  - PHRASES: said this way, it is a crisis ("quiero morir", "mon mari me
 *    frappe", "я хочу умереть"): the emergency reply and the on-call page, as
 *    for the English and Chinese patterns;
 *  - CUES (crisis.cues.intl.ts): words that may be about danger ("matar", "peur", "нож"): not enough
 *    to page anyone, enough to ask "are you safe right now?" with the emergency
 *    contacts (crisis.concern.ts).
 *
 * Written in ordinary spelling; normaliseIntl removes accents, apostrophes and
 * invisible characters on both sides, so "morirme", "MORIRME" and "morírme" agree.
 */

import { INTL_CUES } from './crisis.cues.intl.js';

/** NFKC, lower case, letters stripped of marks (é→e, ё→е, أ→ا), a few letters with no decomposition mapped, punctuation → space. */
function normaliseIntl(text: string): string {
  return ` ${text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\p{Cf}/gu, '')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[łđßıøæœ]/g, (c) => ({ ł: 'l', đ: 'd', ß: 'ss', ı: 'i', ø: 'o', æ: 'ae', œ: 'oe' })[c] ?? c)
    .replace(/[ى]/g, 'ي')
    .replace(/['\u2018\u2019\u02bc\uff07`]/g, '')
    .replace(/[\p{P}\p{S}\d]/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim()} `;
}

/** language code → phrases (a crisis wherever they appear, matched as whole words). */
const PHRASES: Record<string, readonly string[]> = {
  es: [
    'quiero morir',
    'quiero morirme',
    'me quiero morir',
    'no quiero vivir',
    'no quiero seguir viviendo',
    'me voy a suicidar',
    'me quiero suicidar',
    'voy a suicidarme',
    'quitarme la vida',
    'me voy a matar',
    'matarme',
    'me quiere matar',
    'me va a matar',
    'nos va a matar',
    'nos quiere matar',
    'me pega',
    'me golpea',
    'nos pega',
    'me maltrata',
    'me violo',
    'me amenaza con',
    'quiero desaparecer para siempre',
  ],
  fr: [
    'je veux mourir',
    'envie de mourir',
    'me suicider',
    'je vais me tuer',
    'va me tuer',
    'veut me tuer',
    'va nous tuer',
    'me frappe',
    'nous frappe',
    'me bat',
    'me battre',
    'ma violee',
    'mettre fin a mes jours',
    'en finir avec la vie',
    'me menace de',
  ],
  pt: [
    'quero morrer',
    'me matar',
    'vou me matar',
    'vai me matar',
    'quer me matar',
    'me bate',
    'me espanca',
    'me suicidar',
    'nao quero viver',
    'tirar minha vida',
    'tirar a minha vida',
  ],
  it: ['voglio morire', 'mi uccido', 'uccidermi', 'mi picchia', 'mi ammazza', 'mi uccidera', 'non voglio vivere', 'ammazzarmi'],
  de: [
    'will sterben',
    'mochte sterben',
    'bringe mich um',
    'mich umbringen',
    'mich umzubringen',
    'schlagt mich',
    'bringt mich um',
    'nicht mehr leben',
    'mir das leben nehmen',
    'schlagt uns',
  ],
  ru: [
    'хочу умереть',
    'покончу с собой',
    'покончить с собой',
    'убью себя',
    'убить себя',
    'бьет меня',
    'меня бьет',
    'меня убьет',
    'убьет меня',
    'не хочу жить',
    'изнасиловал',
    'хочет меня убить',
    'избивает',
  ],
  uk: ['хочу вмерти', 'не хочу жити', 'бє мене', 'мене бє', 'вбє мене', 'мене вбє', 'покінчу з собою', 'вбю себе', 'бю себе'],
  ar: ['اريد ان اموت', 'أريد أن أموت', 'سأقتل نفسي', 'اقتل نفسي', 'سانتحر', 'سأنتحر', 'يضربني', 'سيقتلني', 'يريد قتلي', 'يهددني بالقتل', 'بدي موت'],
  fa: ['میخواهم بمیرم', 'می‌خواهم بمیرم', 'میخوام بمیرم', 'خودکشی کنم', 'خودمو میکشم', 'منو میزنه', 'مرا میزند', 'منو میکشه', 'مرا میکشد'],
  vi: ['muốn chết', 'tự tử', 'đánh tôi', 'giết tôi', 'không muốn sống', 'tự sát'],
  pl: ['chcę umrzeć', 'zabiję się', 'zabić się', 'bije mnie', 'mnie bije', 'nie chcę żyć', 'zabije mnie', 'chcę się zabić'],
  tr: ['ölmek istiyorum', 'kendimi öldüreceğim', 'kendimi öldür', 'beni dövüyor', 'beni öldürecek', 'intihar edeceğim', 'yaşamak istemiyorum', 'intihar etmek'],
  ro: ['vreau să mor', 'mă sinucid', 'mă bate', 'mă omoară', 'nu mai vreau să trăiesc'],
  hi: ['मरना चाहता', 'मरना चाहती', 'आत्महत्या कर', 'मुझे मारता', 'मुझे मारती', 'मार डालेगा', 'जीना नहीं चाहता', 'जीना नहीं चाहती', 'खुद को मार'],
  ur: ['مرنا چاہتا', 'مرنا چاہتی', 'خودکشی کر', 'مجھے مارتا', 'مجھے مار دے گا', 'جینا نہیں چاہتا', 'جینا نہیں چاہتی'],
  tl: ['gusto ko nang mamatay', 'magpapakamatay', 'papatayin niya ako', 'sinasaktan niya ako', 'binubugbog ako', 'ayoko nang mabuhay'],
};

const ARABIC = /\p{Script=Arabic}/u;

interface Needle {
  language: string;
  text: string;
  needle: string;
}

const prep = (list: Record<string, readonly string[]>, asStem: boolean): Needle[] =>
  Object.entries(list).flatMap(([language, words]) =>
    words.map((text) => {
      const n = normaliseIntl(text);
      // A phrase matches as whole words (" quiero morir "); a stem at the start of a word (" matar" in " matarlo ").
      // Arabic script joins the article and other prefixes to the word (الحبوب): match anywhere.
      if (ARABIC.test(text)) return { language, text, needle: n.trim() };
      return { language, text, needle: asStem && !text.endsWith(' ') ? n.trimEnd() : n };
    }),
  );

const PHRASE_NEEDLES = prep(PHRASES, false);
const CUE_NEEDLES = prep(INTL_CUES, true);

export interface IntlMatch {
  language: string;
  phrase: string;
}

function first(normalised: string, needles: readonly Needle[]): IntlMatch | null {
  for (const n of needles) if (normalised.includes(n.needle)) return { language: n.language, phrase: n.text };
  return null;
}

/** A crisis phrase in one of the languages above (the caller has already tried English and Chinese). */
export function detectIntlCrisis(text: string): IntlMatch | null {
  return first(normaliseIntl(text), PHRASE_NEEDLES);
}

/** A word that may be about danger in one of the languages above. */
export function intlConcernCue(text: string): IntlMatch | null {
  return first(normaliseIntl(text), CUE_NEEDLES);
}
