import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { E2E_WAIT } from '../helpers/waits.js';
import { inArray } from 'drizzle-orm';
import { cases, deliveries } from '../../src/db/schema.js';
import { allText, createE2E, INTAKE, STAFF, type E2E } from './e2e-harness.js';
import { assign, englishIntake } from './e2e-flows.js';

/**
 * Slack answers 429 with Retry-After when #intake gets more than 2 posts in
 * 3 s (our own budget allows 30/s here, so the platform's limit is what bites):
 * the delivery waits as told, and every intake card arrives exactly once.
 */
let e: E2E;
// Each platform limit is "free" until its test: its window clock jumps 10 s per call, so nothing is limited
// (the intakes send many messages). In "burst" the clock stands still, so the posts of the test fall into one
// window whatever the machine's speed, until the first 429; then it runs in real time and the wait ends.
// Time only moves forward in every mode.
const switchable = (limited: () => number) => {
  let skew = 0;
  let frozenAt = 0;
  const s = {
    mode: 'free' as 'free' | 'burst' | 'real',
    now: (): number => {
      if (s.mode === 'free') return Date.now() + (skew += 10_000);
      if (s.mode === 'burst' && limited() === 0) return (frozenAt ||= Date.now() + skew);
      s.mode = 'real';
      return Math.max(Date.now() + skew, frozenAt);
    },
  };
  return s;
};
const tgLimit = switchable(() => e?.tg.stats.rateLimited ?? 0);
const slackLimit = switchable(() => e?.slack.stats.rateLimited ?? 0);
beforeAll(async () => {
  e = await createE2E({
    slackRateLimits: { perChannel: { limit: 2, windowMs: 3000 }, now: slackLimit.now },
    tgRateLimits: { global: false, perChat: { limit: 1, windowMs: 1000 }, now: tgLimit.now },
  });
}, 60_000);
afterAll(async () => e?.close());

describe('the platform answers 429', () => {
  it('delivery waits as told; nothing is lost or duplicated', async () => {
    slackLimit.mode = 'burst';
    const refs: string[] = [];
    for (let i = 0; i < 5; i++) refs.push(await englishIntake(e, { id: 9_300_000 + i, first_name: `Client${i}`, language_code: 'en' }));
    await expect
      .poll(() => refs.every((r) => e.slack.messages(INTAKE).some((m) => allText(m).includes(r))), {
        ...E2E_WAIT,
        timeout: 30_000,
        message: 'all five intake cards',
      })
      .toBeTruthy();
    slackLimit.mode = 'free';
    expect(e.slack.stats.rateLimited).toBeGreaterThan(0);
    for (const r of refs) expect(e.slack.messages(INTAKE).filter((m) => allText(m).includes(r))).toHaveLength(1);
    const rows = await e.deps.db.select().from(cases).where(inArray(cases.reference, refs));
    const cardRows = async () =>
      (
        await e.deps.db
          .select()
          .from(deliveries)
          .where(
            inArray(
              deliveries.caseId,
              rows.map((c) => c.id),
            ),
          )
      ).filter((d) => d.kind === 'intake_card');
    // The sender records "sent" just after Slack accepted the post: wait for the record, then check it.
    const cards = await vi.waitUntil(async () => {
      const list = await cardRows();
      return list.every((d) => d.status !== 'pending') && list;
    }, E2E_WAIT);
    expect(cards).toHaveLength(5);
    expect(cards.map((d) => d.status)).toEqual(['sent', 'sent', 'sent', 'sent', 'sent']);
  }, 60_000);

  it('Telegram 429 (retry_after): four messages from the worker reach the client once each, in order', async () => {
    const client = { id: 9_300_100, first_name: 'Dee', language_code: 'en' };
    const reference = await englishIntake(e, client);
    const card = await assign(e, reference);
    // Counted from before the burst: the first 429 may come while the messages are still being written.
    const limitedBefore = e.tg.stats.rateLimited;
    tgLimit.mode = 'burst';
    const texts = ['First: I read your request.', 'Second: I will call you tomorrow.', 'Third: please bring the letter.', 'Fourth: see you soon.'];
    for (const text of texts) {
      await e.driver.blockAction(STAFF.wen, { channel: card.channel, ts: card.ts }, 'case_message');
      const view = await vi.waitFor(() => {
        const v = e.slack.openViews(STAFF.wen).at(-1);
        const said = [...e.slack.responseUrlPosts.map((p) => p.body.text), ...e.slack.ephemerals({ user: STAFF.wen }).map((x) => x.text)];
        expect(v, `timed out waiting for the message modal ${JSON.stringify(said)}`).toBeTruthy();
        return v!;
      }, E2E_WAIT);
      expect(await e.driver.viewSubmission(STAFF.wen, view.id, { text: { v: text } })).toMatchObject({ status: 200, body: '' });
      e.deps.clock.advance({ seconds: 20 }); // writing the next one takes the worker a little while
    }
    await expect
      .poll(() => texts.every((t) => e.tg.messages(client.id).some((m) => m.text?.includes(t))), { ...E2E_WAIT, timeout: 30_000, message: 'all four messages' })
      .toBeTruthy();
    expect(e.tg.stats.rateLimited).toBeGreaterThan(limitedBefore);
    const got = e.tg.messages(client.id).filter((m) => texts.some((t) => m.text?.includes(t)));
    expect(got).toHaveLength(4);
    // In the order they were written, even though the 429 held some of them back.
    expect(got.map((m) => texts.findIndex((t) => m.text!.includes(t)))).toEqual([0, 1, 2, 3]);
  }, 60_000);
});
