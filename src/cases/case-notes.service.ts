import { eq } from 'drizzle-orm';
import type { DateTime } from 'luxon';
import type { Deps } from '../deps.js';
import { cases, notes } from '../db/schema.js';
import type { StaffRow } from '../staff/staff.repo.js';
import { AAD } from './case-aad.js';
import { TEXT_LIMITS, type FieldError } from './case.domain.js';
import { mutateCase, type Mutation } from './case-mutation.js';
import { attachSafetyPlan } from '../escalations/crisis-followup.service.js';

/**
 * The case record: one note per contact (interview, phone call, home visit,
 * collateral contact, supervision), written soon after. Logging a note moves
 * the case's last_note_at (what the quiet-case and follow-up sweeps read) and
 * sets or clears the next follow-up. Text is encrypted at rest.
 */
export const RECORD_NOTE_KINDS = ['interview', 'phone', 'home_visit', 'collateral', 'supervision', 'safety_plan'] as const;
type RecordNoteKind = (typeof RECORD_NOTE_KINDS)[number];
export const NOTE_KIND_LABELS: Record<string, string> = {
  interview: 'Interview',
  phone: 'Phone call',
  home_visit: 'Home visit',
  collateral: 'Collateral contact',
  supervision: 'Supervision',
  safety_plan: 'Safety plan (after a crisis)',
  message: 'Message',
  system: 'System',
};

export interface NoteInput {
  caseId: string;
  kind: string;
  contactAt: DateTime;
  text: string;
  nextFollowUpAt: DateTime | null;
  idempotencyKey: string;
}

/** Field checks that need no database (pure; `now` given). */
export function validateNote(input: Omit<NoteInput, 'caseId' | 'idempotencyKey'>, now: DateTime): FieldError[] {
  const errors: FieldError[] = [];
  if (!(RECORD_NOTE_KINDS as readonly string[]).includes(input.kind)) errors.push({ field: 'kind', message: 'Choose what kind of contact this was.' });
  const text = input.text.trim();
  if (text.length === 0) errors.push({ field: 'text', message: 'Please write what happened.' });
  if ([...text].length > TEXT_LIMITS.note)
    errors.push({ field: 'text', message: `That is ${[...text].length} characters; the limit is ${TEXT_LIMITS.note}. Shorten it or log a second note.` });
  if (!input.contactAt.isValid) errors.push({ field: 'contactAt', message: 'Choose the date of the contact.' });
  else if (input.contactAt > now.plus({ minutes: 5 }))
    errors.push({ field: 'contactAt', message: 'The contact cannot be in the future. Log it after it has happened.' });
  // A year either way is casework; beyond it the year was almost certainly mistyped (1900, 2036).
  else if (input.contactAt < now.minus({ years: 1 }))
    errors.push({
      field: 'contactAt',
      message: 'That is more than a year ago: please check the year. Older contacts belong in the case history, not a new note.',
    });
  if (input.nextFollowUpAt && input.nextFollowUpAt <= now) errors.push({ field: 'nextFollowUpAt', message: 'The next follow-up must be in the future.' });
  else if (input.nextFollowUpAt && input.nextFollowUpAt > now.plus({ years: 1 }))
    errors.push({
      field: 'nextFollowUpAt',
      message: 'A follow-up more than a year ahead is too far: please check the year (choose a date within the next 12 months).',
    });
  return errors;
}

export async function logNote(deps: Deps, actor: StaffRow, input: NoteInput): Promise<Mutation<{ noteId: string }>> {
  const now = deps.clock.now();
  const errors = validateNote(input, now);
  if (errors.length) return { ok: false, message: errors[0]!.message, field: errors[0]!.field };
  return mutateCase(deps, actor, input.caseId, {}, async (tx, c) => {
    const [note] = await tx
      .insert(notes)
      .values({
        caseId: c.id,
        authorStaffId: actor.id,
        kind: input.kind as RecordNoteKind,
        bodyEnc: deps.cipher.encrypt(input.text.trim(), AAD.noteBody),
        contactAt: input.contactAt.toJSDate(),
        nextFollowUpAt: input.nextFollowUpAt?.toJSDate() ?? null,
        idempotencyKey: input.idempotencyKey,
        createdAt: now.toJSDate(),
      })
      .onConflictDoNothing({ target: notes.idempotencyKey })
      .returning({ id: notes.id });
    if (!note) throw new Duplicate();
    await tx
      .update(cases)
      .set({
        lastNoteAt: now.toJSDate(),
        nextFollowUpAt: input.nextFollowUpAt?.toJSDate() ?? null,
        followUpSetAt: input.nextFollowUpAt ? now.toJSDate() : null,
        updatedAt: now.toJSDate(),
      })
      .where(eq(cases.id, c.id));
    // A safety plan answers the open, acknowledged crisis of the case (its deadline stops paging).
    if (input.kind === 'safety_plan') await attachSafetyPlan(deps, tx, c.id, note.id, actor.id);
    await deps.audit.record(
      {
        actor: { type: 'staff', id: actor.id },
        action: 'note.logged',
        caseId: c.id,
        subjectType: 'note',
        subjectId: note.id,
        details: { kind: input.kind, followUp: !!input.nextFollowUpAt },
      },
      tx,
    );
    return { noteId: note.id };
  }).catch((err: unknown) => {
    if (err instanceof Duplicate) return { ok: true as const, duplicate: true as const };
    throw err;
  });
}

/** The same submission arrived twice (double click, retry): the first one's note stands. */
class Duplicate extends Error {}
