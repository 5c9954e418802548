import type { BlockAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { and, eq, like, or } from 'drizzle-orm';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { cases, deliveries, escalations } from '../db/schema.js';
import { whoIsOnCall } from '../staff/oncall.service.js';
import type { StaffRow } from '../staff/staff.repo.js';
import { staffTime } from '../appointments/appointment.format.js';
import { canAccessCase } from './access.js';
import { NO_CASE, recordAccessRefused } from '../cases/case-access.js';
import type { Block } from './ui/blocks.js';
import type { ModalView } from '@slack/types';
import { actedBlocks, actedInCombined, REASON_MAX } from './ui/escalation.blocks.js';
import { fieldError, fieldsOf, tell, type Asker } from './slack.kit.js';
import { parseMeta, SAVE_FAILED_TEXT_KEPT, viewFailed } from './listeners/staff.js';
import { type StaffActionHandler, type StaffViewHandler, buttonValue, type ViewCtx } from './listeners/types.js';
import { isUuid } from '../lib/uuid.js';

/**
 * The buttons on reminder / nudge / escalation / crisis-page messages
 * (rendered by src/slack/kinds/*.kind.ts).
 * After the staff wrapper (ack, directory), access is checked on the server; the
 * services do the change (audited, idempotent); the message is then updated
 * to say who acted, without buttons, so it cannot be pressed again meaningfully.
 */

/** The snooze modal's choices (ISO duration, label). */
export const SNOOZE_CHOICES: Array<[string, string]> = [
  ['P1D', '1 day'],
  ['P3D', '3 days'],
  ['P7D', '1 week'],
];

/** One answer for an escalation that does not exist and one about a case the asker may not act on (as REFUSE.unavailable for cases). */
const ESC_UNAVAILABLE =
  "I can't act on this: there is no such escalation among the ones you can see. If it is about a colleague's case, ask the case's supervisor (or an admin).";

type EscRow = { e: typeof escalations.$inferSelect; c: typeof cases.$inferSelect };
type EscAccess = ({ ok: true } & EscRow) | { ok: false; message: string };

/**
 * Who may act on an escalation: whoever may use the case (the worker on their own
 * case, their supervisor, admins) — and, for a crisis, any on-call supervisor paged for it.
 */
async function escalationForActor(deps: Deps, me: StaffRow, escalationId: string): Promise<EscAccess> {
  const [row] = isUuid(escalationId)
    ? await deps.db
        .select({ e: escalations, c: cases })
        .from(escalations)
        .innerJoin(cases, eq(cases.id, escalations.caseId))
        .where(eq(escalations.id, escalationId))
        .limit(1)
    : [];
  // Anyone paged for a crisis may act on it (acknowledging gives them the case until it is resolved).
  const pagedForCrisis = !!row && row.e.reason === 'crisis' && me.active && me.role !== 'worker' && (await wasPaged(deps, row.e.id, me.id));
  // A missing escalation goes through the same case check as another's (NO_CASE), then gets the same answer.
  const allowed = pagedForCrisis || (await canAccessCase(deps.db, me, row?.c ?? NO_CASE));
  if (row && allowed) return { ok: true, ...row };
  await recordAccessRefused(deps, me, { attempted: escalationId, caseId: row?.c.id ?? null, via: 'escalation', subjectType: 'escalation' });
  return { ok: false, message: ESC_UNAVAILABLE };
}

async function wasPaged(deps: Deps, escalationId: string, staffId: string): Promise<boolean> {
  // Paged directly, or through a channel post that supervisors and admins read.
  const [hit] = await deps.db
    .select({ id: deliveries.id })
    .from(deliveries)
    .where(
      and(
        eq(deliveries.kind, 'crisis_page'),
        eq(deliveries.subjectId, escalationId),
        or(eq(deliveries.recipient, `staff:${staffId}`), like(deliveries.recipient, 'channel:%')),
      ),
    )
    .limit(1);
  if (hit) return true;
  return (await whoIsOnCall(deps.db, deps.clock.now())).some((s) => s.id === staffId);
}

/** Where the clicked message is, and what it said (to keep its text when the buttons go). */
export interface MessageRef {
  channel: string;
  ts: string;
  text: string;
  /** The message's blocks as Slack sent them with a button press (a page listing several crises is edited in place, per crisis). */
  blocks?: Block[];
}

/** Blocks as a block_actions payload carries them: only a list Slack could have sent back (at most 50 blocks, each with a type). */
const payloadBlocks = z.array(z.looseObject({ type: z.string().max(40), block_id: z.string().max(255).optional() })).max(50);

export function messageOf(body: BlockAction): MessageRef | undefined {
  const channel = body.channel?.id ?? (body.container as { channel_id?: string } | undefined)?.channel_id;
  const ts = body.message?.ts ?? (body.container as { message_ts?: string } | undefined)?.message_ts;
  if (!channel || !ts) return undefined;
  const blocks = payloadBlocks.safeParse(body.message?.blocks);
  return { channel, ts, text: String(body.message?.text ?? '').slice(0, 1500), ...(blocks.success ? { blocks: blocks.data as Block[] } : {}) };
}

/**
 * The message a request names is edited only if it is the one we posted about
 * this subject (an escalation, an appointment, an erasure request): a sent
 * Slack delivery for it with that ts. Its text is then our own title, never the
 * text the request carries (a signed request could name any message and any text).
 */
export interface OwnMessage {
  subjectId: string;
  title: string;
}

async function isOurMessage(deps: Deps, subjectId: string, ts: string): Promise<boolean> {
  if (!isUuid(subjectId)) return false;
  const [hit] = await deps.db
    .select({ id: deliveries.id })
    .from(deliveries)
    .where(and(eq(deliveries.subjectId, subjectId), eq(deliveries.channel, 'slack'), eq(deliveries.status, 'sent'), eq(deliveries.externalRef, ts)))
    .limit(1);
  return !!hit;
}

/** The crises (escalation ids) of the page sent as this ts: more than one when it is a page listing several. */
async function crisesOfPage(deps: Deps, ts: string): Promise<Array<{ id: string; reference: string | null }>> {
  const rows = await deps.db
    .select({ id: deliveries.subjectId, reference: cases.reference })
    .from(deliveries)
    .leftJoin(cases, eq(cases.id, deliveries.caseId))
    .where(and(eq(deliveries.kind, 'crisis_page'), eq(deliveries.channel, 'slack'), eq(deliveries.status, 'sent'), eq(deliveries.externalRef, ts)))
    .limit(50);
  return [...new Map(rows.map((r) => [r.id, r])).values()];
}

/** Replace the message's buttons with a line saying who did what (and keep a [Log note] when useful). */
/** False when there was no message to edit, or it was not ours to edit. */
export async function markActed(
  deps: Deps,
  client: WebClient,
  m: MessageRef | undefined,
  line: string,
  extra: Block[] = [],
  own?: OwnMessage,
): Promise<boolean> {
  if (!m) return false;
  if (own && !(await isOurMessage(deps, own.subjectId, m.ts))) {
    deps.logger.warn({ subjectId: own.subjectId }, 'refused to edit a message that is not ours for this subject');
    return false;
  }
  const crises = own ? await crisesOfPage(deps, m.ts) : [];
  if (own && crises.length > 1) {
    // A page listing several crises: only this crisis's buttons give way to the line; the others keep theirs.
    // Without the message's blocks (a modal's submit), or with blocks that are not ours, it is not edited at all:
    // replacing it would take every other crisis's buttons away (the caller tells the person instead).
    const blocks =
      m.blocks &&
      actedInCombined(
        m.blocks,
        crises.map((c) => c.id),
        own.subjectId,
        line,
        extra,
      );
    if (!blocks) return false;
    // The notification text is ours too, never the request's: the crises it lists.
    const text = `:rotating_light: Crises on ${crises.map((c) => c.reference ?? 'a case').join(', ')}`;
    await client.chat
      .update({ channel: m.channel, ts: m.ts, text, blocks })
      .catch((err: unknown) => deps.logger.warn({ err: (err as Error).message }, 'could not update the combined page'));
    return true;
  }
  const text = own ? own.title : m.text;
  await client.chat
    .update({ channel: m.channel, ts: m.ts, text: text || line, blocks: actedBlocks(text, line, extra) })
    .catch((err: unknown) => deps.logger.warn({ err: (err as Error).message }, 'could not update the escalation message'));
  return true;
}

export const when = (me: StaffRow, at: Date) => staffTime(at, me.timeZone);

/** What an acted-on escalation message says above the line about who did what. */
function escalationTitle(row: EscRow): OwnMessage {
  const what = row.e.reason === 'crisis' ? ':rotating_light: Crisis' : `Escalation (${row.e.reason.replace(/_/g, ' ')})`;
  return { subjectId: row.e.id, title: `${what} on *${row.c.reference}*` };
}

/** What an escalation button's handler gets once the escalation is found and the asker may act on it. */
export interface EscalationCtx {
  deps: Deps;
  me: StaffRow;
  a: Asker;
  row: EscRow;
  msg: MessageRef | undefined;
  client: WebClient;
  triggerId: string;
  own: OwnMessage;
}

/** One button on an escalation message (after the staff wrapper: ack, directory): access to the escalation, then `act`. */
export function escalationButton(act: (x: EscalationCtx) => Promise<void>): StaffActionHandler {
  return async ({ deps, me, a, body, action, client }) => {
    const access = await escalationForActor(deps, me, buttonValue(action));
    if (!access.ok) return tell(a, access.message);
    await act({ deps, me, a, row: access, msg: messageOf(body), client, triggerId: body.trigger_id, own: escalationTitle(access) });
  };
}

// ---- reason modals (snooze, no follow-up needed) --------------------------------------------

/** Where the pressed message is, kept in a reason modal's metadata (to edit that message on submit, if it is ours). */
export const MESSAGE_META = { channel: z.string().max(40).optional(), ts: z.string().max(40).optional(), text: z.string().max(1500).optional() };
const metaSchema = z.object({ escalationId: z.string().refine(isUuid), ...MESSAGE_META }).strict();

/** The message named by a modal's metadata (both channel and ts), if any. */
export function messageFromMeta(meta: { channel?: string | undefined; ts?: string | undefined; text?: string | undefined }): MessageRef | undefined {
  return meta.channel && meta.ts ? { channel: meta.channel, ts: meta.ts, text: meta.text ?? '' } : undefined;
}
type ReasonMeta = z.infer<typeof metaSchema>;

function metaFrom(escalationId: string, m: MessageRef | undefined): ReasonMeta {
  return { escalationId, ...(m ? { channel: m.channel, ts: m.ts, text: m.text } : {}) };
}

/** Open a reason modal about the pressed escalation (its message kept in the metadata, to be edited on submit). */
export async function openReasonModal(
  { row, msg, client, triggerId }: Pick<EscalationCtx, 'row' | 'msg' | 'client' | 'triggerId'>,
  build: (meta: ReasonMeta) => ModalView,
): Promise<void> {
  await client.views.open({ trigger_id: triggerId, view: build(metaFrom(row.e.id, msg)) });
}

type ReasonOutcome = { ok: true; line: string } | { ok: false; field?: string; message: string };
export type ReasonHandle = (x: { deps: Deps; me: StaffRow; meta: ReasonMeta; reason: string; f: ReturnType<typeof fieldsOf> }) => Promise<ReasonOutcome>;

/**
 * A reason modal's submission: bad input (empty or too long reason, stale form,
 * no access) is answered on the field and the modal stays open with the text;
 * success closes it and updates the original message.
 */
export function reasonView(handle: ReasonHandle): StaffViewHandler {
  return { field: 'reason', handle: (x) => submitReason(handle, x) };
}

async function submitReason(handle: ReasonHandle, { deps, me, callbackId, ack, view, client }: ViewCtx): Promise<void> {
  const meta = parseMeta(metaSchema, view.private_metadata);
  if (!meta) return void (await ack(fieldError(undefined, 'This form is out of date. Close it and press the button on the message again.', 'reason')));
  const f = fieldsOf(view.state.values);
  const reason = f.text('reason').trim();
  if (!reason) return void (await ack(fieldError('reason', 'Please give a reason (a few words are enough).', 'reason')));
  if ([...reason].length > REASON_MAX)
    return void (await ack(fieldError('reason', `Please keep the reason under ${REASON_MAX} characters (it has ${[...reason].length}).`, 'reason')));
  let out: ReasonOutcome;
  let own: OwnMessage | undefined;
  try {
    const access = await escalationForActor(deps, me, meta.escalationId);
    if (access.ok) own = escalationTitle(access);
    out = access.ok ? await handle({ deps, me, meta, reason, f }) : { ok: false, message: access.message };
  } catch (err) {
    return viewFailed(deps, ack, callbackId, err, 'reason', SAVE_FAILED_TEXT_KEPT);
  }
  if (!out.ok) return void (await ack(fieldError(out.field ?? 'reason', out.message, 'reason')));
  await ack();
  const msg = messageFromMeta(meta);
  // Not edited (no message, or not ours): the person still sees what was done, in their DM.
  if (!(await markActed(deps, client, msg, out.line, [], own))) await client.chat.postMessage({ channel: me.slackUserId, text: out.line }).catch(() => {});
}
