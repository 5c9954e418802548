import express, { type Express } from 'express';
import { App, type LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import { CheckedExpressReceiver } from './payload-shape.js';
import type { Deps } from '../deps.js';
import { timedHandling } from '../lib/metrics.js';
import { registerListeners } from './listeners/index.js';
import { dedupeEvents } from './slack.dedupe.js';

/**
 * The Bolt app. HTTP mode (default): an ExpressReceiver mounted on the shared
 * express app at /slack/events, verifying every request's signature with the
 * signing secret and refusing timestamps older than 5 minutes (401). Socket
 * Mode when an app-level token (xapp-…) is given. The Web API goes to
 * SLACK_API_URL when set (the local emulator). No auth.test at construction:
 * with botId/botUserId it never runs; otherwise once, on the first request.
 */
export interface SlackAppOptions {
  token: string;
  signingSecret?: string | undefined;
  appToken?: string | undefined;
  apiUrl?: string | undefined;
  botId?: string;
  botUserId?: string;
  /** HTTP mode: mount the receiver here (the shared HTTP app). */
  expressApp?: Express;
}

export interface SlackApp {
  app: App;
  mode: 'http' | 'socket';
  /** Socket Mode: connect. HTTP mode: nothing (the shared server listens). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

const SLACK_EVENTS_PATH = '/slack/events';

/** "http request body: {…}", "ack() call begins (body: {…})", "received … {…}": keep the words, drop what they carry. */
const BODY_BEARING = /\b(body|result|headers|payload|event|message|args|arguments|storedResponse)\b\s*[:=]|[{[]/i;
function withoutBodies(line: string): string {
  const m = BODY_BEARING.exec(line);
  if (!m) return line;
  const keep = m[0].startsWith('{') || m[0].startsWith('[') ? m.index : m.index + m[0].length;
  return `${line.slice(0, keep).trimEnd()} [not logged]`;
}

function boltLogger(deps: Pick<Deps, 'logger' | 'config'>): BoltLogger {
  const log = deps.logger.child({ component: 'bolt' });
  let level = (deps.config.SLACK_LOG_LEVEL ?? 'warn') as LogLevel;
  // Bolt's and its Web API client's own messages, forwarded to pino without anything they carry:
  // at debug they include request and response bodies (client text, names), which are never logged.
  const fmt = (msg: unknown[]) =>
    withoutBodies(msg.map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : '[object]')).join(' ')).slice(0, 500);
  return {
    debug: (...m) => log.debug(fmt(m)),
    info: (...m) => log.info(fmt(m)),
    warn: (...m) => log.warn(fmt(m)),
    error: (...m) => log.error(fmt(m)),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

export function createSlackApp(deps: Deps, opts: SlackAppOptions): SlackApp {
  const logger = boltLogger(deps);
  const common = {
    token: opts.token,
    logger,
    ...(opts.apiUrl ? { clientOptions: { slackApiUrl: opts.apiUrl.endsWith('/') ? opts.apiUrl : `${opts.apiUrl}/` } } : {}),
    ...(opts.botId && opts.botUserId ? { botId: opts.botId, botUserId: opts.botUserId } : { tokenVerificationEnabled: false }),
  };
  let app: App;
  let mode: SlackApp['mode'];
  if (opts.appToken) {
    app = new App({ ...common, appToken: opts.appToken, socketMode: true });
    mode = 'socket';
  } else {
    if (!opts.signingSecret) throw new Error('SLACK_SIGNING_SECRET is required for the Slack app in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)');
    const receiver = new CheckedExpressReceiver({
      signingSecret: opts.signingSecret,
      endpoints: SLACK_EVENTS_PATH,
      app: opts.expressApp ?? express(),
      logger,
      // Answer Slack as soon as a handler acks; the work continues after (Slack allows 3 s).
      processBeforeResponse: false,
    });
    app = new App({ ...common, receiver });
    mode = 'http';
  }
  app.use(({ next }) => timedHandling('slack', next));
  app.use(dedupeEvents(deps));
  registerListeners(app, deps);
  app.error(async (err) => {
    // Listeners report their own failures to the user (slack.kit.ts); this catches anything that escaped.
    deps.logger.error({ err: err.message, code: (err as { code?: string }).code }, 'unhandled error in a Slack listener');
  });
  return {
    app,
    mode,
    async start() {
      if (mode === 'socket') await app.start();
    },
    async stop() {
      if (mode === 'socket') await app.stop();
    },
  };
}
