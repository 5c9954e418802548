import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { staff } from '../../src/db/schema.js';
import { answersTo, nextAnswer, U, useSlackWorld } from './slack-harness.js';
import { subjectAudit } from '../helpers/audit.js';

const w = useSlackWorld();

const form = (payload: string) => new URLSearchParams({ payload }).toString();

describe('malformed but signed interaction payloads', () => {
  it.each([
    ['null', 'null', 'the request body is not an object'],
    ['actions: null', JSON.stringify({ type: 'block_actions', user: { id: U.worker }, actions: null }), 'malformed block_actions: actions'],
    ['a view submission with no view', JSON.stringify({ type: 'view_submission', user: { id: U.worker } }), 'malformed view_submission: view'],
    ['a number', '42', 'the request body is not an object'],
  ])('%s (signed) gets a 400 with the reason at once, never a 500', async (_what, payload, reason) => {
    const res = await w.driver.post('/slack/events', form(payload), 'application/x-www-form-urlencoded');
    expect(res).toMatchObject({ status: 400, body: reason });
  });
  it('a well-formed request still works after them', async () => {
    const res = await w.driver.slashCommand({ command: '/case', text: 'help', userId: U.worker });
    expect(res.status).toBe(200);
  });
});

async function command(user: string, text: string): Promise<string> {
  const before = answersTo(w, user).length;
  const res = await w.driver.slashCommand({ command: '/case', text, userId: user });
  expect(res.status).toBe(200);
  await nextAnswer(w, user, before, `/case ${text}`);
  return String(w.slack.responseUrlPosts.filter((p) => p.context.user === user).at(-1)!.body.text);
}
const roleOf = async (slackUserId: string) => (await w.deps.db.select().from(staff).where(eq(staff.slackUserId, slackUserId)))[0];
const added = async (staffId: string) => subjectAudit(w.deps.db, staffId, 'staff.added');

describe('the staff directory keeps an admin and records each change once', () => {
  it('the only active admin cannot demote herself or remove herself', async () => {
    expect(await command(U.admin, `staff add <@${U.admin}|ada> worker`)).toMatch(/is the only admin: make someone else an admin first/);
    expect(await command(U.admin, `staff add <@${U.admin}|ada> supervisor`)).toMatch(/is the only admin/);
    expect(await command(U.admin, `staff remove <@${U.admin}|ada>`)).toMatch(/last admin/);
    expect(await roleOf(U.admin)).toMatchObject({ role: 'admin', active: true });
    expect(await added((await roleOf(U.admin))!.id)).toEqual([]);
  });

  it('with a second admin she can step down; the other one then cannot', async () => {
    expect(await command(U.admin, `staff add <@${U.sup2}|sue> admin`)).toMatch(/is now a admin|is now an admin/);
    expect(await command(U.admin, `staff add <@${U.admin}|ada> supervisor`)).toMatch(/is now a supervisor/);
    expect(await command(U.sup2, `staff add <@${U.sup2}|sue> worker`)).toMatch(/is the only admin/);
    expect(await roleOf(U.sup2)).toMatchObject({ role: 'admin' });
  });

  it('replaying the same `/case staff add` writes one staff.added', async () => {
    const first = await command(U.sup2, `staff add <@${U.other}|olu> supervisor`);
    expect(first).toMatch(/is now a supervisor/);
    const again = await command(U.sup2, `staff add <@${U.other}|olu> supervisor`);
    expect(again).toMatch(/is already a supervisor: nothing changed/);
    expect(await added((await roleOf(U.other))!.id)).toHaveLength(1);
  });
});
