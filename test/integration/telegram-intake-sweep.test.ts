import type { Job } from 'bullmq';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intakeSweepProcessor } from '../../workers/processors/intake-sweep.processor.js';
import type { Deps } from '../../src/deps.js';
import { createHarness, type Harness } from './telegram-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h?.close());

/** The real processor, with the bot token pointing at the emulator (as a worker process would be configured). */
async function sweep() {
  const deps = { ...h.deps, config: { ...h.deps.config, TELEGRAM_BOT_TOKEN: h.tg.token, TELEGRAM_API_ROOT: h.tg.url } } as Deps;
  return intakeSweepProcessor.process({}, { deps, job: {} as Job });
}

describe('idle intake drafts', () => {
  it('one gentle nudge after 24 h idle (not in quiet hours), the draft deleted after 7 days', async () => {
    const start = DateTime.fromISO('2026-11-23T09:00:00Z');
    h.deps.clock.set(start);
    const user = { id: 3301, first_name: 'Idle', language_code: 'en' };
    await h.command(user, '/start');
    await h.click(user, 'English');
    await h.click(user, 'I agree');
    const sentBefore = h.messages(user).length;

    h.deps.clock.set(start.plus({ hours: 23 }));
    expect(await sweep()).toMatchObject({ status: 'done', nudged: 0 });

    // 24 h later it is 09:00 in London: a nudge, once
    h.deps.clock.set(start.plus({ hours: 24, minutes: 1 }));
    expect(await sweep()).toMatchObject({ nudged: 1, expired: 0 });
    expect(h.last(user).text).toContain('everything you wrote is saved');
    h.deps.clock.set(start.plus({ hours: 30 }));
    expect(await sweep()).toMatchObject({ nudged: 0 });
    expect(h.messages(user)).toHaveLength(sentBefore + 1);
    expect(await h.step(user)).toBe('safety');

    // after 7 days without activity the draft is deleted and the client told
    h.deps.clock.set(start.plus({ days: 7, minutes: 1 }));
    expect(await sweep()).toMatchObject({ expired: 1 });
    expect(await h.step(user)).toBeUndefined();
    expect(h.last(user).text).toContain("I've deleted your unfinished request");
  });

  it('never nudges in the client\'s quiet hours; the next sweep after them does', async () => {
    const start = DateTime.fromISO('2026-12-01T22:30:00Z'); // 22:30 in London
    h.deps.clock.set(start);
    const user = { id: 3302, first_name: 'Night', language_code: 'en' };
    await h.command(user, '/start');
    h.deps.clock.set(start.plus({ hours: 24, minutes: 5 }));
    expect(await sweep()).toMatchObject({ nudged: 0, deferredQuietHours: 1 });
    h.deps.clock.set(DateTime.fromISO('2026-12-03T08:30:00Z'));
    expect(await sweep()).toMatchObject({ nudged: 1 });
  });
});
