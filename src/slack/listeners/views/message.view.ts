import type { RegisterListener } from '../index.js';
import { VIEWS } from '../../ui/ids.js';
import { messageClient } from '../../../cases/case-messages.service.js';
import { registerCaseView } from '../../view-submit.flow.js';
import { esc } from '../../ui/blocks.js';

/** Message client: stored as a message note, sent by the Telegram bot (once per modal, whatever the clicks). */
export const registerMessageView: RegisterListener = (app, deps) =>
  registerCaseView(app, deps, VIEWS.message, {
    fallbackField: 'text',
    async handle({ me, meta, f }) {
      if (!meta.caseId) return { ok: false, field: 'text', message: 'This form is out of date. Close it and open it again from the case card.' };
      return messageClient(deps, me, { caseId: meta.caseId, text: f.text('text'), idempotencyKey: `slack:msg:${meta.nonce}` });
    },
    confirm: ({ reference, f }) => `✉️ Sent to the client of ${reference} on Telegram:\n>${esc(f.text('text').trim().slice(0, 2800)).replace(/\n/g, '\n>')}`,
  });
