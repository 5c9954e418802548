import { existsSync } from 'node:fs';
import { expect } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * Shared by the browser tests: Debian's Chromium (or CHROMIUM_PATH) through
 * playwright-core, and a short English intake typed and clicked in the
 * console's Client pane.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);

export function warnIfNoChromium(file: string): void {
  if (!haveChromium) console.warn(`${file}: SKIPPED — no Chromium at ${CHROMIUM}. Install it with: apt-get install -y chromium (or set CHROMIUM_PATH).`);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** The Client pane's helpers: type (Enter sends), press an inline button on the newest message with it, wait for a text. */
export function clientPane(page: Page) {
  const client = page.locator('#client-pane');
  return {
    client,
    type: async (text: string) => {
      await page.locator('#client-text').fill(text);
      await page.keyboard.press('Enter');
    },
    press: async (label: string) => client.getByRole('button', { name: label, exact: true }).last().click(),
    // Each step waits for the bot's next question, so a button is never pressed on an older message.
    // biome-ignore lint/suspicious/noThenProperty: a step name in the walk's vocabulary; this object is never awaited.
    then: async (prompt: string) => expect.poll(() => client.textContent(), { timeout: 10_000 }).toContain(prompt),
  };
}

/** A whole English intake in the Client pane, answered by clicking and typing; returns the new case's reference. */
export async function walkIntake(page: Page): Promise<string> {
  const { client, type, press, then } = clientPane(page);
  await type('/start');
  await then('Which language');
  await press('English');
  await then('how we will work together');
  await press('I agree');
  await then('are you safe right now?');
  await press("Yes, I'm safe");
  await then('What would you like us to call you?');
  await type('Mei');
  await then('What is the difficulty mostly about?');
  await press('Housing');
  await then('In your own words');
  await type('My landlord wants me out by the end of the month.');
  await then('What would you like to be different?');
  await type('A safe place to live.');
  await then('Who in your life can support you?');
  await type('My sister, sometimes.');
  await then('What has helped you before');
  await press('Skip');
  await then('How soon do you need help?');
  await press('This week');
  await then('When can you usually talk?');
  await press('Evenings');
  await then('which time zone are you in?');
  await press('London');
  await then('Here is what you told me');
  await press('Send my request');
  await expect.poll(async () => /C-\d{4}-\d{4}/.exec((await client.textContent()) ?? '')?.[0], { timeout: 10_000 }).toBeTruthy();
  return /C-\d{4}-\d{4}/.exec((await client.textContent())!)![0];
}
