import type { DateTime } from 'luxon';
import type { CrisisPhrases } from './crisis.domain.js';
import type { Language } from '../lib/languages.js';
import type { Category } from '../lib/categories.js';

/** The intake's vocabulary: steps, answers, inputs and effects of the step machine (intake.domain.ts). */

export const AGREEMENT_VERSION = '2026-11-v1';

export { CATEGORIES, type Category } from '../lib/categories.js';
export { LANGUAGES, type Language } from '../lib/languages.js';

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

type InvalidReason = 'empty' | 'invisible' | 'too_long' | 'unsupported_type' | 'unknown_choice' | 'unknown_timezone' | 'use_buttons' | 'finished';

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

export interface IntakeResult {
  state: IntakeState;
  effects: IntakeEffect[];
}

export function languageFromCode(code: string | undefined | null): Language {
  return code?.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}
