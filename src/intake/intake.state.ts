import { z } from 'zod';
import {
  AVAILABILITY_SLOTS,
  CATEGORIES,
  DEFAULT_LIMITS,
  LANGUAGES,
  MAX_NOTES,
  QUESTION_STEPS,
  STEP_ORDER,
  URGENCIES,
  type IntakeState,
  type LimitField,
} from './intake.types.js';

// Loading stored state.

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
