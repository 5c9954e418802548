import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog, deliveries } from '../../src/db/schema.js';
import { planWeeklyDigests } from '../../src/escalations/weekly-digest.js';
import { acknowledgeEscalation, snoozeEscalation } from '../../src/escalations/escalation-actions.service.js';
import { homeViewBlocks } from '../../src/slack/screens.js';
import { blockText, caseCommand, createSlackWorld, dm, flush, U, type SlackWorld } from './slack-harness.js';
import { expectedCsv, makeQuarter, parseCsv, utc, writeQuarter, type SeedCase } from './report-seed.js';
import { actorAudit } from '../helpers/audit.js';

/**
 * Supervision reports through the real Bolt app and the Slack emulator: a
 * team's quarter (seeded, with acknowledgements and snoozes made through the
 * escalation services under the manual clock), `/case report team 2026-Q3`
 * asserted figure by figure against numbers computed in the test from the
 * seed; the CSV and the charts (valid PNGs) land in the asker's DM; a worker
 * is refused someone else's report; bad periods get a clear answer.
 */
const LIMIT = 8;
let w: SlackWorld;
let seed: SeedCase[];
// 2026-Q3 in Europe/London (the supervisor's zone): 1 July 00:00 BST to 1 October 00:00 BST.
const P = { start: utc('2026-06-30T23:00:00Z').toMillis(), end: utc('2026-09-30T23:00:00Z').toMillis() };
const NOW = utc('2026-10-05T10:00:00Z');

beforeAll(async () => {
  w = await createSlackWorld({ env: { CASELOAD_LIMIT: String(LIMIT) } });
  seed = makeQuarter(
    17,
    [
      [w.staff.worker, 16],
      [w.staff.worker2, 9],
      [w.staff.other, 6],
    ],
    { from: utc('2026-06-01T00:00:00Z').toMillis(), to: utc('2026-09-30T00:00:00Z').toMillis(), now: NOW.toMillis() },
  );
  await writeQuarter(w.deps, seed);
  // The quarter's escalation actions happen at their own times, through the services (audit entries included).
  const actions = seed
    .flatMap((c) =>
      c.escs.flatMap((e) => [
        ...e.snoozes.map((h) => ({
          at: e.openedAt + h * 3_600_000,
          run: () =>
            snoozeEscalation(w.deps, {
              escalationId: e.id!,
              staffId: w.staff.sup,
              until: w.deps.clock.now().plus({ days: 1 }),
              reason: 'client in hospital this week',
            }),
        })),
        ...(e.ackAfterH !== null
          ? [{ at: e.openedAt + e.ackAfterH * 3_600_000, run: () => acknowledgeEscalation(w.deps, { escalationId: e.id!, staffId: w.staff.sup }) }]
          : []),
      ]),
    )
    .sort((a, b) => a.at - b.at);
  for (const x of actions) {
    w.deps.clock.set(utc(new Date(x.at).toISOString()));
    expect(await x.run()).toMatchObject({ ok: true });
  }
  w.deps.clock.set(NOW);
}, 60_000);
afterAll(async () => w?.close());

const command = (user: string, text: string) => caseCommand(w, user, text);

/** The files of the newest upload in a user's DM, waiting for it (the upload follows the text answer). */
async function uploadedAfter(user: string, before: number) {
  // Rendering the charts takes a while on a busy machine: wait up to a minute.
  const upload = await vi.waitFor(
    () => {
      const posts = dm(w, user).filter((m) => Array.isArray(m.files));
      expect(posts.length, 'no upload reached the DM').toBeGreaterThan(before);
      return posts.at(-1)!;
    },
    { timeout: 60_000, interval: 25 },
  );
  const names = (upload.files as Array<{ id: string }>).map((f) => f.id);
  return w.slack.files().filter((f) => names.includes(f.id));
}
const uploads = (user: string) => dm(w, user).filter((m) => Array.isArray(m.files)).length;

describe('/case report', () => {
  it('the team report for 2026-Q3: every figure in the CSV equals the one computed from the seed; text and charts reach the DM', async () => {
    const expected = expectedCsv(
      seed,
      [
        { id: w.staff.sup, name: 'Sam Supervisor' },
        { id: w.staff.worker2, name: 'Kai Worker' },
        { id: w.staff.worker, name: 'Wen Li' },
      ],
      P,
      NOW.toMillis(),
      LIMIT,
    );
    // The seed exercises what it should: someone over the limit, quiet cases, late notes, snoozes, closures, can't-come answers.
    expect(expected.get('caseload|Wen Li|at_or_over_limit')).toBe('yes');
    expect(Number(expected.get('timeliness|Wen Li|quiet_cases'))).toBeGreaterThan(0);
    expect(
      Number(expected.get('timeliness|Wen Li|notes_written:over_7_days')) + Number(expected.get('timeliness|Kai Worker|notes_written:over_7_days')),
    ).toBeGreaterThan(0);
    expect(Number(expected.get('escalations|Wen Li|snoozes'))).toBeGreaterThan(0);
    expect([...expected.keys()].some((k) => k.startsWith('outcomes|'))).toBe(true);
    expect(Number(expected.get('appointments|Wen Li|client_cant_come')) + Number(expected.get('appointments|Kai Worker|client_cant_come'))).toBeGreaterThan(0);

    const before = uploads(U.sup);
    const answer = await command(U.sup, 'report team 2026-Q3');
    expect(answer).toMatch(/^Supervision report — Sam Supervisor's team, 2026-Q3/);
    const files = await uploadedAfter(U.sup, before);
    const csv = files.find((f) => f.name.endsWith('.csv'))!;
    expect(csv.name).toBe('report-team-2026-07-01_2026-09-30.csv');
    expect(Object.fromEntries(parseCsv(csv.content!.toString('utf8')))).toEqual(Object.fromEntries(expected));
    // Nobody outside the team: Olu's cases are not in it.
    expect(csv.content!.toString('utf8')).not.toContain('Olu');
    for (const c of seed.filter((x) => x.worker === w.staff.other)) expect(csv.content!.toString('utf8')).not.toContain(c.ref);

    const pngs = files.filter((f) => f.name.endsWith('.png'));
    expect(pngs.map((f) => f.name.split('-')[1]).sort()).toEqual([
      'appointments',
      'caseload',
      'completeness',
      'escalations',
      'outcomes',
      'silence',
      'timeliness',
    ]);
    for (const f of pngs) {
      const b = f.content!;
      expect(b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
      expect(b.subarray(12, 16).toString('ascii')).toBe('IHDR');
      const [width, height] = [b.readUInt32BE(16), b.readUInt32BE(20)];
      expect(width).toBeGreaterThanOrEqual(400);
      expect(width).toBeLessThanOrEqual(4000);
      expect(height).toBeGreaterThanOrEqual(300);
      expect(height).toBeLessThanOrEqual(3000);
      expect(f.mimetype).toBe('image/png');
    }
    // The Block Kit text says the same, e.g. Wen's caseload line.
    const blocks = blockText(w.slack.responseUrlPosts.at(-1)!.body.blocks as unknown[]);
    expect(blocks).toContain(`*Wen Li* ${expected.get('caseload|Wen Li|open')} open :warning: *over the limit of ${LIMIT}*`);
    const audit = await actorAudit(w.deps.db, w.staff.sup, 'report.viewed');
    expect(audit.at(-1)!.details).toMatchObject({ scope: 'team', people: 3, from: '2026-06-30T23:00:00.000Z', to: '2026-09-30T23:00:00.000Z', via: 'command' });
  });

  it("a worker sees only their own report, is refused another worker's and the team's; a supervisor is refused someone outside their team", async () => {
    const before = uploads(U.worker);
    expect(await command(U.worker, `report <@${U.worker2}|kai> 2026-Q3`)).toContain('a worker can see only their own report');
    expect(await command(U.worker, 'report team')).toContain("only supervisors (for their team) and admins can see a team's report");
    expect(await command(U.sup, `report <@${U.other}|olu> quarter`)).toContain('is not in your team');
    expect(uploads(U.worker)).toBe(before);
    const refused = await w.deps.db.select().from(auditLog).where(eq(auditLog.action, 'report.refused'));
    expect(refused.length).toBe(3);

    const own = await command(U.worker, 'report 2026-07-01..2026-09-30');
    expect(own).toMatch(/^Supervision report — Wen Li, 1 Jul 2026 – 30 Sep 2026/);
    const files = await uploadedAfter(U.worker, before);
    const csv = parseCsv(files.find((f) => f.name.endsWith('.csv'))!.content!.toString('utf8'));
    const expected = expectedCsv(seed, [{ id: w.staff.worker, name: 'Wen Li' }], P, NOW.toMillis(), LIMIT);
    expect(Object.fromEntries(csv)).toEqual(Object.fromEntries(expected));
  });

  it("an admin sees everyone; Olu's figures are there", async () => {
    await command(U.admin, 'report all 2026-Q3');
    const files = await uploadedAfter(U.admin, 0);
    const csv = parseCsv(files.find((f) => f.name.endsWith('.csv'))!.content!.toString('utf8'));
    const olu = expectedCsv(seed, [{ id: w.staff.other, name: 'Olu Other' }], P, NOW.toMillis(), LIMIT);
    for (const [k, v] of olu) if (!k.startsWith('escalations_by_reason') && !k.startsWith('outcomes')) expect([k, csv.get(k)]).toEqual([k, v]);
  });

  it('forgiving periods, and a clear answer to one it cannot read', async () => {
    // Each report's charts are uploaded after its text; wait for them before the next command.
    for (const [text, says] of [
      ['report team 30d', /last 30 days/],
      ['report quarter', /this quarter so far/],
      ['report Q3 2026', /2026-Q3/],
    ] as const) {
      const before = uploads(U.sup);
      expect(await command(U.sup, text)).toMatch(says);
      await uploadedAfter(U.sup, before);
    }
    const bad = await command(U.sup, 'report team 2026-Q5');
    expect(bad).toContain('I could not read `2026-q5` as a period.');
    expect(bad).toContain('2026-09-01..2026-09-30');
    expect(await command(U.sup, 'report 2026-09-31..2026-10-02')).toContain('2026-09-31 is not a date');
    expect(await command(U.sup, 'report 2027-Q1')).toContain('starts in the future');
  });

  it('the Monday digest brings the supervisor two charts (caseload against the limit, quiet cases) as PNGs after its text', async () => {
    await planWeeklyDigests(w.deps);
    const rows = await w.deps.db
      .select()
      .from(deliveries)
      .where(and(eq(deliveries.kind, 'weekly_digest_charts'), eq(deliveries.recipient, `staff:${w.staff.sup}`)));
    expect(rows).toHaveLength(1);
    w.deps.clock.set(utc(rows[0]!.dueAt.toISOString()));
    const before = uploads(U.sup);
    await flush(w);
    const files = await uploadedAfter(U.sup, before);
    expect(files.map((f) => f.name.split('-')[1])).toEqual(['caseload', 'silence']);
    for (const f of files) expect(f.content!.subarray(1, 4).toString('ascii')).toBe('PNG');
    const texts = dm(w, U.sup).map((m) => m.text);
    const digest = texts.findIndex((t) => t.startsWith('*Weekly digest*'));
    const charts = texts.findIndex((t) => t.startsWith('Charts for the weekly digest'));
    expect(digest).toBeGreaterThanOrEqual(0);
    expect(charts).toBeGreaterThan(digest);
    w.deps.clock.set(NOW);
  });

  it("the supervisor's App Home has a Reports section; a worker's has none", async () => {
    const sup = blockText(await homeViewBlocks(w.deps, U.sup));
    expect(sup).toContain('"Reports"');
    expect(sup).toMatch(/\*Wen Li\* \d+ open :warning: \*over the limit of 8\*/);
    expect(blockText(await homeViewBlocks(w.deps, U.worker))).not.toContain('"Reports"');
  });
});
