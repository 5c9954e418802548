import type { Db } from '../db/client.js';
import { notes } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { planDeliveries, scheduleDeliveries, type Recipient } from '../delivery/ledger.js';
import type { Later } from './after-commit.js';
import { NOTE_BODY_AAD, type CaseRow, type ClientRow } from './clients.repo.js';

/**
 * Free text from a client whose case is open: kept on the case as a message
 * note (encrypted), then relayed to the worker by a 'client_reply' delivery
 * (the Slack side renders it). Nothing else on the case changes: a client's
 * message is not a worker's record, so it does not reset follow-up clocks.
 */
export const CLIENT_REPLY_KIND = 'client_reply';

export interface ClientMessageInput {
  client: ClientRow;
  openCase: CaseRow;
  text: string;
  /** Platform identity of the message, so a redelivered update never stores it twice. */
  idempotencyKey: string;
}

export async function saveClientMessage(deps: Deps, later: Later, m: ClientMessageInput): Promise<{ noteId: string | null; assigned: boolean }> {
  const now = deps.clock.now();
  const assigned = !!m.openCase.assignedWorkerId;
  const rows = await deps.db.transaction(async (t) => {
    const tx = t as Db;
    const [note] = await tx
      .insert(notes)
      .values({
        caseId: m.openCase.id,
        kind: 'message',
        direction: 'from_client',
        bodyEnc: deps.cipher.encrypt(m.text, NOTE_BODY_AAD),
        contactAt: now.toJSDate(),
        idempotencyKey: m.idempotencyKey,
        createdAt: now.toJSDate(),
      })
      .onConflictDoNothing({ target: notes.idempotencyKey })
      .returning({ id: notes.id });
    if (!note) return { noteId: null, deliveries: [] };
    const recipient: Recipient = assigned ? `staff:${m.openCase.assignedWorkerId}` : 'channel:intake';
    const deliveries = await planDeliveries(tx, [{
      kind: CLIENT_REPLY_KIND, subjectId: note.id, recipient, channel: 'slack', caseId: m.openCase.id, dueAt: now,
    }], now);
    await deps.audit.record({
      actor: { type: 'client', id: m.client.id }, action: 'note.client_message', caseId: m.openCase.id, subjectType: 'note', subjectId: note.id,
    }, tx);
    return { noteId: note.id, deliveries };
  });
  if (rows.deliveries.length) later('client_reply.schedule', () => scheduleDeliveries(deps.queues, rows.deliveries, now));
  return { noteId: rows.noteId, assigned };
}
