/**
 * The Block Kit builders of the Slack app, typed with @slack/types. Text from
 * people (names, notes) is escaped for mrkdwn and clipped to Slack's limits,
 * so a long note can never make a message fail.
 */
import type {
  ActionsBlock,
  ActionsBlockElement,
  Button as ButtonElement,
  ContextBlock,
  DividerBlock,
  HeaderBlock,
  InputBlock,
  InputBlockElement,
  KnownBlock,
  ModalView,
  MrkdwnElement,
  PlainTextElement,
  PlainTextOption,
  SectionBlock,
} from '@slack/types';
import { clip } from '../../lib/clip.js';
import { INPUT } from './ids.js';
import type { ActionId, BlockId, FieldId, ViewId } from './ids.js';
import type { SlackOutbound } from '../../delivery/outbound.js';

export { clip };
export type Block = KnownBlock;

/**
 * Slack mrkdwn needs &, < and > escaped in any text we did not write ourselves:
 * otherwise `<!channel>`, `<@U…>` or `<http://evil.example|my bank>` in a client's
 * words become a ping or a disguised link. The one escaper for blocks and the
 * plain `text` fallback alike (Slack parses both; the fallback is the notification).
 */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export const plain = (text: string, max = 75): PlainTextElement => ({ type: 'plain_text', text: clip(text, max), emoji: true });
const md = (text: string, max = 3000): MrkdwnElement => ({ type: 'mrkdwn', text: clip(text, max) });

export const header = (text: string): HeaderBlock => ({ type: 'header', text: plain(text, 150) });
export const section = (text: string, extra: Partial<SectionBlock> = {}): SectionBlock => ({ type: 'section', text: md(text), ...extra });
export const fields = (items: string[]): SectionBlock => ({ type: 'section', fields: items.slice(0, 10).map((t) => md(t, 2000)) });
export const context = (text: string): ContextBlock => ({ type: 'context', elements: [md(text)] });
export const divider = (): DividerBlock => ({ type: 'divider' });

export interface Button {
  text: string;
  actionId: ActionId;
  value: string;
  style?: 'primary' | 'danger';
}

export const button = (b: Button): ButtonElement => ({
  type: 'button',
  text: plain(b.text),
  action_id: b.actionId,
  value: b.value,
  ...(b.style ? { style: b.style } : {}),
});
export const actions = (blockId: BlockId, elements: ActionsBlockElement[]): ActionsBlock => ({
  type: 'actions',
  block_id: blockId,
  elements: elements.slice(0, 25),
});
/** A row of buttons (the delivery kinds' section + buttons messages). */
export const buttons = (blockId: BlockId, list: Button[]): ActionsBlock => actions(blockId, list.map(button));
/** A message whose text is followed by a row of buttons (the delivery kinds that ask staff to act). */
export const buttonMessage = (to: string, text: string, blockId: BlockId, list: Button[]): SlackOutbound => ({
  channel: 'slack',
  to,
  text,
  blocks: [section(text), buttons(blockId, list)],
});

export const option = (value: string, text: string): PlainTextOption => ({ text: plain(text), value });

// ---- modal inputs: block_id = field name, action_id = INPUT ------------------------

export interface InputOpts {
  optional?: boolean;
  hint?: string;
}

/** An input block whose element answers to INPUT; `label` is clipped to 2,000 (`max` for a shorter label). */
const input = (field: FieldId, label: string, element: InputBlockElement, o: InputOpts & { labelMax?: number } = {}): InputBlock => ({
  type: 'input',
  block_id: field,
  label: plain(label, o.labelMax ?? 2000),
  element: { action_id: INPUT, ...element },
  ...(o.optional ? { optional: true } : {}),
  ...(o.hint ? { hint: plain(o.hint, 2000) } : {}),
});

export const textInput = (
  field: FieldId,
  label: string,
  o: InputOpts & { multiline?: boolean; initial?: string | null; max?: number; placeholder?: string } = {},
): InputBlock =>
  input(
    field,
    label,
    {
      type: 'plain_text_input',
      ...(o.multiline ? { multiline: true } : {}),
      ...(o.initial ? { initial_value: clip(o.initial, o.max ?? 3000) } : {}),
      max_length: o.max ?? 3000,
      ...(o.placeholder ? { placeholder: plain(o.placeholder, 150) } : {}),
    },
    o,
  );

export const selectInput = (field: FieldId, label: string, opts: Array<[string, string]>, o: InputOpts & { initial?: string | null } = {}): InputBlock => {
  const options = opts.map(([v, t]) => option(v, t));
  const initial = options.find((x) => x.value === o.initial);
  return input(field, label, { type: 'static_select', options, ...(initial ? { initial_option: initial } : {}) }, o);
};

/** A multi-select input; its label keeps Slack's default clip (75), as it always had. */
export const multiSelectInput = (
  field: FieldId,
  label: string,
  opts: Array<[string, string]>,
  o: { initial: string[]; max?: number; hint?: string },
): InputBlock => {
  const options = opts.map(([v, t]) => option(v, t));
  const init = options.filter((x) => o.initial.includes(x.value ?? ''));
  return input(
    field,
    label,
    {
      type: 'multi_static_select',
      options,
      ...(init.length ? { initial_options: init } : {}),
      ...(o.max ? { max_selected_items: o.max } : {}),
    },
    { labelMax: 75, ...(o.hint ? { hint: o.hint } : {}) },
  );
};

export const dateInput = (field: FieldId, label: string, o: InputOpts & { initial?: string | null } = {}): InputBlock =>
  input(field, label, { type: 'datepicker', ...(o.initial ? { initial_date: o.initial } : {}) }, o);

export const timeInput = (field: FieldId, label: string, o: InputOpts & { initial?: string | null; timezone?: string } = {}): InputBlock =>
  input(field, label, { type: 'timepicker', ...(o.initial ? { initial_time: o.initial } : {}), ...(o.timezone ? { timezone: o.timezone } : {}) }, o);

export interface ModalOpts {
  callbackId: ViewId;
  title: string;
  submit?: string;
  /** The close button's label ('Cancel' unless said). */
  close?: string;
  metadata: object;
  blocks: Block[];
}

export const modal = (o: ModalOpts): ModalView => ({
  type: 'modal',
  callback_id: o.callbackId,
  title: plain(o.title, 24),
  ...(o.submit ? { submit: plain(o.submit, 24) } : {}),
  close: plain(o.close ?? 'Cancel', 24),
  private_metadata: JSON.stringify(o.metadata),
  blocks: o.blocks.slice(0, 100),
});
