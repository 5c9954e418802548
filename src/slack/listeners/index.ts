import type { App, BlockAction, SlackViewAction } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import type { ACTIONS, VIEWS } from '../ui/ids.js';
import { APPOINTMENT_ACTIONS } from './appointment.actions.js';
import { CASE_ACTIONS } from './case.actions.js';
import { CASE_VIEWS } from './case.views.js';
import { CASEWORK_ACTIONS, CASEWORK_PREFIX_ACTIONS } from './casework.actions.js';
import { CASEWORK_VIEWS } from './casework.views.js';
import { COMMANDS } from './commands.js';
import { ESCALATION_ACTIONS } from './escalation.actions.js';
import { ESCALATION_VIEWS } from './escalation.views.js';
import { EVENTS } from './events.js';
import { staffAction, staffCommand, staffView } from './staff.js';
import type { StaffActionHandler, StaffViewHandler } from './types.js';

/**
 * Every Slack listener, registered from typed tables grouped by feature
 * (*.actions.ts keyed by action id, *.views.ts by callback id, commands.ts,
 * events.ts). Staff listeners go through one wrapper (./staff.ts): ack first
 * (Slack allows 3 s), the asker from the staff directory or a refusal, failures
 * reported with a reference. Role and case access are checked on the server by
 * the handlers — never trusting what a button carries. A new button: add its
 * id to the ids module and its handler to the feature's table; the
 * `satisfies` below fails to compile until every id has one.
 */
type Values<T> = T[keyof T];

/** Every action id our messages and modals carry (src/slack/ui/ids.ts); referral outcomes are matched by prefix. */
type ActionId = Exclude<Values<typeof ACTIONS>, typeof ACTIONS.referralOutcome>;

/** Every modal that can be submitted (the intake and history modals only show). */
type SubmittedViewId = Exclude<Values<typeof VIEWS>, typeof VIEWS.intake | typeof VIEWS.history>;

const ACTION_TABLES = [CASE_ACTIONS, APPOINTMENT_ACTIONS, ESCALATION_ACTIONS, CASEWORK_ACTIONS];
const ACTION_HANDLERS = { ...CASE_ACTIONS, ...APPOINTMENT_ACTIONS, ...ESCALATION_ACTIONS, ...CASEWORK_ACTIONS } satisfies Record<ActionId, StaffActionHandler>;

const VIEW_TABLES = [CASE_VIEWS, ESCALATION_VIEWS, CASEWORK_VIEWS];
const VIEW_HANDLERS = { ...CASE_VIEWS, ...ESCALATION_VIEWS, ...CASEWORK_VIEWS } satisfies Record<SubmittedViewId, StaffViewHandler>;

/** One handler per id: two tables claiming the same id is a programming error, found at start-up. */
function once<T>(tables: Array<Record<string, T>>, merged: Record<string, T>, what: string): Array<[string, T]> {
  const count = tables.reduce((n, t) => n + Object.keys(t).length, 0);
  if (count !== Object.keys(merged).length) {
    const seen = new Set<string>();
    const twice = tables.flatMap((t) => Object.keys(t)).filter((k) => seen.size === seen.add(k).size);
    throw new Error(`Slack ${what} with two handlers: ${twice.join(', ')}`);
  }
  return Object.entries(merged);
}

export function registerListeners(app: App, deps: Deps): void {
  for (const [id, handle] of once(ACTION_TABLES, ACTION_HANDLERS, 'action ids')) app.action<BlockAction>(id, staffAction(deps, id, handle));
  for (const [prefix, handle] of Object.entries(CASEWORK_PREFIX_ACTIONS)) app.action<BlockAction>(new RegExp(`^${prefix}_`), staffAction(deps, prefix, handle));
  for (const [id, h] of once(VIEW_TABLES, VIEW_HANDLERS, 'callback ids')) app.view<SlackViewAction>(id, staffView(deps, id, h));
  for (const [name, handle] of Object.entries(COMMANDS)) app.command(name, staffCommand(deps, name, handle));
  app.event('app_home_opened', (args) => EVENTS.app_home_opened(deps, args));
  app.event('message', (args) => EVENTS.message(deps, args));
}
