import { DateTime } from 'luxon';
import type { RegisterListener } from '../index.js';
import { VIEWS } from '../../ui/ids.js';
import { parseReference } from '../../../cases/case-reference.js';
import { logNote, NOTE_KIND_LABELS } from '../../../cases/case-notes.service.js';
import { caseForActor } from '../../access.js';
import { registerCaseView } from '../../view-submit.flow.js';

/**
 * Log note submitted. Dates are read in the worker's zone; the follow-up date
 * becomes the start of their working day (or its end, when it is today).
 * The modal's nonce is the note's idempotency key: a double click saves one note.
 */
export const registerNoteView: RegisterListener = (app, deps) =>
  registerCaseView(app, deps, VIEWS.note, {
    fallbackField: 'text',
    async handle({ me, meta, f }) {
      const typed = f.text('case_ref');
      const ref = parseReference(typed);
      if (!ref)
        return {
          ok: false,
          field: 'case_ref',
          message: typed.trim()
            ? `“${typed.trim().slice(0, 30)}” is not a case reference; they look like C-2026-0042.`
            : 'Write the case reference, like C-2026-0042.',
        };
      const access = await caseForActor(deps, me, { reference: ref }, 'note');
      if (!access.ok) return { ok: false, field: 'case_ref', message: access.message };
      const zone = me.timeZone;
      const now = deps.clock.now();
      const date = f.date('contact_date');
      // Without a time: now, for a contact today; midday for an earlier day.
      const time = f.time('contact_time') || (date === now.setZone(zone).toISODate() ? now.setZone(zone).toFormat('HH:mm') : '12:00');
      const contactAt = date ? DateTime.fromISO(`${date}T${time}`, { zone }) : DateTime.invalid('no date');
      const fu = f.date('follow_up');
      let nextFollowUpAt: DateTime | null = null;
      if (fu) {
        const today = fu === now.setZone(zone).toISODate();
        nextFollowUpAt = DateTime.fromISO(`${fu}T${today ? me.workingHours.end : me.workingHours.start}`, { zone });
        if (!nextFollowUpAt.isValid) return { ok: false, field: 'follow_up', message: 'Choose a valid date.' };
      }
      const r = await logNote(deps, me, {
        caseId: access.case.id,
        kind: f.select('kind'),
        contactAt,
        text: f.text('text'),
        nextFollowUpAt,
        idempotencyKey: `slack:note:${meta.nonce}`,
      });
      if (!r.ok || r.duplicate) return r;
      return { ...r, value: { ...r.value, caseId: access.case.id, kind: f.select('kind'), followUp: nextFollowUpAt } };
    },
    confirm: ({ value, reference, me }) =>
      `📝 ${NOTE_KIND_LABELS[value.kind] ?? 'Note'} logged on ${reference}.${value.followUp ? ` Next follow-up ${value.followUp.setZone(me.timeZone).toFormat('ccc d LLL')}.` : ' No follow-up set.'}`,
  });
