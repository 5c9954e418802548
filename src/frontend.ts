import type { Express } from 'express';
import type { Deps } from './deps.js';

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
