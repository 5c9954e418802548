import type { DateTime } from 'luxon';
import { STEP_ORDER, TERMINAL_STEPS, type IntakeEffect, type IntakeResult, type IntakeState, type LimitField, type Step } from './intake.types.js';

/** Moving between steps: the order, the prompt for a step, leaving a step after an answer. */

export const iso = (now: DateTime): string => now.toUTC().toISO() ?? new Date(now.toMillis()).toISOString();

export const FREE_TEXT: Partial<Record<Step, LimitField>> = {
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
export function advance(s: IntakeState, effects: IntakeEffect[]): IntakeResult {
  if (s.editing || s.step === 'review') {
    const { editing: _e, ...rest } = s;
    return { state: { ...rest, step: 'review' }, effects: [...effects, { type: 'show_review' }] };
  }
  const step = nextStep(s.step);
  return { state: { ...s, step }, effects: [...effects, askFor(step)] };
}

/** The prompt for a step: the review is shown rather than asked. */
export const askFor = (step: Step): IntakeEffect => (step === 'review' ? { type: 'show_review' } : { type: 'ask', step });

export const invalid = (s: IntakeState, pre: IntakeEffect[], e: IntakeEffect): IntakeResult => ({ state: s, effects: [...pre, e, askFor(s.step)] });
