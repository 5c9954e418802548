import type { FrontEnd } from './frontend.js';
import { telegramFrontEnd } from './telegram/telegram.frontend.js';
import { slackFrontEnd } from './slack/slack.frontend.js';
import { sandboxFrontEnd } from './sandbox/sandbox.frontend.js';

export type { FrontEnd, RunningFrontEnd } from './frontend.js';

/** Add one entry per front end. Started in this order, stopped in reverse. */
export const FRONT_ENDS: FrontEnd[] = [
  // Only with config.sandbox: starts the local Telegram/Slack emulators (before the two below) and the web console at /.
  sandboxFrontEnd,
  // Starts only with TELEGRAM_BOT_TOKEN; otherwise a no-op (the sandbox drives the emulator).
  telegramFrontEnd,
  // Starts only with SLACK_BOT_TOKEN: HTTP receiver at /slack/events, or Socket Mode with SLACK_APP_TOKEN.
  slackFrontEnd,
];
