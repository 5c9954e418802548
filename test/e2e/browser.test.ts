import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createE2E, type E2E } from './e2e-harness.js';
import { clientPane, haveChromium, launchChromium, walkIntake, warnIfNoChromium } from './browser-walk.js';

/**
 * The sandbox console in Debian's Chromium (playwright-core): a short intake
 * by clicking and typing in the Client pane, then the new case's intake card
 * in the Worker pane's #intake, an assignment from the Supervisor pane, and
 * the case card in the worker's messages; Wen books, opens the full intake,
 * and the client presses "I can't come" on the reminder (issue 12).
 * Screenshots: test-artifacts/.
 */
warnIfNoChromium('browser.test.ts');

let e: E2E;
let browser: Browser;
let page: Page;

describe.skipIf(!haveChromium)('the sandbox console in a browser', () => {
  beforeAll(async () => {
    e = await createE2E({ withConsole: true });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await e?.close();
  });

  it('walks a short intake by clicking and typing; the Worker pane shows the new case', async () => {
    await page.goto(`${e.appUrl}/`);
    const { client, press } = clientPane(page);
    const reference = await walkIntake(page);

    // The worker sees the intake card in #intake.
    const worker = page.locator('#worker-pane');
    await worker.getByRole('tab', { name: '#intake' }).click();
    await expect.poll(() => worker.textContent(), { timeout: 10_000 }).toContain(reference);
    expect(await worker.textContent()).toContain('Assign to me');

    // The supervisor assigns it to Wen from the card's caseload picker ("Wen Li — n open"); Wen's messages show the case card.
    const sup = page.locator('#supervisor-pane');
    await sup.getByRole('tab', { name: '#intake' }).click();
    const picker = sup.locator(`.msg:has-text("${reference}") select[data-action="intake_assign_pick"]`);
    expect(await picker.locator('option', { hasText: /^Wen Li — \d+ open/ }).count()).toBe(1);
    await picker.selectOption({ value: 'U0SBWORK01' });
    await worker.getByRole('tab', { name: 'Messages' }).click();
    await expect.poll(() => worker.textContent(), { timeout: 10_000 }).toContain('Schedule appointment');
    expect(await worker.textContent()).toContain(reference);

    // Wen books an appointment in the modal (date and time pickers, selects), by keyboard; the client is told.
    // Escape cancels a modal, as in Slack.
    await worker.getByRole('button', { name: 'Schedule appointment' }).first().click();
    await worker.locator('form.modal').getByLabel('Date').press('Escape');
    await expect.poll(() => worker.locator('form.modal').count()).toBe(0);
    await worker.getByRole('button', { name: 'Schedule appointment' }).first().click();
    const modal = worker.locator('form.modal');
    await modal.getByLabel('Date').fill('2026-11-25');
    await modal.getByLabel('Start time').fill('10:00');
    await modal.getByLabel('Duration').selectOption({ label: '1 hour' });
    await modal.getByLabel('How').selectOption({ label: 'In person' });
    await modal.getByLabel('Where (in person)').fill('Family Centre, 12 High Street');
    await modal.getByRole('button', { name: 'Book' }).press('Enter');
    await expect
      .poll(() => client.textContent(), { timeout: 10_000 })
      .toContain('Wednesday 25 November at 10:00 (in person, at Family Centre, 12 High Street)');
    await expect.poll(() => worker.locator('form.modal').count()).toBe(0);

    // Wen opens the full intake from the case card: every answer, in a modal; Close closes it.
    await worker.getByRole('button', { name: 'Full intake' }).first().click();
    const intake = worker.locator('form.modal[aria-label="Full intake"]');
    await expect.poll(() => intake.textContent(), { timeout: 10_000 }).toContain('My landlord wants me out by the end of the month.');
    for (const answer of ['A safe place to live.', 'My sister, sometimes.', 'Evenings', 'This week', 'Housing'])
      expect(await intake.textContent()).toContain(answer);
    mkdirSync('test-artifacts', { recursive: true });
    await page.screenshot({ path: path.join('test-artifacts', 'sandbox-console-intake.png'), fullPage: true });
    await intake.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => worker.locator('form.modal').count()).toBe(0);

    // A day later the client is reminded and presses "I can't come"; Wen is told at once with what she can do.
    await e.advance({ hours: 25 });
    await expect.poll(() => client.textContent(), { timeout: 10_000 }).toContain('Please tell us if you can come.');
    await press("I can't come");
    await expect.poll(() => client.textContent(), { timeout: 10_000 }).toContain("You said you can't come. Thank you for telling us.");
    await expect.poll(() => worker.textContent(), { timeout: 10_000 }).toContain("says they can't come");
    for (const label of ['Reschedule', 'Cancel appointment', 'Keep it'])
      await expect.poll(() => worker.getByRole('button', { name: label, exact: true }).count()).toBeGreaterThan(0);

    mkdirSync('test-artifacts', { recursive: true });
    await page.screenshot({ path: path.join('test-artifacts', 'sandbox-console.png'), fullPage: true });
  }, 120_000);

  it('keeps a next message typed while the last one was still on its way, and sends it', async () => {
    const { type, then } = clientPane(page);
    const box = page.locator('#client-text');
    // Hold the first message on its way (a slow network), type the next one meanwhile, then let the first go.
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let first = true;
    await page.route('**/sandbox/api/client/text', async (route) => {
      if (first) {
        first = false;
        await held;
      }
      await route.continue();
    });
    const sent = page.waitForResponse('**/sandbox/api/client/text');
    await type('/help');
    await box.fill('/status');
    release();
    await sent;
    // The page has read the answer and redrawn the chat from the state it fetched next.
    await page.waitForEvent('requestfinished', (r) => r.url().endsWith('/sandbox/api/state'));
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
    await then('Here is what you can send me');
    expect(await box.inputValue()).toBe('/status');
    await page.keyboard.press('Enter');
    await then('Stage:');
    await expect.poll(() => box.inputValue()).toBe('');
    await page.unroute('**/sandbox/api/client/text');
  }, 60_000);
});
