import { normaliseForMatch } from './crisis.domain.js';
import type { Step } from './intake.types.js';

/** Typed words accepted on the button steps that matter most. */
const WORDS: Record<string, string> = {
  english: 'lang:en',
  en: 'lang:en',
  英文: 'lang:en',
  英语: 'lang:en',
  中文: 'lang:zh',
  chinese: 'lang:zh',
  zh: 'lang:zh',
  简体中文: 'lang:zh',
  汉语: 'lang:zh',
  普通话: 'lang:zh',
};
const STEP_WORDS: Partial<Record<Step, Record<string, string>>> = {
  agreement: { 'i agree': 'agree', agree: 'agree', yes: 'agree', 我同意: 'agree', 同意: 'agree', 'not now': 'decline', 暂时不: 'decline', 不同意: 'decline' },
  safety: {
    yes: 'safety:yes',
    'i am safe': 'safety:yes',
    'im safe': 'safety:yes',
    安全: 'safety:yes',
    是: 'safety:yes',
    是的: 'safety:yes',
    no: 'safety:no',
    'not safe': 'safety:no',
    'im not safe': 'safety:no',
    不安全: 'safety:no',
    不是: 'safety:no',
    否: 'safety:no',
    'not sure': 'safety:unsure',
    'im not sure': 'safety:unsure',
    'i dont know': 'safety:unsure',
    不确定: 'safety:unsure',
    不知道: 'safety:unsure',
    说不清: 'safety:unsure',
  },
  support: {
    'no one': 'support:none',
    nobody: 'support:none',
    'no one right now': 'support:none',
    没有: 'support:none',
    没有人: 'support:none',
    目前没有: 'support:none',
  },
  strengths: { skip: 'skip', 跳过: 'skip' },
};

export function wordToChoice(step: Step, text: string): string | undefined {
  const key = normaliseForMatch(text);
  if (step === 'language') return WORDS[key];
  return STEP_WORDS[step]?.[key];
}
export function cleanText(text: string): string {
  // Control characters (except newlines and tabs) are never meaningful in an answer.
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim();
}

/** Format characters (zero-width space/joiners, BOM, bidi marks), fillers that render blank, and whitespace. */
// biome-ignore lint/suspicious/noMisleadingCharacterClass: the class lists invisible fillers on purpose, to find text that is only them.
const INVISIBLE = /[\p{Cf}\p{Z}\s\u115F\u1160\u3164\uFFA0\u2800\u034F\u180E]/gu;

export function hasVisibleText(text: string): boolean {
  return text.replace(INVISIBLE, '') !== '';
}
