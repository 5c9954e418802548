import type { ModalView, StaticSelect, UsersSelect } from '@slack/types';
import { PRIORITY_LABEL } from './case-card.blocks.js';
import { actions, button, clip, context, esc, fields, header, modal, option, section, textInput, type Block } from './blocks.js';
import type { PickerEntry } from '../../cases/caseload-limit.js';
import { categoryLabel } from './case-file.blocks.js';
import { ACTIONS, BLOCKS, FIELDS, VIEWS } from './ids.js';
import { languageName } from '../../lib/languages.js';

/**
 * The intake card posted in the intake channel. A channel is seen by many,
 * so it carries only safe fields — reference, category, urgency, priority,
 * the safety flag — plus whatever INTAKE_CARD_SAFE_FIELDS allows (the
 * client's first name, language). Never the narrative.
 */
export interface IntakeCardInput {
  caseId: string;
  reference: string;
  category: string;
  urgency: string | null;
  priority: string;
  crisis: boolean;
  safety: string | null;
  firstName?: string | null;
  language?: string | null;
  assignedSlackUserId?: string | null;
  /** Who can take it, with their open caseload (issue 17); without it the picker is Slack's plain user list. */
  picker?: { limit: number; people: PickerEntry[] };
}

/**
 * The [Assign…] picker: each person with their open caseload, those at or over
 * CASELOAD_LIMIT marked (assigning them asks for a reason). The value is the
 * person's Slack user id, as the plain user picker sends.
 */
function workerPicker(placeholder: string, picker: IntakeCardInput['picker']): UsersSelect | StaticSelect {
  if (!picker?.people.length) return { type: 'users_select', action_id: ACTIONS.intakeAssignPick, placeholder: { type: 'plain_text', text: placeholder } };
  const label = (p: PickerEntry) =>
    `${p.atOrOver ? '⚠️ ' : ''}${clip(p.name, 40)} — ${p.open} open${p.open > picker.limit ? ' (over limit)' : p.open === picker.limit ? ' (at limit)' : ''}`;
  return {
    type: 'static_select',
    action_id: ACTIONS.intakeAssignPick,
    placeholder: { type: 'plain_text', text: placeholder },
    options: picker.people.slice(0, 100).map((p) => option(p.slackUserId, label(p))),
  };
}

const URGENCY: Record<string, string> = { today: 'Today', week: 'This week', month: 'This month', no_rush: 'No rush' };
const SAFETY: Record<string, string> = { safe: 'Says they are safe', unsafe: '🚨 Says they are NOT safe', unsure: '⚠️ Not sure they are safe' };

export function intakeCardText(x: IntakeCardInput): string {
  return `${x.crisis ? '🚨 CRISIS — ' : ''}New case ${x.reference} (${categoryLabel(x.category)}, ${PRIORITY_LABEL[x.priority] ?? x.priority})${x.assignedSlackUserId ? ` — assigned to <@${x.assignedSlackUserId}>` : ''}`;
}

export function intakeCardBlocks(x: IntakeCardInput): Block[] {
  const blocks: Block[] = [header(`${x.crisis ? '🚨 CRISIS — ' : ''}New case ${x.reference}`)];
  if (x.crisis) blocks.push(section('*🚨 CRISIS: the client reported danger.* Assign someone now; the on-call supervisor has been paged.'));
  const f = [
    `*Category:* ${categoryLabel(x.category)}`,
    `*Urgency:* ${x.urgency ? (URGENCY[x.urgency] ?? x.urgency) : '_not given_'}`,
    `*Priority:* ${PRIORITY_LABEL[x.priority] ?? x.priority}`,
    `*Safety:* ${x.crisis ? '🚨 Crisis reported' : x.safety ? (SAFETY[x.safety] ?? x.safety) : '_not asked_'}`,
  ];
  if (x.firstName) f.push(`*First name:* ${esc(x.firstName)}`);
  if (x.language) f.push(`*Language:* ${languageName(x.language)}`);
  blocks.push(fields(f));
  if (x.assignedSlackUserId) {
    blocks.push(section(`✅ Assigned to <@${x.assignedSlackUserId}>.`));
    blocks.push(actions(BLOCKS.intake(x.caseId), [workerPicker('Reassign…', x.picker)]));
  } else {
    blocks.push(
      actions(BLOCKS.intake(x.caseId), [
        button({ text: 'Assign to me', actionId: ACTIONS.intakeAssignMe, value: x.caseId, style: 'primary' }),
        workerPicker('Assign…', x.picker),
      ]),
    );
  }
  if (x.picker?.people.length)
    blocks.push(context(`Open cases per person as of this card; ⚠️ at or over the limit of ${x.picker.limit} (assigning them asks for a reason).`));
  blocks.push(context('Details (everything the client said) are in the case card, shown only to the assigned worker, their supervisor and admins.'));
  return blocks;
}

/** [Reassign] on an escalation: the intake card's picker, only to the asker (so the pick goes through the same listener). */
export function reassignBlocks(caseId: string, text: string): Block[] {
  return [section(text), actions(BLOCKS.intake(caseId), [workerPicker('Choose a worker…', undefined)])];
}

/** Assigning someone at or over CASELOAD_LIMIT: why (required, stored encrypted, audited). */
export function overLimitModal(meta: object, reference: string, targetName: string, message: string): ModalView {
  return modal({
    callbackId: VIEWS.assignOverLimit,
    title: 'Over the caseload limit',
    submit: 'Assign anyway',
    metadata: meta,
    blocks: [
      section(`:warning: ${message}`),
      textInput(FIELDS.reason, `Why should ${targetName} take ${reference}?`, {
        multiline: true,
        max: 500,
        hint: 'For example: they already know the family, or nobody else speaks the language. Stored encrypted; the assignment is audited.',
      }),
    ],
  });
}
