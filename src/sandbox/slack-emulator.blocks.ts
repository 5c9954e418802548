/**
 * Block Kit checks the service can trip over: the limits Slack enforces with
 * `invalid_blocks` (messages) or `invalid_arguments` (views), reported with
 * Slack-style `response_metadata.messages` pointers.
 */
import { jsonParam } from './emulator-http.js';
import { SlackApiError } from './slack-emulator.types.js';

type Obj = Record<string, unknown>;

function textOf(v: unknown): string | undefined {
  return v && typeof v === 'object' && typeof (v as Obj).text === 'string' ? ((v as Obj).text as string) : undefined;
}

/** Returns problems as Slack formats them: `[ERROR] … [json-pointer:/blocks/0/text/text]`. */
function blockProblems(blocks: unknown[], maxBlocks: number): string[] {
  const errs: string[] = [];
  const err = (msg: string, ptr: string) => errs.push(`[ERROR] ${msg} [json-pointer:${ptr}]`);
  if (blocks.length > maxBlocks) err(`no more than ${maxBlocks} items allowed`, '/blocks');
  const seenBlockIds = new Set<string>();
  blocks.forEach((b, i) => {
    const p = `/blocks/${i}`;
    if (!b || typeof b !== 'object') return err('must be an object', p);
    const block = b as Obj;
    if (typeof block.type !== 'string') return err('missing required field: type', p);
    if (typeof block.block_id === 'string') {
      if (seenBlockIds.has(block.block_id)) err(`duplicate block_id`, `${p}/block_id`);
      seenBlockIds.add(block.block_id);
      if (block.block_id.length > 255) err('must be less than 256 characters', `${p}/block_id`);
    }
    const t = textOf(block.text);
    switch (block.type) {
      case 'section':
        if (t !== undefined && t.length > 3000) err('must be less than 3001 characters', `${p}/text/text`);
        if (t === undefined && !Array.isArray(block.fields)) err('must provide either text or fields', p);
        if (Array.isArray(block.fields)) {
          if (block.fields.length > 10) err('no more than 10 items allowed', `${p}/fields`);
          block.fields.forEach((f, j) => {
            if ((textOf(f)?.length ?? 0) > 2000) err('must be less than 2001 characters', `${p}/fields/${j}/text`);
          });
        }
        break;
      case 'header':
        if (t === undefined) err('missing required field: text', p);
        else if (t.length > 150) err('must be less than 151 characters', `${p}/text/text`);
        break;
      case 'actions':
        if (!Array.isArray(block.elements) || block.elements.length === 0) err('must provide at least 1 element', `${p}/elements`);
        else if (block.elements.length > 25) err('no more than 25 items allowed', `${p}/elements`);
        else block.elements.forEach((e, j) => elementProblems(e, `${p}/elements/${j}`, err));
        break;
      case 'input':
        if (!block.element) err('missing required field: element', p);
        if (textOf(block.label) === undefined) err('missing required field: label', p);
        else if (textOf(block.label)!.length > 2000) err('must be less than 2001 characters', `${p}/label/text`);
        break;
      case 'context':
        if (!Array.isArray(block.elements) || block.elements.length > 10) err('must provide 1 to 10 elements', `${p}/elements`);
        break;
      case 'divider':
      case 'image':
      case 'rich_text':
      case 'file':
      case 'video':
      case 'markdown':
        break;
      default:
        err(`unsupported block type ${JSON.stringify(block.type)}`, `${p}/type`);
    }
    if (block.accessory) elementProblems(block.accessory, `${p}/accessory`, err);
  });
  return errs;
}

function elementProblems(e: unknown, p: string, err: (msg: string, ptr: string) => void): void {
  if (!e || typeof e !== 'object') return err('must be an object', p);
  const el = e as Obj;
  if (typeof el.action_id === 'string' && el.action_id.length > 255) err('must be less than 256 characters', `${p}/action_id`);
  if (el.type === 'button') {
    const t = textOf(el.text);
    if (t === undefined) err('missing required field: text', p);
    else if (t.length > 75) err('must be less than 76 characters', `${p}/text/text`);
    if (typeof el.value === 'string' && el.value.length > 2000) err('must be less than 2001 characters', `${p}/value`);
  }
}

/** Parse a `blocks` param (JSON or JSON string); throws invalid_blocks like chat.postMessage. */
export function parseMessageBlocks(raw: unknown): unknown[] | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const blocks = jsonParam<unknown>(raw);
  if (!Array.isArray(blocks)) throw new SlackApiError('invalid_blocks_format');
  const problems = blockProblems(blocks, 50);
  if (problems.length) throw new SlackApiError('invalid_blocks', { errors: problems, response_metadata: { messages: problems } });
  return blocks;
}

/** Validate a view payload for views.open/push/update/publish. */
export function parseView(raw: unknown, expected: 'modal' | 'home' | 'any'): Obj {
  const view = jsonParam<Obj>(raw);
  if (!view || typeof view !== 'object')
    throw new SlackApiError('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing required field: view'] } });
  const problems: string[] = [];
  if (view.type !== 'modal' && view.type !== 'home') problems.push('[ERROR] must be one of modal, home [json-pointer:/view/type]');
  else if (expected !== 'any' && view.type !== expected) problems.push(`[ERROR] must be ${expected} [json-pointer:/view/type]`);
  if (!Array.isArray(view.blocks)) problems.push('[ERROR] missing required field: blocks [json-pointer:/view/blocks]');
  else problems.push(...blockProblems(view.blocks, 100).map((m) => m.replace('[json-pointer:/blocks', '[json-pointer:/view/blocks')));
  if (view.type === 'modal') {
    const title = textOf(view.title);
    if (title === undefined) problems.push('[ERROR] missing required field: title [json-pointer:/view/title]');
    else if (title.length > 24) problems.push('[ERROR] must be less than 25 characters [json-pointer:/view/title/text]');
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => (b as Obj | null)?.type === 'input');
    if (hasInput && textOf(view.submit) === undefined) problems.push('[ERROR] must provide submit when input blocks are present [json-pointer:/view/submit]');
  }
  if (typeof view.private_metadata === 'string' && view.private_metadata.length > 3000)
    problems.push('[ERROR] must be less than 3001 characters [json-pointer:/view/private_metadata]');
  if (typeof view.callback_id === 'string' && view.callback_id.length > 255)
    problems.push('[ERROR] must be less than 256 characters [json-pointer:/view/callback_id]');
  if (problems.length) throw new SlackApiError('invalid_arguments', { response_metadata: { messages: problems } });
  return view;
}
