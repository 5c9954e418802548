import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot, type TelegramBot } from '../../src/telegram/telegram.bot.js';
import { createLater } from '../../src/db/after-commit.js';
import { startSandboxEmulators } from '../../src/sandbox/sandbox.frontend.js';
import { SANDBOX_CLIENT } from '../../src/sandbox/sandbox.world.js';
import type { TelegramEmulator } from '../../src/sandbox/telegram-emulator.js';
import type { SlackEmulator } from '../../src/sandbox/slack-emulator.js';
import { createTestDeps, type TestDeps } from '../helpers/deps.js';

/**
 * Issue 19, sandbox: the emulator starts afresh at each sandbox start, the
 * database does not. Before, update ids began at 1 again and the bot's
 * de-duplication dropped every message as "already handled" (41 messages before
 * the first answer). The sandbox now numbers updates above what the database has seen.
 */
let deps: TestDeps;
const running: Array<{ tg: TelegramEmulator; slack: SlackEmulator; bot: TelegramBot }> = [];

async function start() {
  const { tg, slack } = await startSandboxEmulators(deps);
  const bot = createBot(deps, { token: tg.token, apiRoot: tg.url, botInfo: tg.botInfo as never, later: createLater(deps.logger) });
  running.push({ tg, slack, bot });
  return { tg, bot };
}
async function stop(x: { tg: TelegramEmulator; bot: TelegramBot }) {
  const i = running.findIndex((r) => r.tg === x.tg);
  const [r] = running.splice(i, 1);
  await r!.bot.close();
  await r!.tg.stop();
  await r!.slack.stop();
}
async function say(x: { tg: TelegramEmulator; bot: TelegramBot }, text: string) {
  const before = x.tg.messages(SANDBOX_CLIENT.id).length;
  const update = text.startsWith('/') ? await x.tg.sendCommand(SANDBOX_CLIENT, text) : await x.tg.sendText(SANDBOX_CLIENT, text);
  await x.bot.bot.handleUpdate(update as never);
  await x.bot.settle();
  return { update, replies: x.tg.messages(SANDBOX_CLIENT.id).slice(before) };
}

beforeAll(async () => {
  // Ports 0: each start listens where it can, as a restarted sandbox would on its own ports.
  deps = await createTestDeps({ env: { TELEGRAM_API_ROOT: 'http://127.0.0.1:0', SLACK_API_URL: 'http://127.0.0.1:0/api' } });
});
afterAll(async () => {
  for (const r of [...running]) await stop(r);
  await deps?.destroy();
});

describe('the sandbox after a restart', () => {
  it('still answers the client: update ids continue above those the database has seen', async () => {
    const first = await start();
    const a = await say(first, '/start');
    expect(a.update.update_id).toBe(1);
    expect(a.replies.length).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) await say(first, '/help');
    await stop(first);

    // The restart: a new emulator (it remembers nothing) and a new bot, on the same database.
    const second = await start();
    const b = await say(second, '/help');
    expect(b.update.update_id).toBe(5);
    expect(b.replies.at(-1)!.text).toContain('/start');
  });
});
