import type { Express } from 'express';
import type { Deps } from './deps.js';
import { telegramFrontEnd } from './telegram/telegram.frontend.js';
import { slackFrontEnd } from './slack/slack.frontend.js';
import { sandboxFrontEnd } from './sandbox/sandbox.frontend.js';

/**
 * A chat front end (Telegram bot, Slack app, sandbox console). Each mounts its
 * routes on the shared HTTP app (webhooks, Slack receiver) or starts its own
 * connection (long polling, Socket Mode), and stops cleanly.
 */
export interface FrontEnd {
  name: string;
  start(deps: Deps, app: Express): Promise<RunningFrontEnd>;
}

export interface RunningFrontEnd {
  /** Stop taking new updates/requests; finish what is in hand. */
  stop(): Promise<void>;
}

/** Add one entry per front end. Started in this order, stopped in reverse. */
export const FRONT_ENDS: FrontEnd[] = [
  // Only with config.sandbox: starts the local Telegram/Slack emulators (before the two below) and the web console at /.
  sandboxFrontEnd,
  // Starts only with TELEGRAM_BOT_TOKEN; otherwise a no-op (the sandbox drives the emulator).
  telegramFrontEnd,
  // Starts only with SLACK_BOT_TOKEN: HTTP receiver at /slack/events, or Socket Mode with SLACK_APP_TOKEN.
  slackFrontEnd,
];
