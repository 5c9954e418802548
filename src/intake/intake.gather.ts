import { askFor } from './intake.steps.js';
import {
  MAX_NOTES,
  NOTE_MAX_CHARS,
  type IntakeAnswers,
  type IntakeEffect,
  type IntakeResult,
  type IntakeState,
  type LimitField,
  type Limits,
  type Recent,
} from './intake.types.js';

// Quick bursts and split pastes.

/** The long answers take further parts; a short one (name, time zone) sends them to the notes. */
const GATHERED_FIELDS: readonly LimitField[] = ['story', 'change', 'support', 'strengths'];

/**
 * Another part of the same message: sent straight after the previous one (nothing
 * between them in the chat: a paste Telegram split at 4,096 characters), or within
 * `gatherSeconds` of it — sooner than anyone could read the next question.
 */
export function isSamePart(recent: Recent, input: { messageId?: number; sentAt?: number }, gatherSeconds: number): boolean {
  if (recent.messageId !== undefined && input.messageId === recent.messageId + 1) return true;
  return (
    gatherSeconds > 0 &&
    recent.sentAt !== undefined &&
    input.sentAt !== undefined &&
    input.sentAt >= recent.sentAt &&
    input.sentAt - recent.sentAt < gatherSeconds
  );
}

export const recentOf = (at: { messageId?: number; sentAt?: number }, into: Recent['into']): Recent => ({
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
export function gather(s: IntakeState, recent: Recent, text: string, at: { messageId?: number; sentAt?: number }, limits: Limits): IntakeResult {
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
export function keepNote(s: IntakeState, text: string, at: { messageId?: number; sentAt?: number }, join: boolean, before?: IntakeEffect): IntakeResult {
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
