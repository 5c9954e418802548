import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, inArray, sql } from 'drizzle-orm';
import { auditLog, callbackTokens, caseAnonymisations, cases, clients, consents, deliveries, inboundDedupe } from '../../src/db/schema.js';
import { applyRetention } from '../../src/retention/retention.service.js';
import { sweepIntakeDrafts } from '../../src/intake/intake-sweep.js';
import { createWorld, type World } from './delivery-fixtures.js';
import { scanDatabase } from '../helpers/personal-data-scan.js';
import { at, seedClient, type Seeded } from './lifecycle-fixtures.js';
import { setCase } from '../helpers/factories.js';

/**
 * Retention with a ManualClock at 2026-11-23 (batches of one row, so every rule runs several): closed cases older than 6 years
 * and withdrawn ones older than 2 are anonymised (a client with nothing left
 * loses name and ids too), refused agreements older than 1 year, finished
 * ledger rows older than 180 days, dedupe keys older than 7 days and tokens
 * expired more than 30 days ago are deleted — exactly those, nothing else.
 */
let w: World;
const seeded: Record<string, Seeded> = {};
beforeAll(async () => {
  w = await createWorld({ env: { RETENTION_BATCH_SIZE: '1' } });
  const d = w.deps;
  const close = async (s: Seeded, status: 'closed' | 'withdrawn', iso: string) => {
    await setCase(d.db, s.caseId, {
      status,
      phase: status === 'closed' ? 'closed' : 'implementation',
      closedAt: at(iso).toJSDate(),
      evaluationEnc: d.cipher.encrypt(`evaluation of ${s.reference}`, 'cases.evaluation'),
    });
  };
  seeded.oldClosed = await seedClient(w, 710_001, 'OC');
  await close(seeded.oldClosed, 'closed', '2020-11-01T00:00:00Z');
  seeded.recentClosed = await seedClient(w, 710_002, 'RC');
  await close(seeded.recentClosed, 'closed', '2021-01-01T00:00:00Z');
  seeded.oldWithdrawn = await seedClient(w, 710_003, 'OW');
  await close(seeded.oldWithdrawn, 'withdrawn', '2024-10-01T00:00:00Z');
  seeded.recentWithdrawn = await seedClient(w, 710_004, 'RW');
  await close(seeded.recentWithdrawn, 'withdrawn', '2025-01-01T00:00:00Z');
  // A client with an old closed case AND an open one: only the old case's content goes.
  seeded.mixedOld = await seedClient(w, 710_005, 'MO');
  await close(seeded.mixedOld, 'closed', '2019-05-01T00:00:00Z');
  seeded.mixedOpen = await seedClient(w, 710_005, 'MN', { clientId: seeded.mixedOld.clientId });

  const now = d.clock.now();
  await d.db.insert(consents).values([
    { clientId: null, agreementVersion: 'v1', language: 'en', declinedAt: at('2025-10-01T00:00:00Z').toJSDate() },
    { clientId: null, agreementVersion: 'v1', language: 'zh', declinedAt: at('2026-01-01T00:00:00Z').toJSDate() },
  ]);
  const row = (kind: string, status: 'sent' | 'skipped' | 'pending', updated: string) => ({
    kind,
    subjectId: kind,
    recipient: `staff:${w.workerId}`,
    channel: 'slack' as const,
    dueAt: at(updated).toJSDate(),
    status,
    reason: status === 'skipped' ? 'test' : null,
    sentAt: status === 'sent' ? at(updated).toJSDate() : null,
    createdAt: at(updated).toJSDate(),
    updatedAt: at(updated).toJSDate(),
  });
  await d.db
    .insert(deliveries)
    .values([
      row('old_sent', 'sent', '2026-04-01T00:00:00Z'),
      row('old_skipped', 'skipped', '2026-05-01T00:00:00Z'),
      row('recent_sent', 'sent', '2026-06-01T00:00:00Z'),
      row('old_pending', 'pending', '2026-01-01T00:00:00Z'),
    ]);
  await d.db.insert(inboundDedupe).values([
    { source: 'telegram', externalId: 'old-update', receivedAt: now.minus({ days: 8 }).toJSDate() },
    { source: 'slack_event', externalId: 'old-event', receivedAt: now.minus({ days: 8 }).toJSDate() },
    { source: 'slack_event', externalId: 'new-event', receivedAt: now.minus({ days: 6 }).toJSDate() },
  ]);
  await d.db.insert(callbackTokens).values([
    { token: 'expired-long-ago', chatId: 1, action: {}, expiresAt: now.minus({ days: 31 }).toJSDate() },
    { token: 'expired-recently', chatId: 1, action: {}, expiresAt: now.minus({ days: 2 }).toJSDate() },
  ]);
  // An open case opened long ago is never touched.
  seeded.ancientOpen = await seedClient(w, 710_006, 'AO');
  await setCase(d.db, seeded.ancientOpen.caseId, { openedAt: at('2012-01-01T00:00:00Z').toJSDate() });
});
afterAll(async () => w?.close());

const expected = { closed_cases: 2, withdrawn_cases: 1, declined_consents: 1, ledger_rows: 2, dedupe_keys: 2, expired_tokens: 1 };

describe('retention', () => {
  it('--dry-run counts exactly what is past its period and changes nothing', async () => {
    const auditBefore = (await w.deps.db.select({ n: sql<number>`count(*)::int` }).from(auditLog))[0]!.n;
    const report = await applyRetention(w.deps, { dryRun: true });
    expect(report.totals).toEqual(expected);
    expect(await w.deps.db.select().from(caseAnonymisations)).toEqual([]);
    expect((await w.deps.db.select({ n: sql<number>`count(*)::int` }).from(auditLog))[0]!.n).toBe(auditBefore);
  });

  it('applies exactly that, in batches, audited; what is within its period is untouched', async () => {
    const report = await applyRetention(w.deps, { dryRun: false });
    expect(report.totals).toEqual(expected);
    const anon = (await w.deps.db.select().from(caseAnonymisations)).map((a) => a.caseId).sort();
    expect(anon).toEqual([seeded.oldClosed!.caseId, seeded.oldWithdrawn!.caseId, seeded.mixedOld!.caseId].sort());

    const gone = (s: Seeded) => s.strings.filter((x) => !x.startsWith('Meilin') && !x.startsWith('draft'));
    const scan = async (strings: string[], numbers: number[] = []) => (await scanDatabase(w.deps.db, w.deps.cipher, { strings, numbers })).hits;
    // Past their period: nothing of the case content is left; a client with nothing left loses name and ids.
    expect(await scan([...gone(seeded.oldClosed!), ...gone(seeded.oldWithdrawn!)], [710_001, 710_003])).toEqual([]);
    expect(await scan(gone(seeded.mixedOld!))).toEqual([]);
    // Within their period (or open): everything still there, identity of the mixed client included.
    for (const k of ['recentClosed', 'recentWithdrawn', 'mixedOpen', 'ancientOpen']) {
      const hits = await scan([seeded[k]!.strings[4]!, seeded[k]!.strings[8]!]);
      expect(hits.map((h) => h.table).sort(), k).toEqual(['cases', 'notes']);
    }
    const [mixed] = await w.deps.db.select().from(clients).where(eq(clients.id, seeded.mixedOld!.clientId));
    expect(mixed).toMatchObject({ telegramChatId: 710_005, erasedAt: null });
    const [oldC] = await w.deps.db.select().from(clients).where(eq(clients.id, seeded.oldClosed!.clientId));
    expect(oldC).toMatchObject({ telegramChatId: null, preferredNameEnc: null });
    expect(oldC!.erasedAt).not.toBeNull();
    // The statistics stay: reference, category, dates.
    const [oc] = await w.deps.db.select().from(cases).where(eq(cases.id, seeded.oldClosed!.caseId));
    expect(oc).toMatchObject({ reference: seeded.oldClosed!.reference, category: 'housing', status: 'closed' });

    expect((await w.deps.db.select().from(consents).where(sql`client_id is null`)).map((c) => c.language)).toEqual(['zh']);
    expect(
      (
        await w.deps.db
          .select()
          .from(deliveries)
          .where(inArray(deliveries.kind, ['old_sent', 'old_skipped', 'recent_sent', 'old_pending']))
      )
        .map((d) => d.kind)
        .sort(),
    ).toEqual(['old_pending', 'recent_sent']);
    expect((await w.deps.db.select().from(inboundDedupe)).map((r) => r.externalId)).toEqual(['new-event']);
    expect(
      (
        await w.deps.db
          .select()
          .from(callbackTokens)
          .where(inArray(callbackTokens.token, ['expired-long-ago', 'expired-recently']))
      ).map((t) => t.token),
    ).toEqual(['expired-recently']);

    const audit = await w.deps.db.select().from(auditLog).where(eq(auditLog.action, 'retention.applied'));
    expect(Object.fromEntries(audit.map((a) => [a.details!.category, a.details!.count]))).toEqual(expected);
    expect((await w.deps.db.select().from(auditLog).where(eq(auditLog.action, 'case.anonymised'))).length).toBe(3);

    // A second run finds nothing more.
    expect(Object.values((await applyRetention(w.deps, { dryRun: false })).totals).every((n) => n === 0)).toBe(true);
  });
});

describe('inbound de-duplication keys', () => {
  it('the intake sweep forgets the keys of every source past its window: an old Slack key goes, recent ones stay', async () => {
    const now = w.deps.clock.now();
    const ago = (days: number) => now.minus({ days }).toJSDate();
    await w.deps.db.insert(inboundDedupe).values([
      { source: 'slack', externalId: 'event:Ev-old', receivedAt: ago(4) },
      { source: 'slack', externalId: 'view:old-nonce', receivedAt: ago(4) },
      { source: 'slack', externalId: 'event:Ev-recent', receivedAt: ago(2) },
      { source: 'telegram', externalId: '900001', receivedAt: ago(4) },
      { source: 'telegram', externalId: '900002', receivedAt: ago(1) },
    ]);
    await sweepIntakeDrafts(w.deps);
    const left = await w.deps.db
      .select()
      .from(inboundDedupe)
      .where(inArray(inboundDedupe.source, ['slack', 'telegram']));
    expect(left.map((r) => `${r.source}:${r.externalId}`).sort()).toEqual(['slack:event:Ev-recent', 'telegram:900002']);
  });
});
