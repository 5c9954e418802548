/**
 * The whole service for end-to-end tests: real PostgreSQL and Redis
 * (createTestDeps, ManualClock), the Telegram and Slack emulators over HTTP,
 * the real telegraf bot (webhook mode: the emulator POSTs updates to the app)
 * and the real Bolt app on the shared express app (createHttpApp), the demo
 * staff of the sandbox, and the real BullMQ workers. Slack actions are signed
 * requests (SlackAppDriver). Time moves only with `advance`, which then runs
 * what the schedulers run (escalation sweep + due-delivery scan).
 */
import type { Server } from 'node:http';
import type { Duration } from 'luxon';
import { and, eq, sql } from 'drizzle-orm';
import { expect, vi } from 'vitest';
import { deliveries } from '../../src/db/schema.js';
import { createTestDeps, type TestDeps } from '../helpers/deps.js';
import { E2E_WAIT } from '../helpers/waits.js';
import { TelegramEmulator, type BotMessageView, type SimUser, type TgRateLimitOptions } from '../../src/sandbox/telegram-emulator.js';
import { SlackEmulator, type SlackMessageView, type SlackRateLimitOptions } from '../../src/sandbox/slack-emulator.js';
import { SlackAppDriver } from '../../src/sandbox/slack-signing.js';
import { SANDBOX_CHANNELS, SANDBOX_STAFF, freePort } from '../../src/sandbox/sandbox.world.js';

const SANDBOX_SIGNING_SECRET = 'e2e-signing-secret';
import { seedSandboxStaff } from '../../src/sandbox/sandbox.frontend.js';
import { mountSandboxApi, runTicks } from '../../src/sandbox/sandbox.api.js';
import { createHttpApp, listen, closeServer } from '../../src/http/server.js';
import { startTelegram, type RunningTelegram } from '../../src/telegram/telegram.frontend.js';
import { createSlackApp, type SlackApp } from '../../src/slack/slack.app.js';
import { startWorkers, type RunningWorkers } from '../../workers/start.js';
import { useForFile } from '../helpers/suite-fixture.js';

export const STAFF = Object.fromEntries(SANDBOX_STAFF.map((p) => [p.handle, p.slackUserId])) as Record<'ada' | 'sam' | 'wen' | 'kai', string>;
export const INTAKE = SANDBOX_CHANNELS.intake.id;
const SUPERVISION = SANDBOX_CHANNELS.supervision.id;

export interface E2E {
  deps: TestDeps;
  tg: TelegramEmulator;
  slack: SlackEmulator;
  driver: SlackAppDriver;
  appUrl: string;
  /** Client side: send text / a command / press the button with this label on the latest message that has it. */
  say(user: SimUser, text: string): Promise<void>;
  press(user: SimUser, label: string): Promise<void>;
  /** Wait for a bot message in the client's chat matching `test`. */
  botSays(user: SimUser, test: (text: string) => boolean, what: string, timeoutMs?: number): Promise<BotMessageView>;
  /** Wait for a Slack message in a channel/DM matching `test` (on its text or blocks). */
  slackSays(where: string, test: (m: SlackMessageView, all: string) => boolean, what: string, timeoutMs?: number): Promise<SlackMessageView>;
  /** Move the ManualClock, then run the escalation sweep and the due-delivery scan (what the schedulers do). */
  advance(by: Duration | { minutes?: number; hours?: number; days?: number }): Promise<void>;
  close(): Promise<void>;
}

/** The message `get` finds, once it is there (vi.waitFor, E2E_WAIT); on timeout the failure says what was awaited. */
function found<T>(get: () => T | undefined, what: string, timeoutMs: number = E2E_WAIT.timeout): Promise<T> {
  return vi.waitFor(
    () => {
      const v = get();
      expect(v, `timed out waiting for ${what}`).toBeTruthy();
      return v as T;
    },
    { ...E2E_WAIT, timeout: timeoutMs },
  );
}

export const allText = (m: { text?: string; blocks?: unknown[] }) => `${m.text ?? ''}\n${JSON.stringify(m.blocks ?? [])}`;

/** The whole service (createE2E) for a whole test file: made in beforeAll (a minute allowed), closed in afterAll. */
export function useE2E(): E2E {
  return useForFile(
    'the end-to-end world',
    () => createE2E(),
    (e) => e.close(),
    60_000,
  );
}

export async function createE2E(
  opts: {
    env?: Record<string, string>;
    withConsole?: boolean;
    tgRateLimits?: TgRateLimitOptions | false;
    slackRateLimits?: SlackRateLimitOptions | false;
    start?: string;
  } = {},
): Promise<E2E> {
  const tg = new TelegramEmulator({ rateLimits: opts.tgRateLimits ?? false, answerTimeoutMs: 3000 });
  const slack = new SlackEmulator({
    rateLimits: opts.slackRateLimits ?? false,
    users: SANDBOX_STAFF.map((p) => ({ id: p.slackUserId, name: p.handle, real_name: p.name, tz: p.timeZone })),
    channels: [
      { ...SANDBOX_CHANNELS.intake, members: SANDBOX_STAFF.map((p) => p.slackUserId) },
      { ...SANDBOX_CHANNELS.supervision, members: [STAFF.ada, STAFF.sam] },
    ],
  });
  await tg.start();
  await slack.start();
  const port = await freePort('127.0.0.1');
  const appUrl = `http://127.0.0.1:${port}`;
  const deps = await createTestDeps({
    ...(opts.start ? { start: opts.start } : {}),
    env: {
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.url,
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: SANDBOX_SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      SLACK_INTAKE_CHANNEL: INTAKE,
      SLACK_SUPERVISION_CHANNEL: SUPERVISION,
      SLACK_ADMIN_USER_IDS: STAFF.ada,
      TELEGRAM_FLOOD_MAX_MESSAGES: '1000',
      SLACK_CHANNEL_MESSAGES_PER_SECOND: '30',
      TELEGRAM_CHAT_MESSAGES_PER_SECOND: '30',
      ...opts.env,
    },
  });
  await seedSandboxStaff(deps);
  const app = createHttpApp(deps);
  const telegram: RunningTelegram = await startTelegram(deps, app, { token: tg.token, apiRoot: tg.url, botInfo: tg.botInfo as never, publicUrl: appUrl });
  const bolt: SlackApp = createSlackApp(deps, {
    token: slack.botToken,
    signingSecret: SANDBOX_SIGNING_SECRET,
    apiUrl: slack.apiUrl,
    botId: slack.identity.botId,
    botUserId: slack.identity.botUserId,
    expressApp: app,
  });
  await bolt.start();
  // The sandbox's web console and its API, on the same app (browser test).
  const consoleApi = opts.withConsole ? mountSandboxApi(app, { deps, tg, slack }) : undefined;
  const server: Server = await listen(app, '127.0.0.1', port);
  const workers: RunningWorkers = await startWorkers(deps);
  const driver = new SlackAppDriver({ appUrl, signingSecret: SANDBOX_SIGNING_SECRET, emulator: slack });

  const e: E2E = {
    deps,
    tg,
    slack,
    driver,
    appUrl,
    async say(user, text) {
      await tg.sendText(user, text);
      await telegram.telegramBot.settle?.();
    },
    async press(user, label) {
      const m = await found(
        () => [...tg.messages(user.id)].reverse().find((x) => !x.deleted && x.reply_markup?.inline_keyboard.flat().some((b) => b.text === label)),
        `a button "${label}"`,
      );
      const b = m.reply_markup!.inline_keyboard.flat().find((x) => x.text === label)!;
      await tg.clickButton(user, m.message_id, b.callback_data!);
      await telegram.telegramBot.settle?.();
    },
    botSays: (user, test, what, timeoutMs) => found(() => tg.messages(user.id).find((m) => !m.deleted && test(m.text ?? '')), what, timeoutMs),
    slackSays: (where, test, what, timeoutMs) => found(() => slack.messages(where).find((m) => test(m, allText(m))), what, timeoutMs),
    async advance(by) {
      deps.clock.advance(by as never);
      await runTicks(deps);
      // Wait (event, not time) until the workers have finished every message that is due now.
      const now = deps.clock.now().toJSDate();
      // vi.waitFor, not expect.poll: a harness step may run in a beforeAll.
      await vi.waitFor(async () => {
        const [row] = await deps.db
          .select({ n: sql<number>`count(*)::int` })
          .from(deliveries)
          .where(and(eq(deliveries.status, 'pending'), sql`coalesce(${deliveries.notBefore}, ${deliveries.dueAt}) <= ${now}`));
        expect(row!.n === 0, 'the due messages to be sent').toBe(true);
      }, E2E_WAIT);
    },
    async close() {
      consoleApi?.close();
      await workers.close(2000);
      await telegram.stop();
      await bolt.stop();
      await closeServer(server);
      await deps.destroy();
      await tg.stop();
      await slack.stop();
    },
  };
  return e;
}
