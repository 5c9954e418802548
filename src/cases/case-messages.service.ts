import { eq } from 'drizzle-orm';
import type { Deps } from '../deps.js';
import { cases, clients, notes } from '../db/schema.js';
import { scheduleAfterCommit, planDeliveries, type DeliveryRow } from '../delivery/ledger.js';
import { clientUnreachable } from '../delivery/recipients.js';
import type { StaffRow } from '../staff/staff.repo.js';
import { AAD } from './case-aad.js';
import { TEXT_LIMITS } from './case.domain.js';
import { FieldRefusal, mutateCase, type Mutation } from './case-mutation.js';

/**
 * "Message client": the worker's text is kept on the case as a message note
 * (encrypted, direction to_client) and sent through the Telegram bot by a
 * 'message_to_client' delivery. A worker's message is a contact, so it moves
 * last_note_at like any record.
 */
const MESSAGE_TO_CLIENT_KIND = 'message_to_client';

const UNREACHABLE: Record<string, string> = {
  client_erased: 'The client asked for their data to be erased; they can no longer be messaged.',
  client_blocked_bot: 'The client has blocked the bot, so messages cannot reach them. Try another way to contact them.',
  no_channel: 'The client has no Telegram chat with the service.',
  client_not_found: 'The client record is missing.',
};

export async function messageClient(
  deps: Deps,
  actor: StaffRow,
  input: { caseId: string; text: string; idempotencyKey: string },
): Promise<Mutation<{ noteId: string }>> {
  const text = input.text.trim();
  if (!text) return { ok: false, field: 'text', message: 'Please write the message.' };
  if ([...text].length > TEXT_LIMITS.message)
    return {
      ok: false,
      field: 'text',
      message: `That is ${[...text].length} characters; the limit is ${TEXT_LIMITS.message}. Please shorten it or send two messages.`,
    };
  const now = deps.clock.now();
  let rows: DeliveryRow[] = [];
  const res = await mutateCase(deps, actor, input.caseId, {}, async (tx, c) => {
    const [client] = await tx.select().from(clients).where(eq(clients.id, c.clientId)).limit(1);
    const why = clientUnreachable(client);
    if (why) throw new FieldRefusal({ field: 'text', message: UNREACHABLE[why] ?? `The client cannot be reached (${why}).` });
    const [note] = await tx
      .insert(notes)
      .values({
        caseId: c.id,
        authorStaffId: actor.id,
        kind: 'message',
        direction: 'to_client',
        bodyEnc: deps.cipher.encrypt(text, AAD.noteBody),
        contactAt: now.toJSDate(),
        idempotencyKey: input.idempotencyKey,
        createdAt: now.toJSDate(),
      })
      .onConflictDoNothing({ target: notes.idempotencyKey })
      .returning({ id: notes.id });
    if (!note) return null;
    await tx.update(cases).set({ lastNoteAt: now.toJSDate(), updatedAt: now.toJSDate() }).where(eq(cases.id, c.id));
    rows = await planDeliveries(
      tx,
      [{ kind: MESSAGE_TO_CLIENT_KIND, subjectId: note.id, recipient: `client:${client!.id}`, channel: 'telegram', caseId: c.id, dueAt: now }],
      now,
    );
    await deps.audit.record(
      { actor: { type: 'staff', id: actor.id }, action: 'note.message_to_client', caseId: c.id, subjectType: 'note', subjectId: note.id },
      tx,
    );
    return { noteId: note.id };
  });
  if (res.ok && !res.duplicate && res.value === null) return { ok: true, duplicate: true };
  await scheduleAfterCommit(deps, rows);
  return res as Mutation<{ noteId: string }>;
}
