/**
 * Small pure Block Kit builders. Text from people (names, notes) is escaped
 * for mrkdwn and clipped to Slack's limits, so a long note can never make a
 * message fail.
 */
import { escapeMrkdwn } from '../../delivery/slack-blocks.js';

export type Block = Record<string, unknown>;

export const clip = (s: string, n: number) => ([...s].length <= n ? s : `${[...s].slice(0, n - 1).join('')}…`);

/** Slack mrkdwn needs &, < and > escaped in any text we did not write ourselves (blocks and `text` fallbacks alike). */
export const esc = escapeMrkdwn;

export const plain = (text: string, max = 75) => ({ type: 'plain_text', text: clip(text, max), emoji: true });
export const md = (text: string, max = 3000) => ({ type: 'mrkdwn', text: clip(text, max) });

export const header = (text: string): Block => ({ type: 'header', text: plain(text, 150) });
export const section = (text: string, extra: Block = {}): Block => ({ type: 'section', text: md(text), ...extra });
export const fields = (items: string[]): Block => ({ type: 'section', fields: items.slice(0, 10).map((t) => md(t, 2000)) });
export const context = (text: string): Block => ({ type: 'context', elements: [md(text)] });
export const divider = (): Block => ({ type: 'divider' });

export interface Button {
  text: string;
  actionId: string;
  value: string;
  style?: 'primary' | 'danger';
}

export const button = (b: Button): Block => ({
  type: 'button',
  text: plain(b.text),
  action_id: b.actionId,
  value: b.value,
  ...(b.style ? { style: b.style } : {}),
});
export const actions = (blockId: string, elements: Block[]): Block => ({ type: 'actions', block_id: blockId, elements: elements.slice(0, 25) });

export const option = (value: string, text: string) => ({ text: plain(text), value });

// ---- modal inputs: block_id = field name, action_id = INPUT ------------------------
import { INPUT } from '../ids.js';

export interface InputOpts {
  optional?: boolean;
  hint?: string;
}

const input = (field: string, label: string, element: Block, o: InputOpts = {}): Block => ({
  type: 'input',
  block_id: field,
  label: plain(label, 2000),
  element: { action_id: INPUT, ...element },
  ...(o.optional ? { optional: true } : {}),
  ...(o.hint ? { hint: plain(o.hint, 2000) } : {}),
});

export const textInput = (
  field: string,
  label: string,
  o: InputOpts & { multiline?: boolean; initial?: string | null; max?: number; placeholder?: string } = {},
): Block =>
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

export const selectInput = (field: string, label: string, opts: Array<[string, string]>, o: InputOpts & { initial?: string | null } = {}): Block => {
  const options = opts.map(([v, t]) => option(v, t));
  const initial = options.find((x) => x.value === o.initial);
  return input(field, label, { type: 'static_select', options, ...(initial ? { initial_option: initial } : {}) }, o);
};

export const dateInput = (field: string, label: string, o: InputOpts & { initial?: string | null } = {}): Block =>
  input(field, label, { type: 'datepicker', ...(o.initial ? { initial_date: o.initial } : {}) }, o);

export const timeInput = (field: string, label: string, o: InputOpts & { initial?: string | null; timezone?: string } = {}): Block =>
  input(field, label, { type: 'timepicker', ...(o.initial ? { initial_time: o.initial } : {}), ...(o.timezone ? { timezone: o.timezone } : {}) }, o);

export interface ModalOpts {
  callbackId: string;
  title: string;
  submit?: string;
  metadata: object;
  blocks: Block[];
}

export const modal = (o: ModalOpts): Block => ({
  type: 'modal',
  callback_id: o.callbackId,
  title: plain(o.title, 24),
  ...(o.submit ? { submit: plain(o.submit, 24) } : {}),
  close: plain('Cancel', 24),
  private_metadata: JSON.stringify(o.metadata),
  blocks: o.blocks.slice(0, 100),
});
