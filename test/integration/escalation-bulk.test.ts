import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { createTestDeps, type TestDeps } from '../helpers/deps.js';
import { runEscalationSweep } from '../../src/escalations/escalation-sweep.service.js';
import { makeStaff, stamped } from '../helpers/factories.js';

/**
 * A sweep over many cases at once (set-based opening and notification, several
 * chunks per sweep): every due escalation is opened once, audited once,
 * notified once (one ledger row and one queued job per message), a repeated or
 * concurrent sweep adds nothing, and the result does not depend on the chunk size.
 *
 * 330 open cases of one worker (London, Monday 10:00 — working hours): 100 with
 * an overdue follow-up, 100 quiet for 60 days, 100 both, 30 healthy → 400 escalations.
 */
const START = '2026-11-23T10:00:00Z';
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

interface Seeded {
  deps: TestDeps;
  workerId: string;
  supervisorId: string;
}

async function seed(total = 330, due = 300): Promise<Seeded> {
  // A job horizon wider than the test's days (src/delivery/horizon.ts): every ledger row gets its job at once, as it asserts.
  const deps = await createTestDeps({ start: START, env: { DELIVERY_JOB_HORIZON_SECONDS: String(30 * 24 * 3600) } });
  cleanups.push(() => deps.destroy());
  const at = deps.clock.now().toJSDate();
  const sup = await makeStaff(deps.db, { slackUserId: 'U0SUP', displayName: 'Sup', role: 'supervisor', timeZone: 'Europe/London', ...stamped(at) });
  const worker = await makeStaff(deps.db, {
    slackUserId: 'U0WRK',
    displayName: 'Worker',
    role: 'worker',
    supervisorId: sup.id,
    timeZone: 'Europe/London',
    ...stamped(at),
  });
  await deps.db.execute(sql`insert into clients (telegram_user_id, telegram_chat_id, language, time_zone, created_at, updated_at)
    select 30000000 + g, 30000000 + g, 'en', 'Europe/London', ${at}, ${at} from generate_series(1, ${total}::int) g`);
  // i % 3 = 0: follow-up overdue; 1: quiet; 2: both (for i <= due); i > due: healthy.
  await deps.db.execute(sql`insert into cases (reference, client_id, category, priority, phase, assigned_worker_id, assigned_at, opened_at,
      last_note_at, next_follow_up_at, follow_up_set_at, created_at, updated_at)
    select 'C-2026-' || lpad(i::text, 4, '0'), cl.id, 'family', 'normal', 'implementation', ${worker.id}, ${at}::timestamptz - interval '100 days', ${at}::timestamptz - interval '100 days',
      case when i > ${due}::int or i % 3 = 0 then ${at}::timestamptz - interval '30 hours' else ${at}::timestamptz - interval '60 days' end,
      case when i <= ${due}::int and i % 3 <> 1 then ${at}::timestamptz - interval '2 hours' else ${at}::timestamptz + interval '5 days' end,
      case when i <= ${due}::int and i % 3 <> 1 then ${at}::timestamptz - interval '20 hours' else ${at}::timestamptz - interval '10 days' end,
      ${at}::timestamptz - interval '100 days', ${at}
    from (select row_number() over (order by telegram_chat_id) i, id from clients where telegram_chat_id > 30000000) cl(i, id)`);
  return { deps, workerId: worker.id, supervisorId: sup.id };
}

const rows = async <T>(deps: TestDeps, q: ReturnType<typeof sql>): Promise<T[]> => ((await deps.db.execute(q)) as unknown as { rows: T[] }).rows;

/** Everything a sweep leaves behind, keyed by case reference (ids differ between databases). */
async function outcome(deps: TestDeps) {
  const escalations = await rows<{ ref: string; reason: string; level: number; notifications: number; resolution: string | null }>(
    deps,
    sql`
    select c.reference ref, e.reason, e.level, e.notifications, e.resolution from escalations e join cases c on c.id = e.case_id order by 1, 2`,
  );
  const audit = await rows<{ ref: string; action: string; details: Record<string, unknown>; n: number }>(
    deps,
    sql`
    select c.reference ref, a.action, a.details, count(*)::int n from audit_log a join escalations e on e.id::text = a.subject_id join cases c on c.id = e.case_id
    where a.subject_type = 'escalation' and a.case_id = e.case_id group by 1, 2, 3 order by 1, 2, a.details::text`,
  );
  const ledger = await rows<{ ref: string; reason: string; kind: string; version: number; recipient: string; status: string }>(
    deps,
    sql`
    select c.reference ref, e.reason, d.kind, d.version, d.recipient, d.status from deliveries d join escalations e on e.id::text = d.subject_id::text join cases c on c.id = e.case_id
    where d.case_id = e.case_id order by 1, 2, 4`,
  );
  const deliveryIds = await rows<{ id: string }>(deps, sql`select id from deliveries`);
  const jobs = await deps.queues.queue('delivery').getJobs(['waiting', 'delayed']);
  return { escalations, audit, ledger, deliveryIds: deliveryIds.map((r) => r.id).sort(), jobIds: jobs.map((j) => j.id!).sort() };
}

describe('escalation sweep over many cases (bulk)', () => {
  it('opens each due escalation once, audits and notifies each once, across chunks; a second sweep adds nothing', async () => {
    const { deps, workerId } = await seed();
    expect(await runEscalationSweep(deps, { chunkSize: 64 })).toEqual({ opened: 400, notified: 400, resolved: 0, digests: expect.any(Number) });
    const o = await outcome(deps);
    expect(o.escalations).toHaveLength(400);
    expect(o.escalations.filter((e) => e.reason === 'follow_up_overdue')).toHaveLength(200);
    expect(o.escalations.filter((e) => e.reason === 'quiet_case')).toHaveLength(200);
    expect(new Set(o.escalations.map((e) => `${e.ref}/${e.reason}`)).size).toBe(400);
    expect(o.escalations.every((e) => e.level === 0 && e.notifications === 1 && e.resolution === null)).toBe(true);
    // One 'opened' and one 'notified' entry per escalation, with the details the one-by-one path wrote.
    expect(o.audit.every((a) => a.n === 1)).toBe(true);
    expect(o.audit.filter((a) => a.action === 'escalation.opened')).toHaveLength(400);
    expect(o.audit.filter((a) => a.action === 'escalation.notified')).toHaveLength(400);
    expect(o.audit.find((a) => a.ref === 'C-2026-0002' && a.action === 'escalation.opened' && a.details.reason === 'quiet_case')).toBeTruthy();
    expect(o.audit.find((a) => a.ref === 'C-2026-0003' && a.action === 'escalation.notified' && a.details.reason === 'follow_up_overdue')!.details).toEqual({
      reason: 'follow_up_overdue',
      level: 0,
      target: 'worker',
      recipients: 1,
      notification: 1,
    });
    // One nudge to the worker per escalation, one job per ledger row (deterministic id).
    expect(o.ledger).toHaveLength(400);
    expect(o.ledger.every((d) => d.kind === 'follow_up_nudge' && d.version === 1 && d.recipient === `staff:${workerId}` && d.status === 'pending')).toBe(true);
    const nudgeIds = (await rows<{ id: string }>(deps, sql`select id from deliveries where kind = 'follow_up_nudge'`)).map((r) => `delivery-${r.id}`).sort();
    expect(o.jobIds.filter((id) => nudgeIds.includes(id))).toEqual(nudgeIds);

    // Each escalation records when its next step (the supervisor, a day later) is due, so the next sweep writes nothing.
    const next = await rows<{ ok: boolean; n: number }>(
      deps,
      sql`select next_at = '2026-11-24T10:00:00Z'::timestamptz ok, count(*)::int n from escalations group by 1`,
    );
    expect(next).toEqual([{ ok: true, n: 400 }]);
    deps.clock.set(DateTime.fromISO('2026-11-23T12:00:00Z', { zone: 'utc' }));
    expect(await runEscalationSweep(deps, { chunkSize: 64 })).toMatchObject({ opened: 0, notified: 0, resolved: 0 });
    expect(await outcome(deps)).toEqual(o);
    expect(await rows(deps, sql`select 1 from escalations where updated_at > ${START}::timestamptz`)).toEqual([]);
  });

  it('two sweeps at once (different chunk sizes) open, audit and notify each escalation exactly once — also a day later at the next level', async () => {
    const { deps, supervisorId } = await seed();
    const [a, b] = await Promise.all([runEscalationSweep(deps, { chunkSize: 7 }), runEscalationSweep(deps, { chunkSize: 50 })]);
    expect(a.opened + b.opened).toBe(400);
    expect(a.notified + b.notified).toBe(400);
    let o = await outcome(deps);
    expect(o.escalations).toHaveLength(400);
    expect(o.audit.every((x) => x.n === 1)).toBe(true);
    expect(o.audit).toHaveLength(800);
    expect(o.ledger).toHaveLength(400);
    expect(o.jobIds.filter((id) => o.deliveryIds.some((d) => id === `delivery-${d}`))).toHaveLength(o.deliveryIds.length);

    // A day later: level 1 (the supervisor) is due for every escalation; two sweeps take it once between them.
    deps.clock.set(DateTime.fromISO('2026-11-24T10:00:00Z', { zone: 'utc' }));
    const [c, d] = await Promise.all([runEscalationSweep(deps, { chunkSize: 13 }), runEscalationSweep(deps, { chunkSize: 1000 })]);
    expect(c.opened + d.opened).toBe(0);
    expect(c.notified + d.notified).toBe(400);
    o = await outcome(deps);
    expect(o.escalations.every((e) => e.level === 1 && e.notifications === 2)).toBe(true);
    expect(o.audit.every((x) => x.n === 1)).toBe(true);
    expect(o.audit.filter((x) => x.action === 'escalation.notified')).toHaveLength(800);
    const toSupervisor = o.ledger.filter((l) => l.kind === 'escalation');
    expect(toSupervisor).toHaveLength(400);
    expect(toSupervisor.every((l) => l.version === 2 && l.recipient === `staff:${supervisorId}`)).toBe(true);
    expect(o.jobIds.filter((id) => o.deliveryIds.some((x) => id === `delivery-${x}`))).toHaveLength(o.deliveryIds.length);
  });

  it('notes logged on many cases resolve their escalations in bulk, each audited once; a repeat resolves nothing', async () => {
    const { deps } = await seed();
    await runEscalationSweep(deps, { chunkSize: 64 });
    deps.clock.set(DateTime.fromISO('2026-11-23T11:00:00Z', { zone: 'utc' }));
    // A note on the first 150 cases (100 escalations of "both" cases count twice: 50 × 2 + 100 × 1 = 200).
    await deps.db.execute(sql`update cases set last_note_at = ${deps.clock.now().toJSDate()} where reference <= 'C-2026-0150'`);
    const [a, b] = await Promise.all([runEscalationSweep(deps, { chunkSize: 9 }), runEscalationSweep(deps, { chunkSize: 64 })]);
    expect(a.resolved + b.resolved).toBe(200);
    const o = await outcome(deps);
    expect(o.escalations.filter((e) => e.resolution === 'note_logged')).toHaveLength(200);
    expect(o.escalations.filter((e) => e.resolution === 'note_logged').every((e) => e.ref <= 'C-2026-0150')).toBe(true);
    const resolvedAudit = o.audit.filter((x) => x.action === 'escalation.resolved');
    expect(resolvedAudit).toHaveLength(200);
    expect(resolvedAudit.every((x) => x.n === 1 && x.details.why === 'note_logged')).toBe(true);
    expect(await runEscalationSweep(deps)).toMatchObject({ opened: 0, notified: 0, resolved: 0 });
  });

  it('produces exactly what the one-escalation-per-transaction path produces (chunk size 1, one at a time)', async () => {
    const one = await seed(45, 36);
    const bulk = await seed(45, 36);
    await runEscalationSweep(one.deps, { chunkSize: 1, parallel: 1 });
    await runEscalationSweep(bulk.deps, { chunkSize: 10 });
    const norm = async (s: Seeded) => {
      const o = await outcome(s.deps);
      const who = (r: string) => r.replace(s.workerId, 'worker').replace(s.supervisorId, 'supervisor');
      return { escalations: o.escalations, audit: o.audit, ledger: o.ledger.map((l) => ({ ...l, recipient: who(l.recipient) })), jobs: o.jobIds.length };
    };
    const expected = await norm(one);
    expect(expected.escalations).toHaveLength(48);
    expect(await norm(bulk)).toEqual(expected);
  });
});
