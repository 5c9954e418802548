import { and, desc, eq } from 'drizzle-orm';
import { inTransaction } from '../db/client.js';
import { awaitingTimes } from '../appointments/client-answer.js';
import { planCardRefresh } from '../cases/case-card-refresh.js';
import { notes } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { scheduleAfterCommit, planDeliveries, type Recipient } from '../delivery/ledger.js';
import type { Later } from '../db/after-commit.js';
import { NOTE_BODY_AAD, type CaseRow, type ClientRow } from './clients.repo.js';

/**
 * Free text from a client whose case is open: kept on the case as a message
 * note (encrypted), then relayed to the worker by a 'client_reply' delivery
 * (the Slack side renders it). Nothing else on the case changes: a client's
 * message is not a worker's record, so it does not reset follow-up clocks.
 */
export const CLIENT_REPLY_KIND = 'client_reply';
/** The client's answer to "which days and times suit you?": relayed with the appointment's buttons. */
const CLIENT_TIMES_KIND = 'client_reply.times';

export interface ClientMessageInput {
  client: ClientRow;
  openCase: CaseRow;
  text: string;
  /** Platform identity of the message, so a redelivered update never stores it twice. */
  idempotencyKey: string;
}

export async function saveClientMessage(
  deps: Deps,
  later: Later,
  m: ClientMessageInput,
): Promise<{ noteId: string | null; assigned: boolean; timesFor: string | null }> {
  const now = deps.clock.now();
  const assigned = !!m.openCase.assignedWorkerId;
  const rows = await inTransaction(deps.db, async (tx) => {
    // The first message after "I need another time" is the answer to "which days and times suit you?".
    const [last] = await tx
      .select({ at: notes.createdAt })
      .from(notes)
      .where(and(eq(notes.caseId, m.openCase.id), eq(notes.kind, 'message'), eq(notes.direction, 'from_client')))
      .orderBy(desc(notes.createdAt))
      .limit(1);
    const times = assigned ? await awaitingTimes(tx, m.openCase.id, last?.at ?? null) : undefined;
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
    if (!note) return { noteId: null, deliveries: [], timesFor: null };
    const recipient: Recipient = assigned ? `staff:${m.openCase.assignedWorkerId}` : 'channel:intake';
    const deliveries = await planDeliveries(
      tx,
      [
        {
          kind: times ? CLIENT_TIMES_KIND : CLIENT_REPLY_KIND,
          subjectId: note.id,
          recipient,
          channel: 'slack',
          caseId: m.openCase.id,
          dueAt: now,
        },
      ],
      now,
    );
    // The card's "last note" now is this message.
    deliveries.push(...(await planCardRefresh(tx, m.openCase.id, now)));
    await deps.audit.record(
      {
        actor: { type: 'client', id: m.client.id },
        action: 'note.client_message',
        caseId: m.openCase.id,
        subjectType: 'note',
        subjectId: note.id,
        ...(times ? { details: { answersTimesFor: times.id } } : {}),
      },
      tx,
    );
    return { noteId: note.id, deliveries, timesFor: times?.id ?? null };
  });
  void scheduleAfterCommit(deps, rows.deliveries, later);
  return { noteId: rows.noteId, assigned, timesFor: rows.timesFor };
}
