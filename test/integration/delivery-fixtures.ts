/**
 * Shared set-up for the delivery / reminders / escalation integration tests:
 * real PostgreSQL + Redis (createTestDeps, ManualClock), the Telegram and
 * Slack emulators over HTTP, and a small casework world (a supervisor, a
 * worker, a client with a Telegram chat, an open case).
 */
import { DateTime } from 'luxon';
import { createTestDeps, type TestDeps } from '../helpers/deps.js';
import { TelegramEmulator, type TelegramEmulatorOptions } from '../../src/sandbox/telegram-emulator.js';
import { SlackEmulator, type SlackEmulatorOptions } from '../../src/sandbox/slack-emulator.js';
import { type clients, deliveries } from '../../src/db/schema.js';
import { makeAppointment, makeCase, makeClient, makeStaff, stamped } from '../helpers/factories.js';
import { enqueueDueDeliveries } from '../../src/delivery/tick.js';
import { setCase } from '../helpers/factories.js';

export const SUPERVISOR_SLACK = 'U0SUPER01';
export const WORKER_SLACK = 'U0WORKER1';
export const ONCALL_SLACK = 'U0ONCALL1';
export const SUPERVISION_CHANNEL = 'C0SUPERVIS';
export const CLIENT_CHAT = 700_001;

export interface World {
  deps: TestDeps;
  tg: TelegramEmulator;
  slack: SlackEmulator;
  supervisorId: string;
  oncallId: string;
  workerId: string;
  clientId: string;
  caseId: string;
  reference: string;
  close(): Promise<void>;
}

export async function createWorld(
  opts: {
    env?: Record<string, string>;
    start?: string;
    tg?: TelegramEmulatorOptions;
    slack?: SlackEmulatorOptions;
    client?: Partial<typeof clients.$inferInsert>;
    workerZone?: string;
    /** Run on this Redis Cluster instead of the shared Redis (test/helpers/redis-cluster.ts). */
    redisClusterNodes?: string;
  } = {},
): Promise<World> {
  const tg = new TelegramEmulator({ maxPollTimeoutSec: 1, ...opts.tg });
  await tg.start();
  const slack = new SlackEmulator({
    users: [
      { id: SUPERVISOR_SLACK, name: 'sup', tz: 'Europe/London' },
      { id: WORKER_SLACK, name: 'worker', tz: opts.workerZone ?? 'Europe/London' },
      { id: ONCALL_SLACK, name: 'oncall', tz: 'Europe/London' },
    ],
    channels: [{ id: SUPERVISION_CHANNEL, name: 'supervision', members: [SUPERVISOR_SLACK] }],
    ...opts.slack,
  });
  await slack.start();
  tg.addUser({ id: CLIENT_CHAT, first_name: 'Client' });
  const deps = await createTestDeps({
    start: opts.start ?? '2026-11-23T09:00:00Z',
    ...(opts.redisClusterNodes ? { redisClusterNodes: opts.redisClusterNodes } : {}),
    env: {
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.url,
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: 'test-signing-secret',
      SLACK_API_URL: slack.apiUrl,
      SLACK_SUPERVISION_CHANNEL: SUPERVISION_CHANNEL,
      ...opts.env,
    },
  });
  const now = deps.clock.now().toJSDate();
  const sup = await makeStaff(deps.db, { slackUserId: SUPERVISOR_SLACK, displayName: 'Sup', role: 'supervisor', ...stamped(now) });
  const oncall = await makeStaff(deps.db, { slackUserId: ONCALL_SLACK, displayName: 'On call', role: 'supervisor', onCall: true, ...stamped(now) });
  const worker = await makeStaff(deps.db, {
    slackUserId: WORKER_SLACK,
    displayName: 'Worker',
    role: 'worker',
    supervisorId: sup.id,
    timeZone: opts.workerZone ?? 'Europe/London',
    ...stamped(now),
  });
  const client = await makeClient(deps.db, { telegramUserId: CLIENT_CHAT, telegramChatId: CLIENT_CHAT, language: 'en', ...stamped(now), ...opts.client });
  const c = await makeCase(deps.db, { clientId: client.id, category: 'family', priority: 'normal' }, deps.clock.now());
  await setCase(deps.db, c.id, { assignedWorkerId: worker.id, assignedAt: now, phase: 'assessment' });
  return {
    deps,
    tg,
    slack,
    supervisorId: sup.id,
    oncallId: oncall.id,
    workerId: worker.id,
    clientId: client.id,
    caseId: c.id,
    reference: c.reference,
    async close() {
      await deps.destroy();
      await tg.stop();
      await slack.stop();
    },
  };
}

/** Book an appointment directly in the database (the appointments service belongs to the Slack feature). */
export async function bookAppointment(
  w: World,
  startsAtIso: string,
  opts: { durationMin?: number; mode?: 'in_person' | 'phone' | 'video' } = {},
): Promise<string> {
  const now = w.deps.clock.now().toJSDate();
  const a = await makeAppointment(w.deps.db, {
    caseId: w.caseId,
    workerId: w.workerId,
    startsAt: DateTime.fromISO(startsAtIso).toJSDate(),
    durationMin: opts.durationMin ?? 60,
    mode: opts.mode ?? 'in_person',
    ...stamped(now),
  });
  return a.id;
}

/** Move the ManualClock and run the due-row scan, as the tick scheduler does every few seconds. */
export async function advanceTo(w: World, iso: string): Promise<void> {
  w.deps.clock.set(DateTime.fromISO(iso, { zone: 'utc' }));
  await enqueueDueDeliveries(w.deps);
}

export async function ledger(w: World) {
  return w.deps.db.select().from(deliveries).orderBy(deliveries.dueAt, deliveries.kind);
}

/**
 * Wait until no ledger row is pending-and-due (by the clock) and no send job is waiting or active,
 * seen twice in a row. Rows are read before job counts: a job held back by a rate budget sits in
 * 'delayed' (not counted) with its row unclaimed, so it still shows as due; reading counts first
 * could miss it being promoted and claiming its row between the two reads.
 */
export async function settle(w: World, timeoutMs = 10_000, opts: { waitForClaimed?: boolean } = {}): Promise<void> {
  const start = Date.now();
  const q = w.deps.queues.queue('delivery');
  let quietSeen = 0;
  for (;;) {
    const rows = await w.deps.db
      .select({ s: deliveries.status, due: deliveries.dueAt, nb: deliveries.notBefore, claimed: deliveries.claimedAt })
      .from(deliveries);
    const counts = await q.getJobCounts('waiting', 'active', 'prioritized');
    const now = w.deps.clock.now().toMillis();
    const leaseMs = w.deps.config.DELIVERY_CLAIM_LEASE_SECONDS * 1000;
    // Rows held by a live claim (a "dead worker" in the fault tests) are not expected to move until the lease ends,
    // unless the caller knows every claim is a live send (an urgent one waiting in process for its turn).
    const dueLeft = rows.filter(
      (r) => r.s === 'pending' && (r.nb ?? r.due).getTime() <= now && (opts.waitForClaimed || !(r.claimed && r.claimed.getTime() > now - leaseMs)),
    ).length;
    const quiet = dueLeft === 0 && (counts.waiting ?? 0) + (counts.active ?? 0) + (counts.prioritized ?? 0) === 0;
    quietSeen = quiet ? quietSeen + 1 : 0;
    if (quietSeen >= 2) return;
    if (Date.now() - start > timeoutMs) throw new Error(`settle: still ${dueLeft} due rows and ${JSON.stringify(counts)} jobs after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Bot messages to the client and Slack DMs/channel posts, as text, oldest first. */
export function clientTexts(w: World): string[] {
  return w.tg.messages(CLIENT_CHAT).map((m) => m.text ?? '');
}
export function slackTexts(w: World, to: string): string[] {
  return w.slack.messages(to).map((m) => m.text);
}
