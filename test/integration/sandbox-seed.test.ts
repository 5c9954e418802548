import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { oncallShifts, staff } from '../../src/db/schema.js';
import { seedSandboxStaff } from '../../src/sandbox/sandbox.frontend.js';
import { sandboxConfig, SANDBOX_STAFF } from '../../src/sandbox/sandbox.world.js';
import { createTestDeps, type TestDeps } from '../helpers/deps.js';
import { makeStaff, stamped } from '../helpers/factories.js';

/** Issue 14, item 1: the sandbox never writes demo staff into a real directory, and signs with a secret of its own. */
let a: TestDeps;
let b: TestDeps;
beforeAll(async () => {
  a = await createTestDeps();
  b = await createTestDeps();
});
afterAll(async () => {
  await a?.destroy();
  await b?.destroy();
});

describe('sandbox seeding', () => {
  it('seeds the demo staff and a weekly on-call rota into an empty database, once', async () => {
    expect(await seedSandboxStaff(a)).toBe(true);
    expect(await seedSandboxStaff(a)).toBe(true);
    expect((await a.db.select().from(staff)).map((s) => s.slackUserId).sort()).toEqual(SANDBOX_STAFF.map((p) => p.slackUserId).sort());
    expect(await a.db.select().from(oncallShifts)).toHaveLength(8);
  });

  it('writes nothing into a database that already holds real staff', async () => {
    const now = b.clock.now().toJSDate();
    await makeStaff(b.db, { slackUserId: 'U0REALPERSON', displayName: 'Real Person', role: 'admin', timeZone: 'Europe/London', ...stamped(now) });
    expect(await seedSandboxStaff(b)).toBe(false);
    expect((await b.db.select().from(staff)).map((s) => s.slackUserId)).toEqual(['U0REALPERSON']);
    expect(await b.db.select().from(oncallShifts)).toHaveLength(0);
  });

  it('signs Slack requests with a secret made at each start, never a published one', async () => {
    const one = await sandboxConfig(loadConfig({}));
    const two = await sandboxConfig(loadConfig({}));
    expect(one.SLACK_SIGNING_SECRET).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(one.SLACK_SIGNING_SECRET).not.toBe(two.SLACK_SIGNING_SECRET);
  });
});
