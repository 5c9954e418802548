import { notes } from '../db/schema.js';
import { inTransaction } from '../db/client.js';
import type { Deps } from '../deps.js';
import { findClientByTelegramUser, findOpenCase, NOTE_BODY_AAD } from './clients.repo.js';

/**
 * "Yes, I'm safe" to the question a worrying message raised (src/intake/crisis.concern.ts): the
 * worker should know we asked and what the client said, so it goes on the open case's record as a
 * system note (encrypted like every note) and in the audit log. "No, I'm not safe" is a crisis and is
 * recorded by the crisis path. A client with no case yet has nothing to attach it to.
 */
export async function recordConcernAnsweredSafe(deps: Deps, telegramUserId: number): Promise<boolean> {
  const now = deps.clock.now().toJSDate();
  return inTransaction(deps.db, async (tx) => {
    const client = await findClientByTelegramUser(tx, telegramUserId);
    const open = client ? await findOpenCase(tx, client.id) : undefined;
    if (!client || !open) return false;
    const [note] = await tx
      .insert(notes)
      .values({
        caseId: open.id,
        kind: 'system',
        contactAt: now,
        createdAt: now,
        bodyEnc: deps.cipher.encrypt(
          'After a message that may have been about danger, the client was sent the emergency contacts and asked whether they are safe right now. They answered: "Yes, I\'m safe".',
          NOTE_BODY_AAD,
        ),
      })
      .returning({ id: notes.id });
    await deps.audit.record(
      {
        actor: { type: 'client', id: client.id },
        action: 'case.concern_answered',
        caseId: open.id,
        subjectType: 'note',
        subjectId: note!.id,
        details: { answer: 'safe' },
      },
      tx,
    );
    return true;
  });
}
