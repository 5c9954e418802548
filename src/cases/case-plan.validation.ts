import { DateTime } from 'luxon';
import { CASE_TYPES } from '../db/schema.js';
import { CLOSURE_REASONS, GOAL_OUTCOMES, MAX_GOALS, TEXT_LIMITS, type FieldError } from './case.domain.js';

/**
 * The checks on Goals & plan and on closing a case that need no database
 * (pure; today's date given). Each problem names its field in the input's own
 * terms ('goals[1].targetDate', 'reasonDetail'); the platform maps the names to
 * its form (src/slack/ui/form-fields.ts).
 */
const len = (s: string) => [...s].length;

interface GoalSlot {
  /** Existing goal being edited, or null for a new one. */
  goalId: string | null;
  description: string;
  assessment: string;
  /** ISO date (yyyy-MM-dd) or empty. */
  targetDate: string;
}

export interface GoalsPlanInput {
  caseId: string;
  goals: GoalSlot[];
  plan: string;
  selfHelpFocus: string;
  caseType: string | null;
  dedupeKey: string;
}

/** A goal's target within five years of today (9999-12-31 is a typo, not a plan). ISO dates compare as text. */
function plausibleTarget(targetDate: string, todayLocal: string): boolean {
  const limit = DateTime.fromISO(todayLocal).plus({ years: 5 }).toISODate();
  return !limit || targetDate <= limit;
}

export function validateGoalsPlan(input: GoalsPlanInput, todayLocal: string): FieldError[] {
  const errs: FieldError[] = [];
  if (input.goals.length > MAX_GOALS) errs.push({ field: 'goals', message: `At most ${MAX_GOALS} goals at a time.` });
  input.goals.forEach((g, i) => {
    const d = g.description.trim();
    if (len(d) > TEXT_LIMITS.goal) errs.push({ field: `goals[${i}].description`, message: `Please keep a goal under ${TEXT_LIMITS.goal} characters.` });
    if (len(g.assessment.trim()) > TEXT_LIMITS.assessment)
      errs.push({ field: `goals[${i}].assessment`, message: `Please keep this under ${TEXT_LIMITS.assessment} characters.` });
    if (!d && (g.assessment.trim() || g.targetDate) && !g.goalId)
      errs.push({ field: `goals[${i}].description`, message: 'Write the goal this belongs to (or clear the other fields).' });
    // The modal says each goal needs a way to assess it; so does the record (the third of the four elements).
    if (d && !g.assessment.trim())
      errs.push({
        field: `goals[${i}].assessment`,
        message: 'Say how this goal will be assessed (for example "weekly log kept by the client"): each goal needs one.',
      });
    if (g.targetDate && !DateTime.fromISO(g.targetDate).isValid) errs.push({ field: `goals[${i}].targetDate`, message: 'Choose a valid date.' });
    else if (g.targetDate && !plausibleTarget(g.targetDate, todayLocal))
      errs.push({ field: `goals[${i}].targetDate`, message: 'Choose a target date within the next five years: please check the year.' });
    else if (g.targetDate && !g.goalId && g.targetDate < todayLocal)
      errs.push({ field: `goals[${i}].targetDate`, message: 'The target date is in the past. Choose a future date.' });
  });
  if (len(input.plan.trim()) > TEXT_LIMITS.plan) errs.push({ field: 'plan', message: `Please keep the plan under ${TEXT_LIMITS.plan} characters.` });
  if (len(input.selfHelpFocus.trim()) > TEXT_LIMITS.selfHelp)
    errs.push({ field: 'selfHelpFocus', message: `Please keep this under ${TEXT_LIMITS.selfHelp} characters.` });
  if (input.caseType && !(CASE_TYPES as readonly string[]).includes(input.caseType))
    errs.push({ field: 'caseType', message: 'Choose therapeutic or developmental.' });
  return errs;
}

export interface CloseInput {
  caseId: string;
  outcomes: Array<{ goalId: string; outcome: string }>;
  evaluation: string;
  reason: string;
  reasonDetail: string;
  dedupeKey: string;
}

export function validateClosure(input: CloseInput): FieldError[] {
  const errs: FieldError[] = [];
  input.outcomes.forEach((o, i) => {
    if (!(GOAL_OUTCOMES as readonly string[]).includes(o.outcome)) errs.push({ field: `outcomes[${i}]`, message: 'Say how this goal turned out.' });
  });
  const ev = input.evaluation.trim();
  if (!ev)
    errs.push({
      field: 'evaluation',
      message: 'A case cannot be closed without an evaluation summary: was the goal met, what changed, what the client can now do alone.',
    });
  else if (len(ev) > TEXT_LIMITS.evaluation) errs.push({ field: 'evaluation', message: `Please keep the summary under ${TEXT_LIMITS.evaluation} characters.` });
  if (!(CLOSURE_REASONS as readonly string[]).includes(input.reason)) errs.push({ field: 'reason', message: 'Choose why the case is closing.' });
  if (input.reason === 'other' && !input.reasonDetail.trim()) errs.push({ field: 'reasonDetail', message: 'Please say what the other reason is.' });
  if (len(input.reasonDetail.trim()) > TEXT_LIMITS.reason)
    errs.push({ field: 'reasonDetail', message: `Please keep this under ${TEXT_LIMITS.reason} characters.` });
  return errs;
}
