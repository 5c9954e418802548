import type { DateTime } from 'luxon';
import { detectCrisis } from './crisis.domain.js';
import { answerChoice, answerText } from './intake.answers.js';
import { gather, isSamePart, keepNote, recentOf } from './intake.gather.js';
import { askFor, FREE_TEXT, invalid, isTerminal, iso } from './intake.steps.js';
import { cleanText, hasVisibleText, wordToChoice } from './intake.text.js';
import {
  DEFAULT_LIMITS,
  languageFromCode,
  type IntakeContext,
  type IntakeEffect,
  type IntakeInput,
  type IntakeResult,
  type IntakeState,
  type Limits,
} from './intake.types.js';

/**
 * The client intake as a pure step machine: (state, input, ctx) → (state, effects).
 * State is a plain JSON object (stored as jsonb); effects are data that the
 * service acts on (reply, record consent, escalate, create the case).
 */

export * from './intake.types.js';
export { priorityFrom } from './intake.answers.js';
export { isExpired, needsNudge } from './intake.idle.js';
export { parseIntakeState } from './intake.state.js';
export { askFor, isTerminal } from './intake.steps.js';
export { resolveTimeZone, timezoneChoices } from './intake.timezones.js';

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
