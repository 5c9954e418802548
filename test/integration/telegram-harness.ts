import { and, eq, isNull } from 'drizzle-orm';
import type { Update } from 'telegraf/types';
import { createTestDeps, type TestDeps } from '../helpers/deps.js';
import { TelegramEmulator, type BotMessageView, type SimUser, type TgRateLimitOptions, type TgUpdate } from '../../src/sandbox/telegram-emulator.js';
import { createBot, type TelegramBot } from '../../src/telegram/telegram.bot.js';
import type { CrisisReplyOptions } from '../../src/telegram/crisis-reply.js';
import type { ReplyPacingOptions } from '../../src/telegram/reply-pacing.js';
import { intakeSessions, cases, clients, escalations } from '../../src/db/schema.js';
import { createLater } from '../../src/db/after-commit.js';
import { createDeps } from '../../src/compose.js';
import type { Deps } from '../../src/deps.js';

import { openPostgres } from '../../src/db/client.js';
import { createRedis } from '../../src/lib/redis.js';
import { TEST_REDIS_URL } from '../helpers/redis.js';
import { useForFile } from '../helpers/suite-fixture.js';

/**
 * Drives the real telegraf bot: the emulator makes real Bot API updates
 * (sendText / sendCommand / clickButton), the bot handles them with
 * `handleUpdate`, and its replies go to the emulator over HTTP. PostgreSQL and
 * Redis are real (createTestDeps).
 */
export interface Harness {
  deps: TestDeps;
  tg: TelegramEmulator;
  app: TelegramBot;
  /** A "process restart": a new bot and new Deps (new pool, new Redis connection) on the same database. */
  restart(): Promise<void>;
  handle(update: TgUpdate): Promise<void>;
  text(user: SimUser, text: string): Promise<BotMessageView[]>;
  command(user: SimUser, cmd: string, args?: string): Promise<BotMessageView[]>;
  /** Press the button with this label on the latest bot message that has it. */
  click(user: SimUser, label: string, opts?: { messageId?: number }): Promise<BotMessageView[]>;
  /** Press arbitrary callback_data on a message (forged or old). */
  clickData(user: SimUser, messageId: number, data: string): Promise<{ answer: Record<string, unknown> | undefined; replies: BotMessageView[] }>;
  sendRaw(user: SimUser, fields: Record<string, unknown>): Promise<BotMessageView[]>;
  messages(user: SimUser): BotMessageView[];
  last(user: SimUser): BotMessageView;
  buttonData(m: BotMessageView, label: string): string;
  step(user: SimUser): Promise<string | undefined>;
  close(): Promise<void>;
}

/** A Telegram harness (createHarness) for the whole test file: made in beforeAll, closed in afterAll. */
export function useHarness(): Harness {
  return useForFile(
    'the Telegram harness',
    () => createHarness(),
    (h) => h.close(),
  );
}

export async function createHarness(
  opts: {
    env?: Record<string, string>;
    floodNow?: () => number;
    crisisReply?: CrisisReplyOptions;
    replyPacing?: ReplyPacingOptions;
    /** The emulator's rate limits (off unless given). */
    tgRateLimits?: TgRateLimitOptions;
  } = {},
): Promise<Harness> {
  const tg = new TelegramEmulator({ rateLimits: opts.tgRateLimits ?? false, maxPollTimeoutSec: 1, answerTimeoutMs: 2000 });
  const { url } = await tg.start();
  // The delivery sender (when a test runs workers) reaches the same emulator.
  const base = await createTestDeps({ env: { TELEGRAM_FLOOD_MAX_MESSAGES: '1000', TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: url, ...opts.env } });
  let deps: TestDeps = base;
  const make = (d: TestDeps) =>
    createBot(d, {
      token: tg.token,
      apiRoot: url,
      botInfo: tg.botInfo as never,
      later: createLater(d.logger),
      ...(opts.floodNow ? { floodNow: opts.floodNow } : {}),
      ...(opts.crisisReply ? { crisisReply: opts.crisisReply } : {}),
      ...(opts.replyPacing ? { replyPacing: opts.replyPacing } : {}),
    });
  let app = make(deps);
  const extraDeps: Deps[] = [];

  const since = async (user: SimUser, fn: () => Promise<unknown>): Promise<BotMessageView[]> => {
    const before = Math.max(0, ...tg.history(user.id).map((m) => m.message_id));
    await fn();
    await app.settle();
    return tg.messages(user.id).filter((m) => m.message_id > before);
  };

  const h: Harness = {
    get deps() {
      return deps;
    },
    tg,
    get app() {
      return app;
    },
    async restart() {
      await app.close();
      const fresh = await createDeps(base.config, {
        clock: base.clock,
        logger: base.logger,
        cipher: base.cipher,
        database: openPostgres(base.testDb.url, { max: 3 }),
        redis: createRedis(TEST_REDIS_URL),
      });
      extraDeps.push(fresh);
      deps = { ...base, ...fresh, clock: base.clock } as TestDeps;
      app = make(deps);
    },
    async handle(update) {
      await app.bot.handleUpdate(update as unknown as Update);
    },
    text: (user, text) => since(user, async () => h.handle(await tg.sendText(user, text))),
    command: (user, cmd, args) => since(user, async () => h.handle(await tg.sendCommand(user, cmd, args))),
    sendRaw: (user, fields) => since(user, async () => h.handle(await tg.sendUpdate(user, fields))),
    async click(user, label, o = {}) {
      const m =
        o.messageId !== undefined
          ? tg.messages(user.id).find((x) => x.message_id === o.messageId)!
          : [...tg.messages(user.id)].reverse().find((x) => !x.deleted && x.reply_markup?.inline_keyboard.flat().some((b) => b.text === label));
      if (!m) throw new Error(`no message with a button "${label}" in chat ${user.id}`);
      return (await h.clickData(user, m.message_id, h.buttonData(m, label))).replies;
    },
    async clickData(user, messageId, data) {
      let answer: Record<string, unknown> | undefined;
      const replies = await since(user, async () => {
        const got = new Promise<TgUpdate>((resolve) => tg.once('update', resolve));
        const clicked = tg.clickButton(user, messageId, data, { force: true });
        await h.handle(await got);
        answer = await clicked;
      });
      return { answer, replies };
    },
    messages: (user) => tg.messages(user.id),
    last: (user) => tg.lastMessage(user.id)!,
    buttonData(m, label) {
      const b = m.reply_markup?.inline_keyboard.flat().find((x) => x.text === label);
      if (!b?.callback_data) throw new Error(`message ${m.message_id} has no button "${label}"`);
      return b.callback_data;
    },
    async step(user) {
      const [row] = await deps.db.select({ step: intakeSessions.step }).from(intakeSessions).where(eq(intakeSessions.telegramUserId, user.id));
      return row?.step;
    },
    async close() {
      await app.close();
      await tg.stop();
      for (const d of extraDeps) {
        await d.close();
        await d.database.close().catch(() => {});
        await d.redis.quit().catch(() => {});
      }
      await base.destroy();
    },
  };
  return h;
}

/** A Telegram user's client row, their cases and the first case's open escalations (what the crisis tests check). */
export async function crisisStateOf(h: Harness, userId: number) {
  const [client] = await h.deps.db.select().from(clients).where(eq(clients.telegramUserId, userId));
  const list = client ? await h.deps.db.select().from(cases).where(eq(cases.clientId, client.id)) : [];
  const esc = list[0]
    ? await h.deps.db
        .select()
        .from(escalations)
        .where(and(eq(escalations.caseId, list[0].id), isNull(escalations.resolvedAt)))
    : [];
  return { client, cases: list, escalations: esc };
}
