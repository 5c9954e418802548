import type { ViewOutput } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Deps } from '../deps.js';
import type { Mutation } from '../cases/case-mutation.js';
import { findCaseById } from '../cases/cases.repo.js';
import type { StaffRow } from '../staff/staff.repo.js';
import type { ModalMeta } from './ui/modals.blocks.js';
import { failureRef, fieldError, fieldsOf, readMeta } from './slack.kit.js';
import { blockIdFor } from './ui/form-fields.js';
import type { StaffViewHandler, ViewCtx } from './listeners/types.js';

/**
 * One shape for every case modal submission: who (directory, checked by the
 * staff wrapper in listeners/staff.ts), what (metadata and
 * values, validated by the service), then either inline field errors
 * (`response_action: errors`, the modal stays open with everything typed) or
 * close and confirm. Slack needs the answer within 3 s: if the work runs
 * longer, the modal is closed and the outcome is sent to the person's DM.
 * A failure keeps the modal open with a reference; details go to the log.
 */
interface SubmitInput {
  deps: Deps;
  me: StaffRow;
  meta: ModalMeta;
  f: ReturnType<typeof fieldsOf>;
  view: ViewOutput;
}

export interface ViewSpec<R> {
  /** Field to show errors under when the problem is not about one field. */
  fallbackField: string;
  handle(x: SubmitInput): Promise<Mutation<R>>;
  confirm(x: SubmitInput & { value: R; reference: string }): string;
}

const ACK_BUDGET_MS = 2500;

export function caseView<R>(spec: ViewSpec<R>): StaffViewHandler {
  return { field: spec.fallbackField, handle: (x) => submitCaseView(spec, x) };
}

async function submitCaseView<R>(spec: ViewSpec<R>, { deps, me, callbackId, ack, body, view, client }: ViewCtx): Promise<void> {
  const userId = body.user.id;
  const meta = readMeta(view.private_metadata);
  if (!meta) return void (await ack(fieldError(undefined, 'This form is out of date. Close it and open it again from the case card.', spec.fallbackField)));
  const x: SubmitInput = { deps, me, meta, f: fieldsOf(view.state.values), view };
  let acked = false;
  const work = spec.handle(x).then(
    (r) => ({ kind: 'done' as const, r }),
    (err: unknown) => ({ kind: 'error' as const, err }),
  );
  const timer = new Promise<{ kind: 'slow' }>((resolve) => setTimeout(() => resolve({ kind: 'slow' }), ACK_BUDGET_MS).unref());
  const first = await Promise.race([work, timer]);
  if (first.kind === 'slow') {
    acked = true;
    await ack();
  }
  const outcome = first.kind === 'slow' ? await work : first;
  if (outcome.kind === 'error') {
    const ref = failureRef();
    deps.logger.error(
      { ref, where: `view:${callbackId}`, slackUser: userId, err: (outcome.err as Error)?.message, stack: (outcome.err as Error)?.stack },
      'slack handler failed',
    );
    const msg = `Sorry, this could not be saved because of a problem on our side. Your text is still here: please try again. If it keeps happening, give your admin this reference: ${ref}.`;
    if (!acked) return void (await ack(fieldError(undefined, msg, spec.fallbackField)));
    return void (await dm(client, userId, `${msg.replace('Your text is still here: please try again.', 'Nothing was saved.')}`));
  }
  const r = outcome.r;
  if (!r.ok) {
    if (!acked) return void (await ack(fieldError(blockIdFor(r.field), r.message, spec.fallbackField)));
    return void (await dm(client, userId, `Not saved: ${r.message}`));
  }
  if (!acked) await ack();
  if (r.duplicate) return;
  const caseId = (r.value as { caseId?: string } | null)?.caseId ?? meta.caseId;
  const c = caseId ? await findCaseById(deps.db, caseId) : undefined;
  const text = spec.confirm({ ...x, value: r.value, reference: c?.reference ?? '' });
  // Confirm in the case's thread in the worker's DM when it is theirs, else in the DM.
  const thread =
    c && c.assignedWorkerId === me.id && c.slackChannel && c.slackThreadTs ? { channel: c.slackChannel, thread_ts: c.slackThreadTs } : { channel: userId };
  await client.chat
    .postMessage({ ...thread, text })
    .catch((err: unknown) => deps.logger.warn({ err: (err as Error).message }, 'could not confirm a submission'));
}

async function dm(client: WebClient, userId: string, text: string): Promise<void> {
  await client.chat.postMessage({ channel: userId, text }).catch(() => {});
}
