import { DateTime, Duration, type DurationLike } from 'luxon';
import { z } from 'zod';
import { detectCrisis, normaliseForMatch, type CrisisPhrases } from './crisis.domain.js';
import { LANGUAGES, type Language } from '../lib/languages.js';
import { CATEGORIES, type Category } from '../lib/categories.js';
import { isValidZone } from '../lib/time-zone.js';

/**
 * The client intake as a pure step machine: (state, input, ctx) → (state, effects).
 * State is a plain JSON object (stored as jsonb); effects are data that the
 * service acts on (reply, record consent, escalate, create the case).
 */

export const AGREEMENT_VERSION = '2026-11-v1';

export { LANGUAGES, type Language };

export { CATEGORIES };

export const URGENCIES = ['today', 'week', 'month', 'no_rush'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const AVAILABILITY_SLOTS = ['mornings', 'afternoons', 'evenings', 'anytime'] as const;
export type AvailabilitySlot = (typeof AVAILABILITY_SLOTS)[number];

export type Safety = 'safe' | 'unsafe' | 'unsure';
export type Priority = 'crisis' | 'high' | 'normal' | 'low';

/** The questions, in order; each is also an editable field on the review. */
export const QUESTION_STEPS = ['name', 'category', 'story', 'change', 'support', 'strengths', 'urgency', 'availability', 'timezone'] as const;
export type Field = (typeof QUESTION_STEPS)[number];

export const STEP_ORDER = ['language', 'agreement', 'safety', ...QUESTION_STEPS, 'review', 'submitted'] as const;
export type Step = (typeof STEP_ORDER)[number] | 'declined';
export const TERMINAL_STEPS: readonly Step[] = ['submitted', 'declined'];

/** Free-text fields and their default limits in characters (code points). */
export const DEFAULT_LIMITS = {
  name: 100,
  story: 2000,
  change: 2000,
  support: 2000,
  strengths: 2000,
  availability: 200,
  timezone: 100,
} as const;
export type LimitField = keyof typeof DEFAULT_LIMITS;
export type Limits = Record<LimitField, number>;

export interface IntakeAnswers {
  name?: string;
  category?: Category;
  story?: string;
  change?: string;
  support?: { kind: 'text'; text: string } | { kind: 'none' };
  strengths?: { kind: 'text'; text: string } | { kind: 'skipped' };
  urgency?: Urgency;
  availability?: { kind: 'slot'; slot: AvailabilitySlot } | { kind: 'text'; text: string };
  timezone?: string;
}

export interface Agreement {
  version: string;
  language: Language;
  at: string;
}

export interface IntakeState {
  v: 1;
  step: Step;
  language: Language;
  answers: IntakeAnswers;
  /** Set while a field is being changed from the review; answering returns to review. */
  editing?: Field;
  /** Where to go back to after /language. */
  resume?: Step;
  agreement?: Agreement;
  safety?: Safety;
  /** A crisis was reported in this intake (safety check "no" or a crisis phrase). */
  crisis: boolean;
  /**
   * Waiting after a crisis reply: no next question until the client chooses
   * [Continue my request] (or /start); what they write meanwhile is kept for the worker.
   */
  paused?: boolean;
  /** The client's last text message and where it went: a part that follows it at once is gathered there. */
  recent?: Recent;
  /** Text that could not be an answer (a button step, too long, the rest of a quick burst): kept for the worker. */
  notes?: string[];
  startedAt: string;
  updatedAt: string;
}

export interface Recent {
  messageId?: number;
  /** Telegram message date (Unix seconds). */
  sentAt?: number;
  into: { kind: 'answer'; field: LimitField } | { kind: 'note' };
}

export type UnsupportedKind = 'photo' | 'voice' | 'sticker' | 'location' | 'contact' | 'document' | 'other';

export type IntakeInput =
  /** messageId/sentAt (Telegram message_id and date): how parts of one burst are recognised. */
  | { kind: 'text'; text: string; messageId?: number; sentAt?: number }
  | { kind: 'choice'; value: string }
  /** "No, I'm not safe" to the question a worrying message raised (crisis.concern.ts), at any step. */
  | { kind: 'unsafe' }
  | { kind: 'unsupported'; what: UnsupportedKind }
  /** language: show the language picker, then come back; repeat: ask the current step again (e.g. /start mid-way). */
  | { kind: 'command'; name: 'language' | 'repeat' };

export type InvalidReason = 'empty' | 'invisible' | 'too_long' | 'unsupported_type' | 'unknown_choice' | 'unknown_timezone' | 'use_buttons' | 'finished';

export type IntakeEffect =
  | { type: 'ask'; step: Step }
  | { type: 'invalid'; reason: 'too_long'; field: LimitField; limit: number }
  | { type: 'invalid'; reason: 'unsupported_type'; what: UnsupportedKind }
  | { type: 'invalid'; reason: Exclude<InvalidReason, 'too_long' | 'unsupported_type'> }
  | { type: 'language_changed'; language: Language }
  | { type: 'agreement_given'; version: string; language: Language; at: string }
  | { type: 'agreement_declined'; language: Language; at: string }
  | { type: 'crisis'; source: 'safety_check' | 'phrase'; phrase?: string; phraseLanguage?: Language }
  /** Safety check "not sure": show emergency contacts, then carry on. */
  | { type: 'emergency_contacts' }
  /** After a crisis reply: offer [Continue my request] [Not now] instead of the next question. */
  | { type: 'paused' }
  /** "Not now" while paused: everything is kept; /start carries on. */
  | { type: 'pause_later' }
  /** Text written while paused: not an answer; kept on the case for the worker. */
  | { type: 'held_for_worker'; text: string }
  | { type: 'show_review' }
  /** The next part of a quick burst (or of a paste Telegram split) was added to this answer. */
  | { type: 'gathered'; field: LimitField }
  /** Text that is not an answer here was kept for the worker (it reaches them with the request). */
  | { type: 'kept_note' }
  /** The notes for the worker are full: this text was not kept (the client is told so). */
  | { type: 'notes_full' }
  | {
      type: 'submit';
      priority: Priority;
      language: Language;
      answers: Required<Pick<IntakeAnswers, 'name' | 'category' | 'story' | 'change' | 'support' | 'strengths' | 'urgency' | 'availability' | 'timezone'>>;
      agreement: Agreement;
      safety: Safety;
      crisis: boolean;
    };

export interface IntakeContext {
  now: DateTime;
  crisisPhrases: CrisisPhrases;
  defaultTimeZone: string;
  limits?: Partial<Limits>;
  /** A text sent less than this many seconds after the previous one belongs with it (0: only parts sent back to back). */
  gatherSeconds?: number;
}

/** Bounds on what a draft keeps for the worker. */
export const MAX_NOTES = 20;
export const NOTE_MAX_CHARS = 10_000;
/** The long answers take further parts; a short one (name, time zone) sends them to the notes. */
const GATHERED_FIELDS: readonly LimitField[] = ['story', 'change', 'support', 'strengths'];

export interface IntakeResult {
  state: IntakeState;
  effects: IntakeEffect[];
}

export function languageFromCode(code: string | undefined | null): Language {
  return code?.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

const iso = (now: DateTime): string => now.toUTC().toISO() ?? new Date(now.toMillis()).toISOString();

export function startIntake(opts: { languageCode?: string | null; defaultTimeZone: string; now: DateTime }): IntakeResult {
  const at = iso(opts.now);
  const state: IntakeState = {
    v: 1,
    step: 'language',
    language: languageFromCode(opts.languageCode),
    answers: {},
    crisis: false,
    startedAt: at,
    updatedAt: at,
  };
  return { state, effects: [{ type: 'ask', step: 'language' }] };
}

export function priorityFrom(urgency: Urgency | undefined, safety: Safety | undefined, crisis: boolean): Priority {
  if (crisis || safety === 'unsafe') return 'crisis';
  if (urgency === 'today' || safety === 'unsure') return 'high';
  if (urgency === 'no_rush') return 'low';
  return 'normal';
}

// ---------- time zones ----------

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

function canonicalZone(zone: string): string | null {
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

// ---------- typed words accepted on button steps that matter most ----------

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

function wordToChoice(step: Step, text: string): string | undefined {
  const key = normaliseForMatch(text);
  if (step === 'language') return WORDS[key];
  return STEP_WORDS[step]?.[key];
}

// ---------- the machine ----------

const FREE_TEXT: Partial<Record<Step, LimitField>> = {
  name: 'name',
  story: 'story',
  change: 'change',
  support: 'support',
  strengths: 'strengths',
  availability: 'availability',
  timezone: 'timezone',
};

export function isTerminal(state: Pick<IntakeState, 'step'>): boolean {
  return TERMINAL_STEPS.includes(state.step);
}

function nextStep(step: Step): Step {
  const i = (STEP_ORDER as readonly Step[]).indexOf(step);
  return (STEP_ORDER[i + 1] ?? 'review') as Step;
}

/** Leaves the current step after a valid answer: back to review when editing, else onwards. */
function advance(s: IntakeState, effects: IntakeEffect[]): IntakeResult {
  if (s.editing || s.step === 'review') {
    const { editing: _e, ...rest } = s;
    return { state: { ...rest, step: 'review' }, effects: [...effects, { type: 'show_review' }] };
  }
  const step = nextStep(s.step);
  return { state: { ...s, step }, effects: [...effects, askFor(step)] };
}

/** The prompt for a step: the review is shown rather than asked. */
export const askFor = (step: Step): IntakeEffect => (step === 'review' ? { type: 'show_review' } : { type: 'ask', step });

const invalid = (s: IntakeState, pre: IntakeEffect[], e: IntakeEffect): IntakeResult => ({ state: s, effects: [...pre, e, askFor(s.step)] });

function cleanText(text: string): string {
  // Control characters (except newlines and tabs) are never meaningful in an answer.
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim();
}

/** Format characters (zero-width space/joiners, BOM, bidi marks), fillers that render blank, and whitespace. */
// biome-ignore lint/suspicious/noMisleadingCharacterClass: the class lists invisible fillers on purpose, to find text that is only them.
const INVISIBLE = /[\p{Cf}\p{Z}\s\u115F\u1160\u3164\uFFA0\u2800\u034F\u180E]/gu;

export function hasVisibleText(text: string): boolean {
  return text.replace(INVISIBLE, '') !== '';
}

export function applyInput(state: IntakeState, input: IntakeInput, ctx: IntakeContext): IntakeResult {
  const s: IntakeState = { ...state, answers: { ...state.answers }, updatedAt: iso(ctx.now) };
  const limits: Limits = { ...DEFAULT_LIMITS, ...ctx.limits };
  const pre: IntakeEffect[] = [];

  if (input.kind === 'unsafe') {
    s.crisis = true;
    pre.push({ type: 'crisis', source: 'safety_check' });
  }
  if (input.kind === 'text') {
    const match = detectCrisis(input.text, ctx.crisisPhrases);
    if (match) {
      s.crisis = true;
      pre.push({ type: 'crisis', source: 'phrase', phrase: match.phrase, phraseLanguage: match.language });
    }
  }
  if (isTerminal(s)) return { state: s, effects: [...pre, { type: 'invalid', reason: 'finished' }] };
  // A crisis phrase is never taken as an answer (the client's words are kept as a crisis
  // note on the case by the crisis path), and the next question waits until they choose.
  if (pre.length) return { state: { ...s, paused: true }, effects: [...pre, { type: 'paused' }] };
  if (s.paused) return whilePaused(s, input);

  if (input.kind === 'unsupported') return invalid(s, pre, { type: 'invalid', reason: 'unsupported_type', what: input.what });

  if (input.kind === 'command') {
    if (input.name === 'language' && s.step !== 'language') {
      return { state: { ...s, resume: s.step, step: 'language' }, effects: [{ type: 'ask', step: 'language' }] };
    }
    return { state: s, effects: [askFor(s.step)] };
  }
  // (An "unsafe" input always pauses above.)
  if (input.kind === 'unsafe') return { state: s, effects: [askFor(s.step)] };

  let choice: string | undefined;
  let text: string | undefined;
  if (input.kind === 'choice') {
    choice = input.value;
    delete s.recent;
  } else {
    text = cleanText(input.text);
    if (text && s.recent && isSamePart(s.recent, input, ctx.gatherSeconds ?? 0)) return gather(s, s.recent, text, input, limits);
    choice = wordToChoice(s.step, text);
  }
  const field = FREE_TEXT[s.step];

  if (text !== undefined && choice === undefined) {
    const at = input.kind === 'text' ? input : {};
    if (text === '') return invalid(s, pre, { type: 'invalid', reason: 'empty' });
    // Only zero-width or blank-looking characters: nothing a person could read (a name of "\u200b" is no name).
    if (!hasVisibleText(text)) return invalid(s, pre, { type: 'invalid', reason: 'invisible' });
    // Not an answer here, but the client wrote it: it is kept for the worker, and they are told so.
    if (!field) return keepNote(s, text, at, false, { type: 'invalid', reason: 'use_buttons' });
    if ([...text].length > limits[field]) return keepNote(s, text, at, false, { type: 'invalid', reason: 'too_long', field, limit: limits[field] });
    const res = answerText(s, field, text, pre);
    if (!res.effects.some((e) => e.type === 'invalid')) {
      res.state.recent = recentOf(at, { kind: 'answer', field });
    }
    return res;
  }
  return answerChoice(s, choice ?? '', pre, ctx);
}

// ---------- quick bursts and split pastes ----------

/**
 * Another part of the same message: sent straight after the previous one (nothing
 * between them in the chat: a paste Telegram split at 4,096 characters), or within
 * `gatherSeconds` of it — sooner than anyone could read the next question.
 */
function isSamePart(recent: Recent, input: { messageId?: number; sentAt?: number }, gatherSeconds: number): boolean {
  if (recent.messageId !== undefined && input.messageId === recent.messageId + 1) return true;
  return (
    gatherSeconds > 0 &&
    recent.sentAt !== undefined &&
    input.sentAt !== undefined &&
    input.sentAt >= recent.sentAt &&
    input.sentAt - recent.sentAt < gatherSeconds
  );
}

const recentOf = (at: { messageId?: number; sentAt?: number }, into: Recent['into']): Recent => ({
  ...(at.messageId !== undefined ? { messageId: at.messageId } : {}),
  ...(at.sentAt !== undefined ? { sentAt: at.sentAt } : {}),
  into,
});

function answerTextOf(a: IntakeAnswers, field: LimitField): string | undefined {
  if (field === 'story' || field === 'change') return a[field];
  const v = a[field as 'support' | 'strengths'];
  return v && v.kind === 'text' ? v.text : undefined;
}

/** A further part goes where the previous one went: the same answer while it fits, else the worker's notes. */
function gather(s: IntakeState, recent: Recent, text: string, at: { messageId?: number; sentAt?: number }, limits: Limits): IntakeResult {
  if (recent.into.kind === 'answer') {
    const field = recent.into.field;
    const before = answerTextOf(s.answers, field);
    const joined = before !== undefined ? `${before}\n${text}` : undefined;
    if (joined !== undefined && GATHERED_FIELDS.includes(field) && [...joined].length <= limits[field]) {
      if (field === 'story' || field === 'change') s.answers[field] = joined;
      else s.answers[field as 'support' | 'strengths'] = { kind: 'text', text: joined };
      return { state: { ...s, recent: recentOf(at, recent.into) }, effects: [{ type: 'gathered', field }, askFor(s.step)] };
    }
    return keepNote(s, text, at, false);
  }
  return keepNote(s, text, at, true);
}

/** Keep text for the worker (joined to the last note when it is the rest of it), then ask the current question again. */
function keepNote(s: IntakeState, text: string, at: { messageId?: number; sentAt?: number }, join: boolean, before?: IntakeEffect): IntakeResult {
  const notes = [...(s.notes ?? [])];
  const last = notes.length - 1;
  if (join && last >= 0 && [...notes[last]!].length + 1 + [...text].length <= NOTE_MAX_CHARS) notes[last] = `${notes[last]}\n${text}`;
  else if (notes.length < MAX_NOTES && [...text].length <= NOTE_MAX_CHARS) notes.push(text);
  else return { state: s, effects: [...(before ? [before] : []), { type: 'notes_full' }, askFor(s.step)] };
  return {
    state: { ...s, notes, recent: recentOf(at, { kind: 'note' }) },
    effects: [...(before ? [before] : []), { type: 'kept_note' }, askFor(s.step)],
  };
}

export const PAUSE_CONTINUE = 'pause:continue';
export const PAUSE_LATER = 'pause:later';

/** After a crisis reply, until the client chooses to go on. */
function whilePaused(s: IntakeState, input: IntakeInput): IntakeResult {
  const { paused: _p, ...resumed } = s;
  if ((input.kind === 'choice' && input.value === PAUSE_CONTINUE) || (input.kind === 'command' && input.name === 'repeat')) {
    return { state: resumed, effects: [askFor(s.step)] };
  }
  if (input.kind === 'command') return { state: { ...resumed, resume: s.step, step: 'language' }, effects: [{ type: 'ask', step: 'language' }] };
  if (input.kind === 'choice' && input.value === PAUSE_LATER) return { state: s, effects: [{ type: 'pause_later' }] };
  if (input.kind === 'text') {
    const text = cleanText(input.text);
    if (text) return { state: s, effects: [{ type: 'held_for_worker', text }, { type: 'paused' }] };
  }
  return { state: s, effects: [{ type: 'paused' }] };
}

function answerText(s: IntakeState, field: LimitField, text: string, pre: IntakeEffect[]): IntakeResult {
  const a = s.answers;
  switch (field) {
    case 'name':
      a.name = text;
      break;
    case 'story':
      a.story = text;
      break;
    case 'change':
      a.change = text;
      break;
    case 'support':
      a.support = { kind: 'text', text };
      break;
    case 'strengths':
      a.strengths = { kind: 'text', text };
      break;
    case 'availability':
      a.availability = { kind: 'text', text };
      break;
    case 'timezone': {
      const zone = resolveTimeZone(text);
      if (!zone) return invalid(s, pre, { type: 'invalid', reason: 'unknown_timezone' });
      a.timezone = zone;
      break;
    }
  }
  return advance(s, pre);
}

function answerChoice(s: IntakeState, value: string, pre: IntakeEffect[], ctx: IntakeContext): IntakeResult {
  const [head, arg = ''] = splitValue(value);
  const stale = (): IntakeResult => invalid(s, pre, { type: 'invalid', reason: 'unknown_choice' });
  const a = s.answers;
  switch (s.step) {
    case 'language': {
      if (head !== 'lang' || !(LANGUAGES as readonly string[]).includes(arg)) return stale();
      const language = arg as Language;
      const { resume, ...rest } = s;
      const step: Step = resume ?? 'agreement';
      const effects: IntakeEffect[] = [...pre, { type: 'language_changed', language }];
      effects.push(askFor(step));
      return { state: { ...rest, language, step }, effects };
    }
    case 'agreement': {
      const at = iso(ctx.now);
      if (value === 'agree') {
        const agreement: Agreement = { version: AGREEMENT_VERSION, language: s.language, at };
        return advance({ ...s, agreement }, [...pre, { type: 'agreement_given', ...agreement }]);
      }
      if (value === 'decline') {
        // Keep nothing but the refusal itself (and the language to say goodbye in).
        const declined: IntakeState = {
          v: 1,
          step: 'declined',
          language: s.language,
          answers: {},
          crisis: false,
          startedAt: s.startedAt,
          updatedAt: s.updatedAt,
        };
        return { state: declined, effects: [...pre, { type: 'agreement_declined', language: s.language, at }] };
      }
      return stale();
    }
    case 'safety': {
      if (value === 'safety:yes') return advance({ ...s, safety: 'safe' }, pre);
      if (value === 'safety:no') {
        // Emergency contacts, then a pause: the next question waits until the client chooses to go on.
        const next = advance({ ...s, safety: 'unsafe', crisis: true }, []);
        return { state: { ...next.state, paused: true }, effects: [...pre, { type: 'crisis', source: 'safety_check' }, { type: 'paused' }] };
      }
      if (value === 'safety:unsure') return advance({ ...s, safety: 'unsure' }, [...pre, { type: 'emergency_contacts' }]);
      return stale();
    }
    case 'category':
      if (head !== 'cat' || !(CATEGORIES as readonly string[]).includes(arg)) return stale();
      a.category = arg as Category;
      return advance(s, pre);
    case 'support':
      if (value !== 'support:none') return stale();
      a.support = { kind: 'none' };
      return advance(s, pre);
    case 'strengths':
      if (value !== 'skip') return stale();
      a.strengths = { kind: 'skipped' };
      return advance(s, pre);
    case 'urgency':
      if (head !== 'urgency' || !(URGENCIES as readonly string[]).includes(arg)) return stale();
      a.urgency = arg as Urgency;
      return advance(s, pre);
    case 'availability':
      if (head !== 'avail' || !(AVAILABILITY_SLOTS as readonly string[]).includes(arg)) return stale();
      a.availability = { kind: 'slot', slot: arg as AvailabilitySlot };
      return advance(s, pre);
    case 'timezone': {
      if (head !== 'tz') return stale();
      const zone = canonicalZone(arg);
      if (!zone) return invalid(s, pre, { type: 'invalid', reason: 'unknown_timezone' });
      a.timezone = zone;
      return advance(s, pre);
    }
    case 'review': {
      if (head === 'edit' && (QUESTION_STEPS as readonly string[]).includes(arg)) {
        const f = arg as Field;
        return { state: { ...s, step: f, editing: f }, effects: [...pre, { type: 'ask', step: f }] };
      }
      if (value !== 'submit') return stale();
      return submit(s, pre);
    }
    default:
      return stale();
  }
}

function splitValue(value: string): [string, string?] {
  const i = value.indexOf(':');
  return i < 0 ? [value] : [value.slice(0, i), value.slice(i + 1)];
}

/** The first question still unanswered, if any. */
export function firstMissing(a: IntakeAnswers): Field | undefined {
  return QUESTION_STEPS.find((f) => a[f] === undefined);
}

function submit(s: IntakeState, pre: IntakeEffect[]): IntakeResult {
  const missing = firstMissing(s.answers);
  if (missing || !s.agreement || !s.safety) {
    // Should not happen through the machine; send the client to what is missing rather than lose anything.
    const step: Step = !s.agreement ? 'agreement' : !s.safety ? 'safety' : (missing as Field);
    return { state: { ...s, step, editing: s.agreement && s.safety ? (missing as Field) : undefined }, effects: [...pre, { type: 'ask', step }] };
  }
  const answers = s.answers as Required<IntakeAnswers>;
  const priority = priorityFrom(answers.urgency, s.safety, s.crisis);
  return {
    state: { ...s, step: 'submitted' },
    effects: [...pre, { type: 'submit', priority, language: s.language, answers, agreement: s.agreement, safety: s.safety, crisis: s.crisis }],
  };
}

// ---------- idle drafts ----------

const toDuration = (d: DurationLike): Duration => Duration.fromDurationLike(d);

/** An unfinished draft untouched for `ttl` (e.g. 7 days) is expired and should be discarded. */
export function isExpired(state: IntakeState, now: DateTime, ttl: DurationLike): boolean {
  if (isTerminal(state)) return false;
  return now >= DateTime.fromISO(state.updatedAt, { zone: 'utc' }).plus(toDuration(ttl));
}

/** One nudge per idle spell: idle for `idleAfter` (e.g. 24 h) and not nudged since the last activity. */
export function needsNudge(state: IntakeState, now: DateTime, idleAfter: DurationLike, nudgedAt?: string | DateTime | null): boolean {
  if (isTerminal(state)) return false;
  const updated = DateTime.fromISO(state.updatedAt, { zone: 'utc' });
  if (now < updated.plus(toDuration(idleAfter))) return false;
  if (!nudgedAt) return true;
  const nudged = typeof nudgedAt === 'string' ? DateTime.fromISO(nudgedAt, { zone: 'utc' }) : nudgedAt;
  return nudged < updated;
}

// ---------- loading stored state ----------

const text = z.string();
const stateSchema = z.object({
  v: z.literal(1),
  step: z.enum([...STEP_ORDER, 'declined']),
  language: z.enum(LANGUAGES),
  answers: z.object({
    name: text.optional(),
    category: z.enum(CATEGORIES).optional(),
    story: text.optional(),
    change: text.optional(),
    support: z.union([z.object({ kind: z.literal('text'), text }), z.object({ kind: z.literal('none') })]).optional(),
    strengths: z.union([z.object({ kind: z.literal('text'), text }), z.object({ kind: z.literal('skipped') })]).optional(),
    urgency: z.enum(URGENCIES).optional(),
    availability: z.union([z.object({ kind: z.literal('slot'), slot: z.enum(AVAILABILITY_SLOTS) }), z.object({ kind: z.literal('text'), text })]).optional(),
    timezone: text.optional(),
  }),
  editing: z.enum(QUESTION_STEPS).optional(),
  resume: z.enum([...STEP_ORDER, 'declined']).optional(),
  agreement: z.object({ version: text, language: z.enum(LANGUAGES), at: text }).optional(),
  safety: z.enum(['safe', 'unsafe', 'unsure']).optional(),
  crisis: z.boolean(),
  paused: z.boolean().optional(),
  recent: z
    .object({
      messageId: z.number().int().optional(),
      sentAt: z.number().int().optional(),
      into: z.union([
        z.object({ kind: z.literal('answer'), field: z.enum(Object.keys(DEFAULT_LIMITS) as [LimitField, ...LimitField[]]) }),
        z.object({ kind: z.literal('note') }),
      ]),
    })
    .optional(),
  notes: z.array(text).max(MAX_NOTES).optional(),
  startedAt: text,
  updatedAt: text,
});

/** Validates state read back from the database; null if it is not a v1 intake state. */
export function parseIntakeState(json: unknown): IntakeState | null {
  const r = stateSchema.safeParse(json);
  return r.success ? (r.data as IntakeState) : null;
}
