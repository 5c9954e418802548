import type { ActionsBlock, Button as ButtonElement, ModalView } from '@slack/types';
import type { CaseIntakeView, HistoryPage, IntakeEntry, IntakeField } from '../../cases/case-file.js';
import { NOTE_KIND_LABELS } from '../../cases/case-notes.service.js';
import { staffTime } from '../../appointments/appointment.format.js';
import { en as EN } from '../../i18n/en.js';
import { actions, button, context, divider, esc, header, plain, section, type Block } from './blocks.js';
import { ACTIONS, BLOCKS, VIEWS } from './ids.js';
import { languageName } from '../../lib/languages.js';

/**
 * The full intake and the history, as modals. Block Kit allows 3,000
 * characters in a section and 100 blocks in a view: long answers are split
 * over several sections (at line or word breaks), never cut, and a view that
 * would pass 100 blocks says so at its end instead of failing.
 */
const SECTION_MAX = 3000;
const VIEW_MAX_BLOCKS = 100;

/** The English words of a code in one group of the client-facing texts (their one owner), or `fallback`. */
const word = (group: Readonly<Record<string, string>>, code: string | null | undefined, fallback: string): string =>
  code != null && Object.hasOwn(group, code) ? group[code]! : fallback;

/** Staff-facing (English) words for category codes; one owner: the client-facing i18n. */
export const categoryLabel = (code: string): string => word(EN.categories, code, code);

const FIELD_LABEL: Record<IntakeField, string> = {
  name: 'Name they gave',
  category: 'What it is about',
  story: 'What is happening (their words)',
  change: 'What they would like to be different',
  support: 'Who can support them',
  strengths: 'What has helped, what they are good at',
  urgency: 'How soon',
  availability: 'When to reach them',
  timezone: 'Time zone',
  language: 'Language',
  safety: 'Safety check',
  agreement: 'Service agreement',
};
const SAFETY: Record<string, string> = { safe: 'Said they are safe', unsafe: '🚨 Said they are NOT safe', unsure: '⚠️ Not sure they are safe' };

function entryValue(e: IntakeEntry): string {
  switch (e.field) {
    case 'category':
      return categoryLabel(e.code ?? '');
    case 'urgency':
      return word(EN.urgency, e.code, `urgency.${e.code}`);
    case 'availability':
      return e.code ? word(EN.availability, e.code, `availability.${e.code}`) : esc(e.text ?? '');
    case 'support':
      return e.code === 'none' ? '_No one, they said_' : esc(e.text ?? '');
    case 'strengths':
      return e.code === 'skipped' ? '_skipped_' : esc(e.text ?? '');
    case 'language':
      return languageName(e.code);
    case 'safety':
      return SAFETY[e.code ?? ''] ?? e.code ?? '';
    case 'agreement':
      return `version ${e.code}, given ${e.text ? e.text.slice(0, 16).replace('T', ' ') : ''} UTC`;
    default:
      return esc(e.text ?? '');
  }
}

/** Split text into pieces of at most `max` characters (code points), preferring line, then word breaks. */
export function splitText(text: string, max = SECTION_MAX): string[] {
  const chars = [...text];
  const out: string[] = [];
  let i = 0;
  while (i < chars.length) {
    if (chars.length - i <= max) {
      out.push(chars.slice(i).join(''));
      break;
    }
    const window = chars.slice(i, i + max).join('');
    const cut = Math.max(window.lastIndexOf('\n'), window.lastIndexOf(' '));
    const take = cut > max / 2 ? [...window.slice(0, cut)].length : max;
    out.push(chars.slice(i, i + take).join(''));
    i += take;
    while (chars[i] === '\n' || chars[i] === ' ') i++;
  }
  return out.length ? out : [''];
}

/** A labelled answer as one or more sections, none over the limit. */
export function labelledSections(label: string, value: string): Block[] {
  const head = `*${label}*\n`;
  return splitText(value, SECTION_MAX - [...head].length).map((part, i) => section(`${i === 0 ? head : ''}${part}`));
}

/** Keep a view within Slack's block limit, saying so when something had to be left off. */
export function fitView(blocks: Block[], more: string): Block[] {
  if (blocks.length <= VIEW_MAX_BLOCKS) return blocks;
  return [...blocks.slice(0, VIEW_MAX_BLOCKS - 1), context(more)];
}

const infoModal = (callbackId: string, title: string, meta: object, blocks: Block[]): ModalView => ({
  type: 'modal',
  callback_id: callbackId,
  title: plain(title, 24),
  close: plain('Close', 24),
  private_metadata: JSON.stringify(meta),
  blocks,
});

export function fullIntakeModal(reference: string, view: CaseIntakeView | null, caseId: string): ModalView {
  const blocks: Block[] = [header(`Intake — ${reference}`)];
  if (!view) {
    blocks.push(section('_This case has no intake answers (opened without the Telegram intake, or the client asked for their data to be erased)._'));
  } else {
    if (!view.complete)
      blocks.push(section('⚠️ *The client had not finished the questions* when this case was opened (a crisis was reported during the intake).'));
    for (const e of view.entries) blocks.push(...labelledSections(FIELD_LABEL[e.field], entryValue(e)));
  }
  blocks.push(context('Confidential: shown to the assigned worker, their supervisor and admins. Each opening is recorded in the audit log.'));
  return infoModal(VIEWS.intake, 'Full intake', { caseId }, fitView(blocks, '…the view is full. Ask an admin for the rest.'));
}

function historyHeading(e: HistoryPage['entries'][number], zone: string): string {
  const what =
    e.kind === 'message'
      ? e.direction === 'from_client'
        ? '✉️ Message from the client'
        : '📤 Message to the client'
      : `📝 ${NOTE_KIND_LABELS[e.kind] ?? e.kind}`;
  return `${what} — ${staffTime(e.at.toJSDate(), zone)}${e.author ? ` · ${esc(e.author)}` : ''}`;
}

export function historyModal(reference: string, h: HistoryPage, caseId: string, zone: string): ModalView {
  const blocks: Block[] = [
    header(`History — ${reference}`),
    context(`Notes and messages, newest first. Page ${h.page + 1} of ${h.pages} (${h.total} in all). Times in ${zone}.`),
  ];
  if (h.entries.length === 0) blocks.push(section('_No notes or messages yet._'));
  for (const e of h.entries) {
    blocks.push(...labelledSections(historyHeading(e, zone), esc(e.text)), divider());
  }
  const nav: ButtonElement[] = [];
  if (h.page > 0) nav.push(button({ text: '← Newer', actionId: ACTIONS.historyPage, value: `${caseId}:${h.page - 1}` }));
  if (h.page < h.pages - 1) nav.push(button({ text: 'Older →', actionId: ACTIONS.historyPage, value: `${caseId}:${h.page + 1}` }));
  // Room is kept for the page buttons: they are how the rest is reached.
  const body = fitView(blocks, '…this page is full; use Older → for the rest.').slice(0, nav.length ? VIEW_MAX_BLOCKS - 1 : VIEW_MAX_BLOCKS);
  if (nav.length) body.push(actions(BLOCKS.history(caseId), nav));
  return infoModal(VIEWS.history, 'History', { caseId, page: h.page }, body);
}

/** The [Full intake] and [History] buttons on the case card. */
export function caseFileButtons(caseId: string): ActionsBlock {
  return actions(BLOCKS.caseFile(caseId), [
    button({ text: 'Full intake', actionId: ACTIONS.fullIntake, value: caseId }),
    button({ text: 'History', actionId: ACTIONS.history, value: caseId }),
  ]);
}
