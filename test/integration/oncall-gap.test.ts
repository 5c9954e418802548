import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveries, oncallShifts } from '../../src/db/schema.js';
import { planOncallGapAlerts } from '../../src/escalations/oncall-gap.js';
import { runEscalationSweep } from '../../src/escalations/escalation-sweep.service.js';
import { createTestDeps, type TestDeps } from '../helpers/deps.js';
import { makeStaff, stamped } from '../helpers/factories.js';

/** Rota gaps are told to the admins once a day, however many gaps that day has, and never break the sweep. */
let deps: TestDeps;
beforeAll(async () => {
  deps = await createTestDeps({ start: '2026-11-23T09:00:00Z' });
});
afterAll(async () => deps?.destroy());

describe('on-call gap alerts', () => {
  it('three gaps starting the same day make one alert per admin; a second sweep adds none', async () => {
    const at = deps.clock.now().toJSDate();
    const admin = await makeStaff(deps.db, { slackUserId: 'U0GAPADMIN', displayName: 'Ada', role: 'admin', timeZone: 'Europe/London', ...stamped(at) });
    const sup = await makeStaff(deps.db, { slackUserId: 'U0GAPSUP', displayName: 'Sam', role: 'supervisor', timeZone: 'Europe/London', ...stamped(at) });
    // Covered 10:00–12:00 and 14:00–23:00: uncovered 09:00–10:00, 12:00–14:00 and from 23:00 on.
    await deps.db.insert(oncallShifts).values([
      { staffId: sup.id, startsAt: new Date('2026-11-23T10:00:00Z'), endsAt: new Date('2026-11-23T12:00:00Z'), kind: 'rota', createdAt: at },
      { staffId: sup.id, startsAt: new Date('2026-11-23T14:00:00Z'), endsAt: new Date('2026-11-23T23:00:00Z'), kind: 'rota', createdAt: at },
    ]);
    expect(await planOncallGapAlerts(deps)).toBe(1);
    expect(await planOncallGapAlerts(deps)).toBe(0);
    await expect(runEscalationSweep(deps)).resolves.toBeDefined();
    const rows = await deps.db.select().from(deliveries).where(eq(deliveries.kind, 'oncall_gap'));
    expect(rows.map((r) => [r.subjectId, r.recipient])).toEqual([['gap:2026-11-23', `staff:${admin.id}`]]);
  });
});
