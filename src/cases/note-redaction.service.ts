import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { inTransaction } from '../db/client.js';
import { cases, noteRedactions, notes, staff } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { AAD } from './case-aad.js';
import { redactionSlackCleanupJob } from '../jobs/redaction-slack-cleanup.job.js';

/**
 * Redaction of one note or one relayed message (wrong client, entered in
 * error): the text is blanked for good, and a tombstone keeps who did it,
 * when and why (the reason encrypted: it may name the other person). Only a
 * supervisor or an admin; access to the case is checked by the caller.
 */
const REDACTION_REASON_AAD = 'note_redactions.reason';
const redactionReason = z.string().trim().min(3, 'Please say why (at least 3 characters).').max(500, 'Please keep the reason under 500 characters.');

export type RedactResult = { ok: true; status: 'redacted' | 'already' } | { ok: false; field?: 'note' | 'reason'; message: string };

export async function redactNote(deps: Deps, input: { caseId: string; noteId: string; staffId: string; reason: string }): Promise<RedactResult> {
  const reason = redactionReason.safeParse(input.reason);
  if (!reason.success) return { ok: false, field: 'reason', message: reason.error.issues[0]!.message };
  const now = deps.clock.now();
  const res = await inTransaction(deps.db, async (tx): Promise<RedactResult> => {
    const [me] = await tx.select().from(staff).where(eq(staff.id, input.staffId));
    if (!me?.active || me.role === 'worker') return { ok: false, message: 'Sorry, only supervisors and admins can redact a note.' };
    const [n] = await tx
      .select({ id: notes.id, kind: notes.kind })
      .from(notes)
      .where(and(eq(notes.id, input.noteId), eq(notes.caseId, input.caseId)))
      .for('update');
    if (!n) return { ok: false, field: 'note', message: 'That note is not in this case (it may have been removed). Please choose again.' };
    const done = await tx
      .insert(noteRedactions)
      .values({ noteId: n.id, redactedBy: me.id, redactedAt: now.toJSDate(), reasonEnc: deps.cipher.encrypt(reason.data, REDACTION_REASON_AAD) })
      .onConflictDoNothing()
      .returning({ id: noteRedactions.noteId });
    if (done.length === 0) return { ok: true, status: 'already' };
    await tx
      .update(notes)
      .set({ bodyEnc: deps.cipher.encrypt('', AAD.noteBody) })
      .where(eq(notes.id, n.id));
    await tx.update(cases).set({ updatedAt: now.toJSDate() }).where(eq(cases.id, input.caseId));
    await deps.audit.record(
      { actor: { type: 'staff', id: me.id }, action: 'note.redacted', caseId: input.caseId, subjectType: 'note', subjectId: n.id, details: { kind: n.kind } },
      tx,
    );
    return { ok: true, status: 'redacted' };
  });
  // A relayed client message also sits in the worker's Slack DM: that copy is rewritten by a job.
  if (res.ok && res.status === 'redacted') await deps.queues.add(redactionSlackCleanupJob, { noteId: input.noteId });
  return res;
}

/** The notes a supervisor can pick from (newest first), with a short excerpt so they can tell them apart. */
export async function redactableNotes(deps: Deps, caseId: string, limit = 50) {
  const rows = await deps.db
    .select({ n: notes, r: noteRedactions.noteId })
    .from(notes)
    .leftJoin(noteRedactions, eq(noteRedactions.noteId, notes.id))
    .where(eq(notes.caseId, caseId))
    .orderBy(desc(notes.contactAt))
    .limit(limit);
  return rows
    .filter((x) => !x.r && x.n.kind !== 'system')
    .map(({ n }) => {
      let text = '';
      try {
        text = deps.cipher.decrypt(n.bodyEnc, AAD.noteBody);
      } catch {
        text = '(cannot be decrypted)';
      }
      return { id: n.id, kind: n.kind, direction: n.direction, contactAt: n.contactAt, excerpt: [...text].slice(0, 40).join('') };
    });
}
