import type { SlackViewAction } from '@slack/bolt';
import type { RegisterListener } from '../index.js';
import { redactNote } from '../../../cases/note-redaction.service.js';
import { caseForActor, REFUSE, staffFor } from '../../access.js';
import { REDACT_VIEW } from '../../ui/ids.js';
import { fieldError, fieldsOf, readMeta } from '../../slack.kit.js';

/** The redaction modal submitted: note and reason required (answered on the field); access checked again on the server. */
export const registerNoteRedactView: RegisterListener = (app, deps) => {
  app.view<SlackViewAction>(REDACT_VIEW, async ({ ack, body, view, client }) => {
    const me = await staffFor(deps.db, body.user.id).catch(() => undefined);
    if (!me) return void (await ack(fieldError(undefined, REFUSE.notStaff, 'reason')));
    const meta = readMeta(view.private_metadata);
    if (!meta?.caseId) return void (await ack(fieldError(undefined, 'This form is out of date. Close it and run the command again.', 'reason')));
    const f = fieldsOf(view.state.values);
    const noteId = f.select('note');
    if (!noteId) return void (await ack(fieldError('note', 'Please choose the note or message to redact.', 'reason')));
    try {
      const access = await caseForActor(deps, me, { id: meta.caseId }, 'redact');
      if (!access.ok) return void (await ack(fieldError(undefined, access.message, 'reason')));
      const r = await redactNote(deps, { caseId: meta.caseId, noteId, staffId: me.id, reason: f.text('reason') });
      if (!r.ok) return void (await ack(fieldError(r.field ?? 'reason', r.message, 'reason')));
      await ack();
      await client.chat
        .postMessage({
          channel: me.slackUserId,
          text:
            r.status === 'already'
              ? `That note in ${access.case.reference} was already redacted.`
              : `Redacted one note in ${access.case.reference}; the tombstone keeps who, when and why.`,
        })
        .catch(() => {});
    } catch (err) {
      deps.logger.error({ where: `view:${REDACT_VIEW}`, err: (err as Error)?.message }, 'slack handler failed');
      await ack(fieldError(undefined, 'Sorry, this could not be saved because of a problem on our side. Please try again.', 'reason'));
    }
  });
};
