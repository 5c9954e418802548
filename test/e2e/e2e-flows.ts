import { vi } from 'vitest';
import { E2E_WAIT } from '../helpers/waits.js';
import type { SimUser } from '../../src/sandbox/telegram-emulator.js';
import { allText, INTAKE, STAFF, type E2E } from './e2e-harness.js';

/** Shared client and staff steps for the end-to-end tests (the same clicks a person makes). */
export async function englishIntake(e: E2E, user: SimUser, story = 'My landlord wants me out by the end of the month.'): Promise<string> {
  await e.say(user, '/start');
  await e.press(user, 'English');
  await e.press(user, 'I agree');
  await e.press(user, "Yes, I'm safe");
  await e.say(user, user.first_name);
  await e.press(user, 'Housing');
  await e.say(user, story);
  await e.say(user, 'A safe place to live.');
  await e.say(user, 'My sister, sometimes.');
  await e.press(user, 'Skip');
  await e.press(user, 'This week');
  await e.press(user, 'Evenings');
  await e.press(user, 'London');
  await e.press(user, 'Send my request');
  const done = await e.botSays(user, (t) => /C-2026-\d{4}/.test(t), 'the reference');
  return /C-2026-\d{4}/.exec(done.text!)![0];
}

/** The supervisor picks the worker on the intake card; resolves with the worker's DM case card. */
export async function assign(e: E2E, reference: string, worker: string = STAFF.wen) {
  const card = await e.slackSays(INTAKE, (_m, all) => all.includes(reference), 'the intake card');
  await e.driver.blockAction(STAFF.sam, { channel: INTAKE, ts: card.ts }, 'intake_assign_pick', worker);
  return e.slackSays(worker, (_m, all) => all.includes(reference) && all.includes('case_schedule'), "the case card in the worker's DM");
}

/** The worker books an appointment from the case card (date/time in the worker's zone). */
export async function book(e: E2E, reference: string, date: string, time: string, worker: string = STAFF.wen): Promise<void> {
  const card = e.slack.messages(worker).find((m) => allText(m).includes(reference) && allText(m).includes('case_schedule'))!;
  await e.driver.blockAction(worker, { channel: card.channel, ts: card.ts }, 'case_schedule');
  const view = await vi.waitUntil(() => e.slack.openViews(worker).at(-1), E2E_WAIT);
  const res = await e.driver.viewSubmission(worker, view.id, {
    date: { v: date },
    time: { v: time },
    duration: { v: '60' },
    mode: { v: 'in_person' },
    location: { v: '12 High Street, room 2' },
  });
  if (res.status !== 200 || res.body !== '') throw new Error(`booking refused: ${JSON.stringify(res.body)}`);
  await e.slackSays(worker, (m) => m.text.startsWith('📅') && m.text.includes(reference), 'the booking confirmation');
}
