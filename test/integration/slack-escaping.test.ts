import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot, type TelegramBot } from '../../src/telegram/telegram.bot.js';
import { createLater } from '../../src/db/after-commit.js';
import { assignCase } from '../../src/cases/case-assign.service.js';
import { findActiveStaffBySlack } from '../../src/staff/staff.repo.js';
import { createLogger } from '../../src/lib/logger.js';
import { createSlackWorld, dm, flush, newCase, U, type SlackWorld } from './slack-harness.js';
import { chunkSink } from '../helpers/log-sink.js';

/**
 * Client text in Slack (issue 19): the plain `text` of a notification is what
 * Slack shows in the notification and parses for mentions and links, so it is
 * escaped exactly like the blocks; and no request or response body reaches the
 * logs, even at debug.
 */
const HOSTILE = '<!channel> pay here <http://evil.example|my bank> and ask <@U0ADMIN>';
const ESCAPED = '&lt;!channel&gt; pay here &lt;http://evil.example|my bank&gt; and ask &lt;@U0ADMIN&gt;';

let w: SlackWorld;
let bot: TelegramBot;
const lines: string[] = [];
beforeAll(async () => {
  const destination = chunkSink((chunk) => lines.push(chunk));
  const logger = createLogger({ level: 'debug', destination });
  w = await createSlackWorld({ env: { LOG_LEVEL: 'debug', SLACK_LOG_LEVEL: 'debug' }, deps: (d) => ({ ...d, logger }) });
  bot = createBot(w.deps, { token: w.tg.token, apiRoot: w.tg.url, botInfo: w.tg.botInfo as never, later: createLater(w.deps.logger) });
});
afterAll(async () => {
  await bot?.close();
  await w?.close();
});

async function assigned(name = 'Mei Chen') {
  const c = await newCase(w, { name });
  const [me, worker] = [await findActiveStaffBySlack(w.deps.db, U.sup), await findActiveStaffBySlack(w.deps.db, U.worker)];
  expect(await assignCase(w.deps, me!, c.caseId, worker!)).toMatchObject({ ok: true });
  await flush(w);
  return c;
}

describe('client text in Slack text fallbacks', () => {
  it('a relayed message: mentions and disguised links in the client text stay text in both the fallback and the blocks', async () => {
    const c = await assigned();
    const update = await w.tg.sendText({ id: c.chat, first_name: 'Client' } as never, HOSTILE);
    await bot.bot.handleUpdate(update as never);
    await bot.settle();
    expect(await flush(w)).toEqual([{ kind: 'client_reply', outcome: 'sent' }]);
    const relayed = dm(w, U.worker).find((m) => m.text.startsWith('Message from the client'))!;
    expect(relayed.text).toBe(`Message from the client (${c.reference}): ${ESCAPED}`);
    expect(relayed.text).not.toContain('<!channel>');
    expect(JSON.stringify(relayed.blocks)).not.toContain('<!channel>');
    expect(JSON.stringify(relayed.blocks)).toContain('&lt;!channel&gt;');
  });

  it('a client name with markup: the assignment notification text shows it as typed, not as a ping', async () => {
    const c = await assigned('<!channel>');
    const card = dm(w, U.worker).find((m) => m.text.includes(c.reference))!;
    expect(card.text).toContain('(&lt;!channel&gt;)');
    expect(card.text).not.toContain('<!channel>');
  });
});

describe('Slack request bodies are never logged', () => {
  it("at LOG_LEVEL=debug, the App Home with a client's case is published and no body (or name) is in the log", async () => {
    await newCase(w, { assignTo: w.staff.worker, name: 'Rosalind Streeter' });
    lines.length = 0;
    await w.driver.appHomeOpened(U.worker);
    // Published after the ack: the app logs its Web API call at debug, just not what it carried.
    await expect.poll(() => lines.join('')).toContain('http request result: [not logged]');
    const log = lines.join('');
    expect(log).toContain('http request body: [not logged]');
    expect(log).not.toContain('Rosalind');
    expect(log).not.toContain('Mei Chen');
    expect(log).not.toContain('http request body: {');
  });
});
