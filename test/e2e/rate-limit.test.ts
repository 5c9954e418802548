import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inArray } from 'drizzle-orm';
import { cases, deliveries } from '../../src/db/schema.js';
import { allText, createE2E, eventually, INTAKE, type E2E } from './e2e-harness.js';
import { englishIntake } from './e2e-flows.js';

/**
 * Slack answers 429 with Retry-After when #intake gets more than 2 posts in
 * 3 s (our own budget allows 30/s here, so the platform's limit is what bites):
 * the delivery waits as told, and every intake card arrives exactly once.
 */
let e: E2E;
beforeAll(async () => {
  e = await createE2E({ slackRateLimits: { perChannel: { limit: 2, windowMs: 3000 } } });
}, 60_000);
afterAll(async () => e?.close());

describe('the platform answers 429', () => {
  it('delivery waits as told; nothing is lost or duplicated', async () => {
    const refs: string[] = [];
    for (let i = 0; i < 5; i++) refs.push(await englishIntake(e, { id: 9_300_000 + i, first_name: `Client${i}`, language_code: 'en' }));
    await eventually(() => refs.every((r) => e.slack.messages(INTAKE).some((m) => allText(m).includes(r))), 'all five intake cards', 30_000);
    expect(e.slack.stats.rateLimited).toBeGreaterThan(0);
    for (const r of refs) expect(e.slack.messages(INTAKE).filter((m) => allText(m).includes(r))).toHaveLength(1);
    const rows = await e.deps.db.select().from(cases).where(inArray(cases.reference, refs));
    const cardRows = async () => (await e.deps.db.select().from(deliveries).where(inArray(deliveries.caseId, rows.map((c) => c.id)))).filter((d) => d.kind === 'intake_card');
    // The sender records "sent" just after Slack accepted the post: wait for the record, then check it.
    const cards = await eventually(async () => {
      const list = await cardRows();
      return list.every((d) => d.status !== 'pending') && list;
    }, 'the ledger to record the cards');
    expect(cards).toHaveLength(5);
    expect(cards.map((d) => d.status)).toEqual(['sent', 'sent', 'sent', 'sent', 'sent']);
  }, 60_000);
});
