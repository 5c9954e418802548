import { and, eq } from 'drizzle-orm';
import { appointments, notes } from '../../db/schema.js';
import { describeForStaff } from '../../appointments/appointment.format.js';
import { answerActions } from '../ui/appointment.blocks.js';
import { deliveryKind } from '../../delivery/kinds/kind.js';
import { loadCase, loadStaff, recipientId, staffUnreachable } from '../../delivery/recipients.js';
import { AAD } from '../../cases/case-aad.js';
import type { KnownBlock } from '@slack/types';
import { context, esc, section } from '../ui/blocks.js';

/**
 * A client's Telegram message, relayed to Slack. To the assigned worker: the
 * full text, in the thread under the case card in their DM (their own DM,
 * so the text is fine there). To a channel ('channel:intake' when the case is
 * unassigned): only that a message arrived — never the text.
 */
export const clientReplyKind = deliveryKind({
  kind: 'client_reply',
  async render(deps, row) {
    const [note] = await deps.db.select().from(notes).where(eq(notes.id, row.subjectId)).limit(1);
    if (!note) return { skip: 'note_not_found' };
    const c = await loadCase(deps.db, note.caseId);
    if (!c) return { skip: 'case_not_found' };
    const channel = recipientId(row.recipient, 'channel');
    if (channel) {
      const to = channel === 'intake' ? deps.config.SLACK_INTAKE_CHANNEL : channel;
      if (!to) return { skip: 'no_intake_channel' };
      const text = `New message from the client of ${c.reference}${c.assignedWorkerId ? '' : ' (unassigned — assign the case to read it)'}.`;
      return { channel: 'slack', to, text, blocks: [section(`✉️ ${text}`)] };
    }
    const workerId = recipientId(row.recipient, 'staff');
    const worker = workerId ? await loadStaff(deps.db, workerId) : undefined;
    const why = staffUnreachable(worker);
    if (why) return { skip: why };
    const body = deps.cipher.decrypt(note.bodyEnc, AAD.noteBody);
    const quoted = `>${esc(body).replace(/\n/g, '\n>')}`;
    let text = `Message from the client (${c.reference}): ${esc(body)}`;
    let blocks: KnownBlock[] = [section(`✉️ *Message from the client* (${c.reference}):\n${quoted}`), context('Reply with *Message client* on the case card.')];
    if (row.kind === 'client_reply.times') {
      // The answer to "which days and times suit you?", with what the worker can do about the appointment.
      const [appt] = await deps.db
        .select()
        .from(appointments)
        .where(and(eq(appointments.caseId, c.id), eq(appointments.status, 'scheduled'), eq(appointments.clientResponse, 'needs_other_time')))
        .orderBy(appointments.startsAt)
        .limit(1);
      if (appt) {
        const when = describeForStaff(appt, worker!.timeZone);
        text = `The client of ${c.reference} needs another time for ${when}. Days and times that suit them: ${esc(body)}`;
        blocks = [
          section(`🕑 *The client of ${c.reference} needs another time* for the appointment on ${when}.\n*Days and times that suit them:*\n${quoted}`),
          answerActions(appt),
          context('They were told you will confirm a new time. Reschedule to tell them on Telegram.'),
        ];
      }
    }
    // The thread exists only if the card was posted to this worker (reassignment clears it).
    const inThread = c.assignedWorkerId === worker!.id && c.slackChannel && c.slackThreadTs;
    return inThread
      ? { channel: 'slack', to: c.slackChannel!, threadTs: c.slackThreadTs!, text, blocks }
      : { channel: 'slack', to: worker!.slackUserId, text, blocks };
  },
});
