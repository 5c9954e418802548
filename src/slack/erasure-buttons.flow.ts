import type { App, BlockButtonAction, SlackViewAction } from '@slack/bolt';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { decideErasure } from '../clients/erasure-request.service.js';
import { staffTime } from '../appointments/appointment.format.js';
import { REFUSE, staffFor } from './access.js';
import { modal, section, textInput } from './blocks/common.js';
import { askerOf, markActed, messageOf } from './escalation-buttons.flow.js';
import { fieldError, fieldsOf, guarded, staffOrRefuse, tell } from './slack.kit.js';
import { isUuid } from '../lib/uuid.js';

/**
 * [Erase now] and [Hold — reason required] on an erasure request
 * (src/clients/erasure-request.kind.ts). Who may decide is checked by the
 * service from PostgreSQL rows, never from the button; the message then says
 * who decided, without buttons.
 */
export const ERASURE_HOLD_VIEW = 'erasure_hold_modal';
const REASON_MAX = 1000;
const metaSchema = z
  .object({
    requestId: z.string().refine(isUuid),
    channel: z.string().max(40).optional(),
    ts: z.string().max(40).optional(),
    text: z.string().max(1500).optional(),
  })
  .strict();

export function registerEraseNow(app: App, deps: Deps, actionId: string): void {
  app.action<BlockButtonAction>(actionId, async ({ ack, body, action, client, respond }) => {
    await ack();
    const a = askerOf(body, client, respond);
    await guarded(deps, a, `action:${actionId}`, async () => {
      const me = await staffOrRefuse(deps, a);
      if (!me) return;
      const r = await decideErasure(deps, { requestId: String(action.value ?? ''), staffId: me.id, decision: 'erase' });
      if (!r.ok) return tell(a, r.message);
      const line =
        r.status === 'already'
          ? 'This erasure was already approved; it is being carried out.'
          : `🗑️ Erasure approved by <@${me.slackUserId}> at ${staffTime(deps.clock.now().toJSDate(), me.timeZone)}. The client's personal data is being erased; they will be told when it is done.`;
      await markActed(deps, client, messageOf(body), line, [], { subjectId: String(action.value ?? ''), title: "Request to erase a client's personal data" });
    });
  });
}

export function registerHoldButton(app: App, deps: Deps, actionId: string): void {
  app.action<BlockButtonAction>(actionId, async ({ ack, body, action, client, respond }) => {
    await ack();
    const a = askerOf(body, client, respond);
    await guarded(deps, a, `action:${actionId}`, async () => {
      const me = await staffOrRefuse(deps, a);
      if (!me) return;
      const requestId = String(action.value ?? '');
      if (!isUuid(requestId)) return tell(a, 'This erasure request no longer exists.');
      const m = messageOf(body);
      const days = deps.config.ERASURE_HOLD_REVIEW_DAYS;
      await client.views.open({
        trigger_id: body.trigger_id,
        view: modal({
          callbackId: ERASURE_HOLD_VIEW,
          title: 'Hold erasure',
          submit: 'Hold',
          metadata: { requestId, ...(m ? { channel: m.channel, ts: m.ts, text: m.text } : {}) },
          blocks: [
            section(`The client's data will be kept for now. Say why (a safeguarding concern or a legal duty). You will be asked again in ${days} days.`),
            textInput('reason', 'Reason (required)', {
              multiline: true,
              max: REASON_MAX,
              hint: "Stored encrypted; erased with the client's data when the erasure happens.",
            }),
          ],
        }) as never,
      });
    });
  });
}

export function registerHoldView(app: App, deps: Deps): void {
  app.view<SlackViewAction>(ERASURE_HOLD_VIEW, async ({ ack, body, view, client }) => {
    const me = await staffFor(deps.db, body.user.id).catch(() => undefined);
    if (!me) return void (await ack(fieldError(undefined, REFUSE.notStaff, 'reason')));
    let meta: z.infer<typeof metaSchema> | null = null;
    try {
      const r = metaSchema.safeParse(JSON.parse(view.private_metadata));
      meta = r.success ? r.data : null;
    } catch {
      meta = null;
    }
    if (!meta) return void (await ack(fieldError(undefined, 'This form is out of date. Close it and press the button on the message again.', 'reason')));
    const reason = fieldsOf(view.state.values).text('reason');
    let r: Awaited<ReturnType<typeof decideErasure>>;
    try {
      r = await decideErasure(deps, { requestId: meta.requestId, staffId: me.id, decision: 'hold', reason });
    } catch (err) {
      deps.logger.error({ where: `view:${ERASURE_HOLD_VIEW}`, err: (err as Error)?.message }, 'slack handler failed');
      return void (await ack(
        fieldError(undefined, 'Sorry, this could not be saved because of a problem on our side. Your text is still here: please try again.', 'reason'),
      ));
    }
    if (!r.ok) return void (await ack(fieldError(r.field ?? 'reason', r.message, 'reason')));
    await ack();
    const line =
      r.status === 'already'
        ? 'This erasure had already been approved; the hold was not recorded.'
        : `⏸️ Erasure held by <@${me.slackUserId}> (reason recorded); review on ${staffTime(r.reviewAt!, me.timeZone)}.`;
    const msg = meta.channel && meta.ts ? { channel: meta.channel, ts: meta.ts, text: meta.text ?? '' } : undefined;
    await markActed(deps, client, msg, line, [], { subjectId: meta.requestId, title: "Request to erase a client's personal data" });
    if (!msg) await client.chat.postMessage({ channel: me.slackUserId, text: line }).catch(() => {});
  });
}
