import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { Browser, Page } from 'playwright-core';
import { loadConfig } from '../../src/config.js';
import { boot, type Running } from '../../src/boot.js';
import { OffsetClock } from '../../src/lib/clock.js';
import { FieldCipher } from '../../src/lib/crypto.js';
import { sandboxConfig } from '../../src/sandbox/sandbox.world.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { deleteRedisPrefix, testRedisPrefix, TEST_REDIS_URL } from '../helpers/redis.js';
import { clientPane, haveChromium, launchChromium, walkIntake, warnIfNoChromium } from './browser-walk.js';

/**
 * Issue 19, sandbox, in Debian's Chromium: the service as `npm start` runs it
 * with no platform tokens (boot() in sandbox mode, app and workers in one
 * process, the bot long-polling the emulator), on a database that outlives it.
 * A new user's walk through the console: an intake; the unread marker on
 * #intake; an assignment; Wen's "/case" answer, an "Only visible to you" card
 * whose "Open case" button brings a newer card after it, then dismissed; the
 * Chinese demo client in its own chat; the "Next event" clock step up to the
 * unfinished intake's nudge. Then the service is stopped and started again on
 * the same database, and the client still gets answers (update ids continue
 * from the database, not from 1). Screenshots: test-artifacts/.
 */
warnIfNoChromium('browser-restart.test.ts');

let db: TestDatabase;
let running: Running | undefined;
let browser: Browser;
let page: Page;
const prefix = testRedisPrefix();
const cipher = new FieldCipher([{ id: 't', key: Buffer.alloc(32, 7) }]);

/** One start of the sandbox process: a new clock, new emulators, the same database and Redis prefix. */
async function startService(): Promise<Running> {
  const base = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    PORT: '0',
    // The walk answers at machine speed: no gathering of quick messages into one answer (as createTestDeps).
    INTAKE_GATHER_SECONDS: '0',
  });
  return boot(await sandboxConfig(base), { app: true, workers: true, overrides: { clock: new OffsetClock(), logger: pino({ level: 'silent' }), cipher } });
}
const shot = async (name: string) => {
  mkdirSync('test-artifacts', { recursive: true });
  await page.screenshot({ path: path.join('test-artifacts', name), fullPage: true });
};

describe.skipIf(!haveChromium)('the sandbox console across a restart of the service', () => {
  beforeAll(async () => {
    db = await createTestDatabase();
    running = await startService();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await running?.stop();
    await deleteRedisPrefix(prefix);
    await db?.destroy();
  });

  it('walks the new console features, restarts the service on the same database, and the bot still answers', async () => {
    await page.goto(`${running!.url}/`);
    const { client, type, press, then } = clientPane(page);
    const reference = await walkIntake(page);

    // The intake card arrives in #intake while the Worker pane shows App Home: the tab says "new" until opened.
    const worker = page.locator('#worker-pane');
    const intakeTab = worker.getByRole('tab', { name: '#intake' });
    await expect.poll(() => intakeTab.locator('.unread').count(), { timeout: 10_000 }).toBe(1);
    await intakeTab.click();
    await expect.poll(() => worker.textContent(), { timeout: 10_000 }).toContain(reference);
    expect(await intakeTab.locator('.unread').count()).toBe(0);

    // The supervisor assigns the case to Wen.
    const sup = page.locator('#supervisor-pane');
    await sup.getByRole('tab', { name: '#intake' }).click();
    // The picker shows each person's open caseload ("Wen Li — n open"); Wen by her Slack id.
    await sup.locator(`.msg:has-text("${reference}") select[data-action="intake_assign_pick"]`).selectOption({ value: 'U0SBWORK01' });
    const messagesTab = worker.getByRole('tab', { name: 'Messages' });
    await expect.poll(() => messagesTab.locator('.unread').count(), { timeout: 10_000 }).toBe(1);

    // Wen asks for her caseload: the answer is only for her, in time order in her messages, with working buttons.
    await messagesTab.click();
    await worker.getByLabel('Slash command or message').fill('/case');
    await worker.getByLabel('Slash command or message').press('Enter');
    const cards = worker.locator('.msg.ephemeral');
    await expect.poll(() => cards.count(), { timeout: 10_000 }).toBe(1);
    expect(await cards.first().textContent()).toContain('Only visible to you');
    await cards.first().getByRole('button', { name: 'Open case', exact: true }).click();
    // The app's answer is a newer card, after the first (the newest message is the last, as in Slack).
    await expect.poll(() => cards.count(), { timeout: 10_000 }).toBe(2);
    const last = worker.locator('.staff-body > .msg').last();
    expect(await last.getAttribute('class')).toContain('ephemeral');
    expect(await last.textContent()).toContain('Log note');
    expect(await last.textContent()).toContain(reference);
    await shot('sandbox-ephemeral-cards.png');
    await last.getByRole('button', { name: /^Dismiss/ }).click();
    await expect.poll(() => cards.count(), { timeout: 10_000 }).toBe(1);

    // The second demo client writes in their own chat, in Chinese (their Telegram language).
    await client.getByRole('tab', { name: '李华 Li Hua (Chinese)' }).click();
    expect(await client.locator('#client-chat').textContent()).not.toContain(reference);
    await type('/help');
    await then('开始或继续填写申请');
    await type('/start');
    await then('Which language');
    await press('中文');
    await expect.poll(async () => (await client.locator('#client-chat li').count()) >= 5, { timeout: 10_000 }).toBe(true);
    // Mei's chat is still hers.
    await client.getByRole('tab', { name: 'Mei (English)' }).click();
    expect(await client.locator('#client-chat').textContent()).toContain(reference);

    // "Next event" moves the clock to the next thing due, each press one thing, and says what; the unfinished intake's nudge comes among them.
    const status = page.locator('#status');
    const messages: string[] = [];
    for (let i = 0; i < 6 && !messages.some((m) => m.includes('the nudge for an unfinished intake')); i++) {
      const before = await page.locator('#clock-now').textContent();
      const said = await status.textContent();
      await page.getByRole('button', { name: /^Next event/ }).click();
      await expect
        .poll(
          async () => {
            const now = await status.textContent();
            return now !== said && /^Moved to /.test(now ?? '');
          },
          { timeout: 10_000 },
        )
        .toBe(true);
      await expect.poll(() => page.locator('#clock-now').textContent(), { timeout: 10_000 }).not.toBe(before);
      messages.push((await status.textContent())!);
    }
    expect(messages.join('\n')).toContain('the nudge for an unfinished intake');
    await shot('sandbox-next-event.png');

    // Restart: stop the service, start it again on the same database (new emulators, new ports, new clock).
    await running!.stop();
    running = await startService();
    await page.goto(`${running.url}/`);
    await expect.poll(() => client.locator('#client-chat').textContent(), { timeout: 10_000 }).toContain('Say hello to the bot as Mei');
    await type('/help');
    await then('/start');
    await type('/status');
    await then(reference);
    await shot('sandbox-after-restart.png');
  }, 180_000);
});
