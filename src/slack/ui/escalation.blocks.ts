import type { ModalView } from '@slack/types';
import { staffTime } from '../../appointments/appointment.format.js';
import { CRISIS_OUTCOMES, type CrisisFollowUp } from '../../escalations/crisis-followup.service.js';
import type { StaffRow } from '../../staff/staff.repo.js';
import { actions, type Block, button, context, modal, section, selectInput, textInput } from './blocks.js';
import { ACTIONS, BLOCKS, FIELDS, VIEWS } from './ids.js';
import type { ViewId } from './ids.js';

/**
 * What the buttons on reminders, nudges, escalations and crisis pages show
 * after someone acted: the message with its buttons replaced by a line saying
 * who did what, the reason modals, the crisis follow-up.
 */

/** The acted-on message: its title, the line about who did what, and any buttons still useful. */
export function actedBlocks(title: string | undefined, line: string, extra: Block[] = []): Block[] {
  return [...(title ? [section(title)] : []), context(line), ...extra];
}

/**
 * A page listing several crises (crisis-page.kind.ts's combine), after someone acted on one of them: that
 * crisis's row of buttons becomes `line` (and `extra`, its block ids made unique to the crisis); every other
 * block stays as it is. `blocks` come with the button press, so they are used only if every row of buttons in
 * them is one of ours for a crisis of this message (`crises`, from the ledger). Undefined otherwise, or when
 * they hold no buttons for that crisis.
 */
export function actedInCombined(
  blocks: readonly Block[],
  crises: readonly string[],
  escalationId: string,
  line: string,
  extra: Block[] = [],
): Block[] | undefined {
  const ours = new Set(crises.flatMap((id) => [BLOCKS.crisisPageOf(id), `${BLOCKS.crisisFollowUp}:${id}`]));
  if (!crises.includes(escalationId) || blocks.some((b) => b.type === 'actions' && !ours.has(b.block_id ?? ''))) return undefined;
  const at = blocks.findIndex((b) => b.block_id === BLOCKS.crisisPageOf(escalationId));
  if (at < 0) return undefined;
  const own = extra.map((b) => (b.block_id ? { ...b, block_id: `${b.block_id}:${escalationId}` } : b));
  return [...blocks.slice(0, at), context(line), ...own, ...blocks.slice(at + 1)];
}

export const REASON_MAX = 500;

/** A modal asking for a reason (snooze, no follow-up needed, crisis outcome); `extra` inputs go above the reason. */
function reasonModal(callbackId: ViewId, title: string, submit: string, meta: object, intro: string, extra: Block[] = []): ModalView {
  return modal({
    callbackId,
    title,
    submit,
    metadata: meta,
    blocks: [
      section(intro),
      ...extra,
      textInput(FIELDS.reason, 'Reason (required)', {
        multiline: true,
        max: REASON_MAX,
        hint: 'Kept with the escalation, encrypted; not shown in the channel.',
      }),
    ],
  });
}

/** [Snooze — reason required]: how long (`choices`: [ISO duration, label]) and why. */
export function snoozeModal(reference: string, meta: object, choices: Array<[string, string]>): ModalView {
  return reasonModal(
    VIEWS.escSnooze,
    `Snooze ${reference}`,
    'Snooze',
    meta,
    `Snooze the escalation about *${reference}*. It comes back when the time is up unless a note is logged first.`,
    [selectInput(FIELDS.until, 'For how long', choices, { initial: 'P1D' })],
  );
}

/** [No follow-up needed — reason]: why (the case then has no follow-up date). */
export function notNeededModal(reference: string, meta: object): ModalView {
  return reasonModal(
    VIEWS.escNotNeeded,
    `${reference}`,
    'Save',
    meta,
    `No follow-up needed for *${reference}*? Say why; the case then has no follow-up date until you set one.`,
  );
}

/** [Record outcome] on a crisis: how it ended (the only way a crisis ends), with the reason. */
export function crisisOutcomeModal(reference: string, meta: object): ModalView {
  return reasonModal(
    VIEWS.crisisOutcome,
    `Crisis ${reference}`,
    'Resolve',
    meta,
    `Record how the crisis on *${reference}* ended. This resolves it and ends any temporary access it gave. Details belong in a case note too.`,
    [selectInput(FIELDS.crisisOutcome, 'Outcome', Object.entries(CRISIS_OUTCOMES))],
  );
}

/**
 * After a crisis is acknowledged: what is now due, with the buttons to do it —
 * log the safety plan (the note modal), record the outcome (the only way a
 * crisis ends), cancel the client's check-in, open the case.
 */
export function crisisFollowUpBlocks(me: StaffRow, r: { crisis?: CrisisFollowUp | undefined }, escalationId: string, caseId: string): Block[] {
  const f = r.crisis;
  if (!f) return [];
  const when = (d: Date) => staffTime(d, me.timeZone);
  const lines = [
    `*Next:* a safety plan note is due by ${when(f.safetyPlanDueAt.toJSDate())}; without one the crisis pages again.`,
    f.checkinAt ? `A check-in message goes to the client at ${when(f.checkinAt.toJSDate())} unless you cancel it.` : '',
    f.accessGranted ? 'You can open this case until the crisis is resolved.' : '',
    'The crisis stays open until someone records its outcome.',
  ].filter(Boolean);
  return [
    context(lines.join('\n')),
    actions(BLOCKS.crisisFollowUp, [
      button({ text: 'Record safety plan', actionId: ACTIONS.logNote, value: caseId, style: 'primary' }),
      button({ text: 'Record outcome', actionId: ACTIONS.crisisOutcome, value: escalationId }),
      ...(f.checkinAt ? [button({ text: 'Cancel check-in', actionId: ACTIONS.crisisCancelCheckin, value: escalationId })] : []),
      button({ text: 'Open case', actionId: ACTIONS.openCase, value: caseId }),
    ]),
  ];
}

/** [Log note] left on an outcome question once the outcome is recorded. */
export function outcomeDoneBlocks(caseId: string): Block[] {
  return [actions(BLOCKS.outcomeDone, [button({ text: 'Log note', actionId: ACTIONS.logNote, value: caseId, style: 'primary' })])];
}
