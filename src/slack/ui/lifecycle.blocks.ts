import type { ModalView } from '@slack/types';
import { modal, section, selectInput, textInput } from './blocks.js';
import { FIELDS, VIEWS } from './ids.js';

/** The data-lifecycle modals: holding an erasure (with the reason), redacting one note or message. */

const HOLD_REASON_MAX = 1000;

export function erasureHoldModal(meta: object, reviewDays: number): ModalView {
  return modal({
    callbackId: VIEWS.erasureHold,
    title: 'Hold erasure',
    submit: 'Hold',
    metadata: meta,
    blocks: [
      section(`The client's data will be kept for now. Say why (a safeguarding concern or a legal duty). You will be asked again in ${reviewDays} days.`),
      textInput(FIELDS.reason, 'Reason (required)', {
        multiline: true,
        max: HOLD_REASON_MAX,
        hint: "Stored encrypted; erased with the client's data when the erasure happens.",
      }),
    ],
  });
}

/** `notes`: [note id, its line] pairs, newest first. */
export function redactModal(reference: string, meta: object, notes: Array<[string, string]>): ModalView {
  return modal({
    callbackId: VIEWS.noteRedact,
    title: `Redact in ${reference}`,
    submit: 'Redact',
    metadata: meta,
    blocks: [
      section(
        'Choose the note or message to blank (for example: it was about another client, or entered in error). The text is removed for good; who did it, when and why stay on the record.',
      ),
      selectInput(FIELDS.note, 'Note or message', notes),
      textInput(FIELDS.reason, 'Reason (required)', { multiline: true, max: 500, hint: 'Stored encrypted with the tombstone.' }),
    ],
  });
}
