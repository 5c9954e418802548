/**
 * Builders for the interaction payloads Slack sends: an action from an element
 * found in a stored message or view, and view state.values shaped per element
 * type (plain_text_input → value, static_select → selected_option, …).
 */
type Obj = Record<string, unknown>;

export interface FoundElement {
  block_id: string;
  element: Obj;
  blockType: string;
}

/** Slack fills in a block_id when the app did not send one. */
function blockIdOf(block: Obj, index: number): string {
  return typeof block.block_id === 'string' ? block.block_id : `blk${index}`;
}

/** The element with `actionId` (and, when given, with that button `value`: one of several same buttons in a message, as a person picks it). */
export function findElement(blocks: unknown[] | undefined, actionId: string, value?: string): FoundElement | undefined {
  if (value !== undefined) {
    const same = findElement(
      (blocks ?? []).map((b) => {
        const block = b as Obj;
        return Array.isArray(block.elements) ? { ...block, elements: (block.elements as Obj[]).filter((e) => e.value === value) } : {};
      }),
      actionId,
    );
    if (same) return same;
  }
  for (const [i, b] of (blocks ?? []).entries()) {
    const block = b as Obj;
    const candidates: unknown[] = [];
    if (Array.isArray(block.elements)) candidates.push(...block.elements);
    if (block.accessory) candidates.push(block.accessory);
    if (block.element) candidates.push(block.element);
    for (const e of candidates) {
      if ((e as Obj | null)?.action_id === actionId) return { block_id: blockIdOf(block, i), element: e as Obj, blockType: String(block.type) };
    }
  }
  return undefined;
}

function options(el: Obj): Obj[] {
  const flat: Obj[] = [];
  if (Array.isArray(el.options)) flat.push(...(el.options as Obj[]));
  if (Array.isArray(el.option_groups)) for (const g of el.option_groups as Obj[]) flat.push(...((g.options as Obj[]) ?? []));
  return flat;
}

function optionFor(el: Obj, value: unknown): Obj | undefined {
  if (value && typeof value === 'object') return value as Obj;
  const hit = options(el).find((o) => o.value === value);
  if (!hit && value !== undefined && value !== null) throw new Error(`no option with value ${JSON.stringify(value)} in ${String(el.action_id)}`);
  return hit;
}

/** The state.values entry for one element, given what the user chose/typed. */
function stateValue(el: Obj, value: unknown): Obj {
  const type = String(el.type);
  switch (type) {
    case 'plain_text_input':
    case 'email_text_input':
    case 'url_text_input':
    case 'number_input':
      return { type, value: value ?? null };
    case 'static_select':
    case 'external_select':
    case 'radio_buttons':
      return { type, selected_option: optionFor(el, value) ?? null };
    case 'multi_static_select':
    case 'checkboxes':
      return { type, selected_options: ((value as unknown[] | undefined) ?? []).map((v) => optionFor(el, v)!) };
    case 'users_select':
      return { type, selected_user: value ?? null };
    case 'multi_users_select':
      return { type, selected_users: value ?? [] };
    case 'conversations_select':
      return { type, selected_conversation: value ?? null };
    case 'channels_select':
      return { type, selected_channel: value ?? null };
    case 'datepicker':
      return { type, selected_date: value ?? null };
    case 'timepicker':
      return { type, selected_time: value ?? null };
    case 'datetimepicker':
      return { type, selected_date_time: value ?? null };
    default:
      return value && typeof value === 'object' ? { type, ...(value as Obj) } : { type, value: value ?? null };
  }
}

/**
 * state.values for a view: every input block appears (null when left empty), as
 * Slack sends it. `values` is keyed by block_id then action_id; a top-level key
 * that is an action_id with a plain value is accepted as a shortcut.
 */
export function viewStateValues(blocks: unknown[], values: Record<string, unknown>): Record<string, Record<string, Obj>> {
  const out: Record<string, Record<string, Obj>> = {};
  const used = new Set<string>();
  for (const [i, b] of blocks.entries()) {
    const block = b as Obj;
    const el = block.element as Obj | undefined;
    if (block.type !== 'input' || !el) continue;
    const blockId = blockIdOf(block, i);
    const actionId = typeof el.action_id === 'string' ? el.action_id : `act${i}`;
    const byBlock = values[blockId] as Obj | undefined;
    let v: unknown;
    if (byBlock && typeof byBlock === 'object' && !Array.isArray(byBlock) && actionId in byBlock) {
      v = byBlock[actionId];
      used.add(blockId);
    } else if (actionId in values) {
      v = values[actionId];
      used.add(actionId);
    }
    out[blockId] = { [actionId]: stateValue(el, v) };
  }
  for (const k of Object.keys(values)) if (!used.has(k)) throw new Error(`view has no input block/action ${JSON.stringify(k)}`);
  return out;
}

/** One entry of block_actions `actions[]`. */
export function actionEntry(found: FoundElement, value: unknown, actionTs: string): Obj {
  const el = found.element;
  const base: Obj = { action_id: el.action_id, block_id: found.block_id, type: el.type, action_ts: actionTs };
  switch (el.type) {
    case 'button':
      return {
        ...base,
        text: el.text,
        ...(el.value !== undefined ? { value: value ?? el.value } : value !== undefined ? { value } : {}),
        ...(el.style ? { style: el.style } : {}),
      };
    case 'overflow':
    case 'static_select':
    case 'radio_buttons':
      return { ...base, selected_option: optionFor(el, value) ?? null };
    case 'users_select':
      return { ...base, selected_user: value };
    case 'datepicker':
      return { ...base, selected_date: value };
    case 'checkboxes':
    case 'multi_static_select':
      return { ...base, selected_options: ((value as unknown[] | undefined) ?? []).map((v) => optionFor(el, v)!) };
    default:
      return { ...base, ...(value !== undefined ? { value } : {}) };
  }
}
