import type { BlockAction, SlackViewAction, SlackViewMiddlewareArgs } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Deps } from '../../deps.js';
import type { StaffRow } from '../../staff/staff.repo.js';
import type { Asker } from '../slack.kit.js';

/**
 * What the listener tables hold. A staff handler runs after the wrapper in
 * ./staff.ts has acked, found the asker in the staff directory (or refused
 * them) and set up failure reporting; it gets the asker's row and a way to
 * answer only them. Nothing here imports a handler file (no cycles).
 */
interface ActionCtx {
  deps: Deps;
  me: StaffRow;
  a: Asker;
  /** The id the listener is registered for (where it is logged and audited). */
  actionId: string;
  body: BlockAction;
  action: BlockAction['actions'][number];
  client: WebClient;
}
export type StaffActionHandler = (x: ActionCtx) => Promise<void>;

export interface ViewCtx {
  deps: Deps;
  me: StaffRow;
  callbackId: string;
  ack: SlackViewMiddlewareArgs<SlackViewAction>['ack'];
  body: SlackViewAction;
  view: SlackViewAction['view'];
  client: WebClient;
}
export interface StaffViewHandler {
  /** The field a refusal (not in the directory) is shown under. */
  field: string;
  handle(x: ViewCtx): Promise<void>;
}

interface CommandCtx {
  deps: Deps;
  me: StaffRow;
  a: Asker;
  command: { text?: string; trigger_id: string; user_id: string; channel_id: string };
  client: WebClient;
}
export type StaffCommandHandler = (x: CommandCtx) => Promise<void>;

/** A button's value as a string (buttons carry ids only; everything is reloaded and re-checked). */
export function buttonValue(action: BlockAction['actions'][number]): string {
  return String((action as { value?: unknown }).value ?? '');
}
