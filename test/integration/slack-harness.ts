/**
 * The Slack app under test, for real: the Bolt app built by createSlackApp
 * (ExpressReceiver on an express app listening on a port), driven by signed
 * requests from SlackAppDriver; its Web API calls go to the SlackEmulator;
 * PostgreSQL and Redis are real (createTestDeps, ManualClock). Deliveries are
 * sent by the real sender (sendDelivery) to both emulators.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { expect, vi } from 'vitest';
import { SLACK_WAIT } from '../helpers/waits.js';
import { and, eq, sql } from 'drizzle-orm';
import { createTestDeps, type TestDeps } from '../helpers/deps.js';
import { SlackEmulator, type SlackMessageView } from '../../src/sandbox/slack-emulator.js';
import { SlackAppDriver } from '../../src/sandbox/slack-signing.js';
import { TelegramEmulator } from '../../src/sandbox/telegram-emulator.js';
import { createSlackApp } from '../../src/slack/slack.app.js';
import { deliveries } from '../../src/db/schema.js';
import { makeCase, makeClient, makeStaff, stamped } from '../helpers/factories.js';
import { sealCaseIntake } from '../../src/intake/intake.repo.js';
import { sendDelivery } from '../../src/delivery/send.service.js';
import { scheduleDeliveries } from '../../src/delivery/ledger.js';
import { inTransaction } from '../../src/db/client.js';
import { planIntakeCard } from '../../src/intake/intake-card.js';
import type { Deps } from '../../src/deps.js';
import { blockActionBy, dmBlockActionBy } from '../helpers/slack-actions.js';
import { setCase } from '../helpers/factories.js';
import { useForFile } from '../helpers/suite-fixture.js';

const SIGNING_SECRET = 'slack-test-signing-secret';
export const U = {
  admin: 'U0ADMIN001',
  sup: 'U0SUPER001',
  sup2: 'U0SUPER002',
  worker: 'U0WORKER01',
  worker2: 'U0WORKER02',
  other: 'U0WORKER03',
  stranger: 'U0STRANGER',
} as const;
export const INTAKE = 'C0INTAKE01';

export interface SlackWorld {
  deps: TestDeps;
  slack: SlackEmulator;
  tg: TelegramEmulator;
  driver: SlackAppDriver;
  appUrl: string;
  staff: Record<keyof typeof U, string>;
  close(): Promise<void>;
}

/** A Slack world (createSlackWorld) for the whole test file: made in beforeAll, closed in afterAll. */
export function useSlackWorld(): SlackWorld {
  return useForFile(
    'the Slack world',
    () => createSlackWorld(),
    (w) => w.close(),
  );
}

export async function createSlackWorld(opts: { env?: Record<string, string>; deps?: (d: TestDeps) => Deps } = {}): Promise<SlackWorld> {
  const slack = new SlackEmulator({
    users: [
      { id: U.admin, name: 'ada', real_name: 'Ada Admin', tz: 'Europe/London' },
      { id: U.sup, name: 'sam', real_name: 'Sam Supervisor', tz: 'Europe/London' },
      { id: U.sup2, name: 'sue', real_name: 'Sue Supervisor', tz: 'Europe/London' },
      { id: U.worker, name: 'wen', real_name: 'Wen Li', tz: 'Europe/London' },
      { id: U.worker2, name: 'kai', real_name: 'Kai Worker', tz: 'Asia/Shanghai' },
      { id: U.other, name: 'olu', real_name: 'Olu Other', tz: 'America/New_York' },
      { id: U.stranger, name: 'stray', real_name: 'Stray Person', tz: 'Europe/Paris' },
    ],
    channels: [{ id: INTAKE, name: 'intake', members: [U.sup, U.worker, U.worker2, U.stranger] }],
    rateLimits: false,
  });
  await slack.start();
  const tg = new TelegramEmulator({ rateLimits: false, maxPollTimeoutSec: 1 });
  await tg.start();
  const deps = await createTestDeps({
    env: {
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      SLACK_INTAKE_CHANNEL: INTAKE,
      SLACK_ADMIN_USER_IDS: U.admin,
      SLACK_CHANNEL_MESSAGES_PER_SECOND: '30',
      TELEGRAM_CHAT_MESSAGES_PER_SECOND: '30',
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.url,
      ...opts.env,
    },
  });
  const now = deps.clock.now().toJSDate();
  const add = async (
    slackUserId: string,
    displayName: string,
    role: 'worker' | 'supervisor' | 'admin',
    supervisorId: string | null,
    timeZone = 'Europe/London',
  ) => {
    const row = await makeStaff(deps.db, { slackUserId, displayName, role, supervisorId, timeZone, ...stamped(now) });
    return row.id;
  };
  const admin = await add(U.admin, 'Ada Admin', 'admin', null);
  const sup = await add(U.sup, 'Sam Supervisor', 'supervisor', null);
  const sup2 = await add(U.sup2, 'Sue Supervisor', 'supervisor', null);
  const worker = await add(U.worker, 'Wen Li', 'worker', sup);
  const worker2 = await add(U.worker2, 'Kai Worker', 'worker', sup, 'Asia/Shanghai');
  const other = await add(U.other, 'Olu Other', 'worker', sup2, 'America/New_York');

  const http = express();
  const app = createSlackApp(opts.deps ? opts.deps(deps) : deps, {
    token: slack.botToken,
    signingSecret: SIGNING_SECRET,
    apiUrl: slack.apiUrl,
    botId: slack.identity.botId,
    botUserId: slack.identity.botUserId,
    expressApp: http,
  });
  const server: Server = await new Promise((resolve) => {
    const s = http.listen(0, '127.0.0.1', () => resolve(s));
  });
  const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const driver = new SlackAppDriver({ appUrl, signingSecret: SIGNING_SECRET, emulator: slack });
  return {
    deps,
    slack,
    tg,
    driver,
    appUrl,
    staff: { admin, sup, sup2, worker, worker2, other, stranger: '' },
    async close() {
      await app.stop();
      await new Promise<void>((r) => server.close(() => r()));
      await deps.destroy();
      await slack.stop();
      await tg.stop();
    },
  };
}

/**
 * The intake card hand-off for a case made by newCase (which inserts the case directly): what the intake
 * submit does in its transaction, then the send job. Returns the status (and the ledger row's id).
 */
export async function handOffCase(caseId: string, deps: Deps) {
  const now = deps.clock.now();
  const out = await inTransaction(deps.db, (tx) => planIntakeCard(deps, tx, caseId, now));
  if (out.status === 'skipped') return out;
  await scheduleDeliveries(deps.queues, out.rows, now);
  return { status: out.status, deliveryId: out.deliveryId };
}

let chatSeq = 800_000;

/** A client with a Telegram chat and an open case (optionally assigned), as the intake would leave it. */
export async function newCase(w: SlackWorld, o: { assignTo?: string; crisis?: boolean; name?: string; language?: 'en' | 'zh'; story?: string } = {}) {
  const d = w.deps;
  const chat = ++chatSeq;
  w.tg.addUser({ id: chat, first_name: 'Client' });
  const now = d.clock.now();
  const client = await makeClient(d.db, {
    telegramUserId: chat,
    telegramChatId: chat,
    language: o.language ?? 'en',
    timeZone: 'Asia/Hong_Kong',
    preferredNameEnc: d.cipher.encrypt(o.name ?? 'Mei Chen', 'clients.preferred_name'),
    ...stamped(now.toJSDate()),
  });
  const intakeEnc = sealCaseIntake(d.cipher, {
    v: 1,
    language: o.language ?? 'en',
    safety: o.crisis ? 'unsafe' : 'safe',
    complete: true,
    answers: { name: o.name ?? 'Mei Chen', category: 'family', story: o.story ?? 'My son stopped talking to me after the divorce', urgency: 'week' },
  });
  const c = await makeCase(
    d.db,
    { clientId: client.id, category: 'family', priority: o.crisis ? 'crisis' : 'normal', urgency: 'week', crisis: !!o.crisis, intakeEnc },
    now,
  );
  if (o.assignTo) await setCase(d.db, c.id, { assignedWorkerId: o.assignTo, assignedAt: now.toJSDate(), phase: 'assessment' });
  return { caseId: c.id, reference: c.reference, clientId: client.id, chat };
}

/** Card edits and App Home republishes that follow every change (issue 12); `flush` sends them but leaves them out of its list unless `all`. */
const REFRESH_KINDS = new Set(['case_card_update', 'app_home']);

/** Send every pending, due ledger row through the real sender (what the delivery worker does). */
export async function flush(w: SlackWorld, o: { all?: boolean } = {}): Promise<Array<{ kind: string; outcome: string }>> {
  const out: Array<{ kind: string; outcome: string }> = [];
  for (let round = 0; round < 20; round++) {
    const rows = await w.deps.db
      .select()
      .from(deliveries)
      .where(and(eq(deliveries.status, 'pending'), sql`coalesce(${deliveries.notBefore}, ${deliveries.dueAt}) <= ${w.deps.clock.now().toJSDate()}`));
    if (rows.length === 0) break;
    for (const r of rows) {
      const res = await sendDelivery(w.deps, r.id, { finalAttempt: true });
      // The shared per-channel budgets run on real time: wait them out, then try again.
      if (res.kind === 'wait' && res.reason === 'rate_budget') {
        await new Promise((resolve) => setTimeout(resolve, Math.min(res.ms, 1100)));
        continue;
      }
      if (o.all || !REFRESH_KINDS.has(r.kind))
        out.push({ kind: r.kind, outcome: res.kind === 'sent' ? 'sent' : `${res.kind}:${'reason' in res ? res.reason : ''}` });
    }
  }
  return out;
}

/** The newest ephemeral (response_url or chat.postEphemeral) or DM text for a user, after `since` entries. */
export function answersTo(w: SlackWorld, userId: string): string[] {
  const viaUrl = w.slack.responseUrlPosts.filter((p) => p.context.user === userId).map((p) => String(p.body.text ?? ''));
  const eph = w.slack.ephemerals({ user: userId }).map((e) => e.text);
  return [...viaUrl, ...eph];
}

export async function nextAnswer(w: SlackWorld, userId: string, before: number, what = 'an answer'): Promise<string> {
  // Work after the ack happens after the HTTP answer: wait (SLACK_WAIT) until it is visible.
  return vi.waitFor(() => {
    const answer = answersTo(w, userId).length > before && answersTo(w, userId).at(-1);
    expect(answer, `timed out waiting for ${what}`).toBeTruthy();
    return answer as string;
  }, SLACK_WAIT);
}

/** `/case <text>` from a user, answered 200 at once: the answer that follows it. */
export async function caseCommand(w: SlackWorld, user: string, text: string): Promise<string> {
  const before = answersTo(w, user).length;
  const res = await w.driver.slashCommand({ command: '/case', text, userId: user });
  expect(res.status).toBe(200);
  return nextAnswer(w, user, before, `/case ${text}`);
}

export function dm(w: SlackWorld, userId: string): SlackMessageView[] {
  return w.slack.dmWith(userId);
}

/** Blocks' text, flattened, for "does the card say …" checks. */
export function blockText(blocks: unknown[] | undefined): string {
  return JSON.stringify(blocks ?? []);
}

/** A press on a case-card button (`case_phase`, `case_log_note`, `case_goals`, …) as from the card in the user's DM, signed like Slack: the HTTP answer. */
export function pressCaseButton(w: SlackWorld, user: string, actionId: string, value: string) {
  return w.driver.interaction({
    ...dmBlockActionBy(w, user, '1.000001'),
    actions: [{ type: 'button', action_id: actionId, block_id: 'case', value, action_ts: '1' }],
  });
}

/** Press a case-card button with no message around it (a bare block action) and return the modal it opens. */
export async function openModalByButton(w: SlackWorld, user: string, actionId: string, caseId: string) {
  const opened = w.slack.waitForCall('views.open');
  await w.driver.interaction({
    ...blockActionBy(w, user),
    actions: [{ type: 'button', action_id: actionId, block_id: 'case', value: caseId, action_ts: '1' }],
  });
  await opened;
  return w.slack.openViews(user).at(-1)!;
}

/** Press a case-card button from the user's DM and return the modal it opens. */
export async function openCaseModal(w: SlackWorld, user: string, actionId: string, caseId: string) {
  const before = w.slack.calls.filter((c) => c.method === 'views.open' && c.ok).length;
  await pressCaseButton(w, user, actionId, caseId);
  // vi.waitFor, not expect.poll: a harness step may run in a beforeAll.
  await vi.waitFor(
    () => expect(w.slack.calls.filter((c) => c.method === 'views.open' && c.ok).length, `${actionId} modal`).toBeGreaterThan(before),
    SLACK_WAIT,
  );
  return w.slack.openViews(user).at(-1)!;
}
