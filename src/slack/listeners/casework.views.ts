import { staffTime } from '../../appointments/appointment.format.js';
import { redactNote } from '../../cases/note-redaction.service.js';
import { decideErasure } from '../../clients/erasure-request.service.js';
import { startHandover } from '../../handover/handover.service.js';
import { recordReferral } from '../../referrals/referrals.service.js';
import { saveResource } from '../../referrals/resources.service.js';
import { findStaffById } from '../../staff/staff.repo.js';
import { caseForActor } from '../access.js';
import { esc } from '../ui/blocks.js';
import { handoverDoneBlocks } from '../ui/handover.blocks.js';
import { ERASURE_TITLE, holdMetaSchema } from '../erasure-buttons.flow.js';
import { markActed, messageFromMeta } from '../escalation-buttons.flow.js';
import { handoverMetaSchema, startedText } from '../handover.screen.js';
import { resourceMetaSchema } from '../referrals.screen.js';
import { fieldError, fieldsOf, readMeta } from '../slack.kit.js';
import { caseView } from '../view-submit.flow.js';
import { parseMeta, SAVE_FAILED_TEXT_KEPT, viewFailed } from './staff.js';
import type { StaffViewHandler } from './types.js';
import { ERASURE_HOLD_VIEW, HANDOVER_VIEW, INPUT, REDACT_VIEW, REFERRAL_VIEW, RESOURCE_VIEW } from '../ui/ids.js';
import { refusalText } from '../access.js';
import { isUuid } from '../../lib/uuid.js';

const RUN_AGAIN = 'This form is out of date. Close it and run the command again.';

/** The ids chosen in a multi-select input (block `field`). */
function pickedOptions(values: unknown, field: string): string[] {
  const v = values as Record<string, Record<string, { selected_options?: Array<{ value: string }> }>>;
  return (v[field]?.[INPUT]?.selected_options ?? []).map((o) => o.value);
}

/**
 * The modals of leave cover, referrals and the data lifecycle, keyed by
 * callback id; each after the staff wrapper (directory). Problems are
 * answered on a field (`response_action: errors`), the modal staying open.
 */
export const CASEWORK_VIEWS = {
  /** The handover modal submitted: the chosen cases move (one transaction); the supervisor gets a DM with [Undo handover]. */
  [HANDOVER_VIEW]: {
    field: 'cases',
    async handle({ deps, me, callbackId, ack, view, client }) {
      const meta = parseMeta(handoverMetaSchema, view.private_metadata);
      if (!meta) return void (await ack(fieldError(undefined, RUN_AGAIN, 'cases')));
      const caseIds = pickedOptions(view.state.values, 'cases').filter(isUuid);
      if (caseIds.length === 0) return void (await ack(fieldError('cases', 'Choose at least one case to hand over.', 'cases')));
      try {
        const r = await startHandover(deps, me, {
          fromId: meta.fromId,
          toId: meta.toId,
          untilOn: meta.untilOn,
          caseIds,
          dedupeKey: `view:${HANDOVER_VIEW}:${meta.nonce}`,
        });
        if (!r.ok) return void (await ack(fieldError('cases', refusalText(r), 'cases')));
        await ack();
        if (r.duplicate) return;
        const to = await findStaffById(deps.db, meta.toId);
        const text = startedText(r, to?.slackUserId ?? '');
        await client.chat.postMessage({ channel: me.slackUserId, text, blocks: handoverDoneBlocks(text, r.handover.id) }).catch(() => {});
      } catch (err) {
        await viewFailed(deps, ack, callbackId, err, 'cases', 'Sorry, nothing was moved because of a problem on our side. Please try again.');
      }
    },
  },

  /** The resource modal submitted (admins): validated with zod, each problem shown under its field; saved and audited. */
  [RESOURCE_VIEW]: {
    field: 'name',
    async handle({ deps, me, callbackId, ack, view, client }) {
      const meta = parseMeta(resourceMetaSchema, view.private_metadata);
      if (!meta) return void (await ack(fieldError(undefined, RUN_AGAIN, 'name')));
      const f = fieldsOf(view.state.values);
      const raw = {
        name: f.text('name'),
        categories: pickedOptions(view.state.values, 'categories'),
        languages: f.text('languages'),
        phone: f.text('phone'),
        email: f.text('email'),
        website: f.text('website'),
        address: f.text('address'),
        description: f.text('description'),
      };
      try {
        const r = await saveResource(deps, me, raw, meta.editId);
        if (!r.ok)
          return void (await ack({ response_action: 'errors', errors: Object.fromEntries(Object.entries(r.errors).map(([k, v]) => [k, v.slice(0, 300)])) }));
        await ack();
        await client.chat
          .postMessage({ channel: me.slackUserId, text: `📇 ${meta.editId ? 'Updated' : 'Added'} “${esc(r.resource.name)}” in the resource directory.` })
          .catch(() => {});
      } catch (err) {
        await viewFailed(deps, ack, callbackId, err, 'name');
      }
    },
  },

  /** The referral modal submitted: one referral per modal (whatever the clicks); consent asked or recorded; the follow-up planned. */
  [REFERRAL_VIEW]: caseView({
    fallbackField: 'reason',
    async handle({ deps, me, meta, f }) {
      if (!meta.caseId) return { ok: false, field: 'reason', message: RUN_AGAIN };
      const input = { resourceId: f.select('resource'), reason: f.text('reason'), share: f.select('share'), verbalReason: f.text('verbalReason') };
      return recordReferral(deps, me, meta.caseId, input, `slack:referral:${meta.nonce}`);
    },
    confirm: ({ deps, reference, value }) =>
      `🔗 Referral recorded on ${reference}: ${esc(value.resourceName)}. ${value.referral.consentState === 'asked' ? 'The client is asked in Telegram whether their details may be shared. ' : ''}You will be asked what came of it in ${deps.config.REFERRAL_FOLLOWUP_DAYS} days.`,
  }),

  /** The redaction modal submitted: note and reason required (answered on the field); access checked again on the server. */
  [REDACT_VIEW]: {
    field: 'reason',
    async handle({ deps, me, callbackId, ack, view, client }) {
      const meta = readMeta(view.private_metadata);
      if (!meta?.caseId) return void (await ack(fieldError(undefined, RUN_AGAIN, 'reason')));
      const f = fieldsOf(view.state.values);
      const noteId = f.select('note');
      if (!noteId) return void (await ack(fieldError('note', 'Please choose the note or message to redact.', 'reason')));
      try {
        const access = await caseForActor(deps, me, { id: meta.caseId }, 'redact');
        if (!access.ok) return void (await ack(fieldError(undefined, access.message, 'reason')));
        const r = await redactNote(deps, { caseId: meta.caseId, noteId, staffId: me.id, reason: f.text('reason') });
        if (!r.ok) return void (await ack(fieldError(r.field ?? 'reason', r.message, 'reason')));
        await ack();
        const ref = access.case.reference;
        const text =
          r.status === 'already' ? `That note in ${ref} was already redacted.` : `Redacted one note in ${ref}; the tombstone keeps who, when and why.`;
        await client.chat.postMessage({ channel: me.slackUserId, text }).catch(() => {});
      } catch (err) {
        await viewFailed(deps, ack, callbackId, err, 'reason');
      }
    },
  },

  /** The erasure hold modal submitted: reason required (answered on the field), then the request waits for its review date. */
  [ERASURE_HOLD_VIEW]: {
    field: 'reason',
    async handle({ deps, me, callbackId, ack, view, client }) {
      const meta = parseMeta(holdMetaSchema, view.private_metadata);
      if (!meta) return void (await ack(fieldError(undefined, 'This form is out of date. Close it and press the button on the message again.', 'reason')));
      const reason = fieldsOf(view.state.values).text('reason');
      let r: Awaited<ReturnType<typeof decideErasure>>;
      try {
        r = await decideErasure(deps, { requestId: meta.requestId, staffId: me.id, decision: 'hold', reason });
      } catch (err) {
        return viewFailed(deps, ack, callbackId, err, 'reason', SAVE_FAILED_TEXT_KEPT);
      }
      if (!r.ok) return void (await ack(fieldError(r.field ?? 'reason', r.message, 'reason')));
      await ack();
      const line =
        r.status === 'already'
          ? 'This erasure had already been approved; the hold was not recorded.'
          : `⏸️ Erasure held by <@${me.slackUserId}> (reason recorded); review on ${staffTime(r.reviewAt!, me.timeZone)}.`;
      const msg = messageFromMeta(meta);
      await markActed(deps, client, msg, line, [], { subjectId: meta.requestId, title: ERASURE_TITLE });
      if (!msg) await client.chat.postMessage({ channel: me.slackUserId, text: line }).catch(() => {});
    },
  },
} satisfies Record<string, StaffViewHandler>;
