import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { expect } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { auditLog, cases, deliveries, escalations, staff } from '../../src/db/schema.js';
import { openEscalation } from '../../src/escalations/escalations.repo.js';
import { planDeliveries } from '../../src/delivery/ledger.js';
import { makeCase, makeClient } from './factories.js';

/** Postgres error code of a failed query (drizzle wraps driver errors in `cause`). */
export async function pgErrorCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    const e = err as { code?: string; cause?: { code?: string } };
    return e.cause?.code ?? e.code ?? 'unknown';
  }
  return 'no error';
}

const NOW = DateTime.fromISO('2026-11-23T10:00:00Z');

/**
 * The records-protecting constraints, run against both node-postgres and PGlite
 * so the embedded default protects data exactly as production does.
 */
export async function constraintSuite(db: Db): Promise<void> {
  const client = await makeClient(db, { timeZone: 'Europe/London', telegramUserId: 1001, telegramChatId: 1001 });
  const c1 = await makeCase(db, { clientId: client.id, category: 'housing', priority: 'normal' }, NOW);
  const c2 = await makeCase(db, { clientId: client.id, category: 'family', priority: 'high' }, NOW);
  expect(c1.reference).toBe('C-2026-0001');
  expect(c2.reference).toBe('C-2026-0002');
  expect(c1.phase).toBe('intake');

  // unique case reference
  expect(await pgErrorCode(db.insert(cases).values({ reference: c1.reference, clientId: client.id, category: 'other' }))).toBe('23505');
  // reference format
  expect(await pgErrorCode(db.insert(cases).values({ reference: 'case-1', clientId: client.id, category: 'other' }))).toBe('23514');
  // enumerations
  expect(
    await pgErrorCode(
      db
        .update(cases)
        .set({ phase: 'dancing' as never })
        .where(sql`id = ${c1.id}`),
    ),
  ).toBe('23514');
  expect(await pgErrorCode(db.insert(staff).values({ slackUserId: 'U1', displayName: 'A', role: 'boss' as never, timeZone: 'UTC' }))).toBe('23514');
  // foreign keys
  expect(await pgErrorCode(db.insert(cases).values({ reference: 'C-2026-9999', clientId: '00000000-0000-0000-0000-000000000000', category: 'other' }))).toBe(
    '23503',
  );
  // a closed case must carry its evaluation
  expect(await pgErrorCode(db.update(cases).set({ status: 'closed', closedAt: new Date() }).where(sql`id = ${c1.id}`))).toBe('23514');

  // one ledger row per (kind, subject, version, recipient): planning twice returns the same row
  const item = {
    kind: 'appointment_reminder' as const,
    subjectId: 'a1',
    version: 1,
    recipient: `client:${client.id}` as const,
    channel: 'telegram' as const,
    dueAt: NOW,
  };
  const [first] = await planDeliveries(db, [item], NOW);
  const [again] = await planDeliveries(db, [item], NOW);
  expect(again!.id).toBe(first!.id);
  const [v2] = await planDeliveries(db, [{ ...item, version: 2 }], NOW);
  expect(v2!.id).not.toBe(first!.id);
  expect(await pgErrorCode(db.insert(deliveries).values({ ...item, dueAt: NOW.toJSDate() }))).toBe('23505');
  // a skipped/failed row always says why
  expect(await pgErrorCode(db.insert(deliveries).values({ ...item, subjectId: 'a2', dueAt: NOW.toJSDate(), status: 'failed' }))).toBe('23514');

  // at most one open escalation per (case, reason); a new one may open after resolution
  const e1 = await openEscalation(db, { caseId: c1.id, reason: 'quiet_case' }, NOW);
  const e2 = await openEscalation(db, { caseId: c1.id, reason: 'quiet_case' }, NOW);
  expect(e1.created).toBe(true);
  expect(e2.created).toBe(false);
  expect(e2.row.id).toBe(e1.row.id);
  expect(await pgErrorCode(db.insert(escalations).values({ caseId: c1.id, reason: 'quiet_case', openedAt: new Date() }))).toBe('23505');
  await db.update(escalations).set({ resolvedAt: new Date(), resolution: 'note_logged' }).where(sql`id = ${e1.row.id}`);
  const e3 = await openEscalation(db, { caseId: c1.id, reason: 'quiet_case' }, NOW);
  expect(e3.created).toBe(true);

  // the audit log is append-only
  const [entry] = await db.insert(auditLog).values({ at: new Date(), actorType: 'system', action: 'test.entry' }).returning();
  expect(await pgErrorCode(db.update(auditLog).set({ action: 'rewritten' }).where(sql`id = ${entry!.id}`))).toBe('42501');
  expect(await pgErrorCode(db.delete(auditLog).where(sql`id = ${entry!.id}`))).toBe('42501');
  expect(await pgErrorCode(db.execute(sql`truncate audit_log`))).toBe('42501');
  const [still] = await db.select().from(auditLog).where(sql`id = ${entry!.id}`);
  expect(still!.action).toBe('test.entry');
}
