import type { App } from '@slack/bolt';
import type { Deps } from '../../deps.js';

/**
 * Every Slack listener, one callback per file under commands/, actions/,
 * views/ and events/. Each file exports a `register(app, deps)` function;
 * add one import and one entry below for yours. Handlers ack first (Slack
 * allows 3 s), then do the work, and check role and case access on the
 * server (src/slack/access.ts) — never trusting what a button carries.
 */
export type RegisterListener = (app: App, deps: Deps) => void;

const LISTENERS: RegisterListener[] = [
];

export function registerListeners(app: App, deps: Deps): void {
  for (const register of LISTENERS) register(app, deps);
}
