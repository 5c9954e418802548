import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { E2E_WAIT } from '../helpers/waits.js';
import { eq } from 'drizzle-orm';
import { staff } from '../../src/db/schema.js';
import { createE2E, STAFF, type E2E } from '../e2e/e2e-harness.js';
import { makeCase, makeClient, stamped } from '../helpers/factories.js';
import { setCase } from '../helpers/factories.js';

/**
 * Issue 19, sandbox: "Only visible to you" cards in the console. Before, their
 * buttons did nothing (the console had no message to name), they were pinned
 * above the conversation, and repeats collapsed into the oldest copy, so a new
 * card looked like nothing had happened. Now, through the console's API (as the
 * browser calls it): a button on an ephemeral card reaches the Bolt app as from
 * Slack (container.is_ephemeral, a response_url for that card, no `message`);
 * every card keeps its own ts in its conversation; "Dismiss" hides one; the
 * response_url replaces or deletes the card it came from, at most five times.
 */
let e: E2E;
let reference: string;
type Eph = { channel: string; ts: string; text: string; blocks?: unknown[]; replaced: boolean };
type Person = { slackUserId: string; dmChannel: string; ephemerals: Eph[] };

const api = async (path: string, body?: unknown) => {
  const res = await fetch(
    `${e.appUrl}/sandbox/api${path}`,
    body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
  );
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const wen = async () => ((await api('/state')).body.staff as Person[]).find((p) => p.slackUserId === STAFF.wen)!;

beforeAll(async () => {
  e = await createE2E({ withConsole: true });
  const d = e.deps;
  const now = d.clock.now();
  const client = await makeClient(d.db, {
    telegramUserId: 7_200_001,
    telegramChatId: 7_200_001,
    language: 'en',
    timeZone: 'Europe/London',
    ...stamped(now.toJSDate()),
  });
  const c = await makeCase(d.db, { clientId: client.id, category: 'family', priority: 'normal' }, now);
  const [w] = await d.db.select().from(staff).where(eq(staff.slackUserId, STAFF.wen));
  await setCase(d.db, c.id, { assignedWorkerId: w!.id, assignedAt: now.toJSDate(), phase: 'assessment' });
  reference = c.reference;
}, 60_000);
afterAll(async () => {
  await e?.close();
});

describe('"Only visible to you" cards in the sandbox console', () => {
  it('a button on an ephemeral card reaches the app as from Slack, and its answer is a newer card after it', async () => {
    expect((await api('/slack/command', { user: STAFF.wen, text: '' })).status).toBe(200);
    const list = await vi.waitUntil(async () => (await wen()).ephemerals.find((x) => x.text.includes('Your caseload')), E2E_WAIT);
    expect(list.channel).toBe((await wen()).dmChannel);

    const pressed = await api('/slack/action', { user: STAFF.wen, source: { channel: list.channel, ts: list.ts }, actionId: 'case_show' });
    expect(pressed).toMatchObject({ status: 200, body: { ok: true, result: 200 } });
    const card = await vi.waitUntil(
      async () => (await wen()).ephemerals.find((x) => x.ts !== list.ts && JSON.stringify(x.blocks).includes('Log note')),
      E2E_WAIT,
    );
    expect(card.text).toContain(reference);
    expect(Number(card.ts)).toBeGreaterThan(Number(list.ts));
    // The app answered through the response_url Slack gives for that ephemeral card.
    expect(e.slack.responseUrlPosts.at(-1)!.context).toMatchObject({
      kind: 'block_actions',
      ephemeral: true,
      message_ts: list.ts,
      channel: list.channel,
      user: STAFF.wen,
    });
  });

  it('repeats stay separate, newest last; Dismiss hides one', async () => {
    const before = (await wen()).ephemerals.length;
    for (let i = 0; i < 2; i++) await api('/slack/command', { user: STAFF.wen, text: reference });
    const cards = await vi.waitUntil(async () => {
      const all = (await wen()).ephemerals;
      return all.length === before + 2 ? all.slice(-2) : undefined;
    }, E2E_WAIT);
    expect(cards[0]!.text).toBe(cards[1]!.text);
    expect(Number(cards[1]!.ts)).toBeGreaterThan(Number(cards[0]!.ts));

    expect(await api('/slack/dismiss', { user: STAFF.wen, ts: cards[0]!.ts })).toMatchObject({ status: 200, body: { ok: true } });
    const left = (await wen()).ephemerals;
    expect(left.map((x) => x.ts)).not.toContain(cards[0]!.ts);
    expect(left.map((x) => x.ts)).toContain(cards[1]!.ts);
    expect(await api('/slack/dismiss', { user: STAFF.wen, ts: cards[0]!.ts })).toMatchObject({ status: 422, body: { error: 'That message is already gone.' } });
  });

  it('the response_url of an ephemeral card replaces it in place or deletes it, up to five times', async () => {
    const card = (await wen()).ephemerals.at(-1)!;
    const url = e.slack.issueResponseUrl({ channel: card.channel, user: STAFF.wen, message_ts: card.ts, kind: 'block_actions', ephemeral: true });
    const send = async (body: unknown) =>
      (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();
    expect(await send({ replace_original: true, text: 'Saved.' })).toEqual({ ok: true });
    const replaced = (await wen()).ephemerals.find((x) => x.ts === card.ts)!;
    expect(replaced).toMatchObject({ text: 'Saved.', replaced: true });
    expect(replaced.blocks).toBeUndefined();
    expect(await send({ text: 'A new note just for you.' })).toEqual({ ok: true });
    expect((await wen()).ephemerals.at(-1)!.text).toBe('A new note just for you.');
    expect(await send({ delete_original: true })).toEqual({ ok: true });
    expect((await wen()).ephemerals.map((x) => x.ts)).not.toContain(card.ts);
    await send({ text: 'four' });
    await send({ text: 'five' });
    expect(await send({ text: 'six' })).toEqual({ ok: false, error: 'used_url' });
  });
});
