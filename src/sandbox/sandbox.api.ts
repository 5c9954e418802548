import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { ManualClock, OffsetClock } from '../lib/clock.js';
import { runEscalationSweep } from '../escalations/escalation-sweep.service.js';
import { erasureTick } from '../clients/erasure-request.service.js';
import { enqueueDueDeliveries } from '../delivery/tick.js';
import { intakeSweepJob } from '../jobs/intake-sweep.job.js';
import { safeJobId } from '../jobs/job.js';
import { nextDueEvent } from './sandbox.next-event.js';
import type { TelegramEmulator } from './telegram-emulator.js';
import type { SlackEmulator } from './slack-emulator.js';
import { SlackAppDriver } from './slack-signing.js';
import { SANDBOX_CHANNELS, SANDBOX_CLIENTS, SANDBOX_STAFF, type SandboxClient } from './sandbox.world.js';

/**
 * The console's API under /sandbox/api and the static page at /. Every action
 * goes through the platforms' real paths: the client's messages and button
 * presses are Telegram updates from the emulator (the bot polls them as from
 * Telegram); staff clicks, submissions and commands are signed Slack requests
 * to the Bolt app (SlackAppDriver). State is read back from the emulators.
 */
export interface SandboxWorld {
  deps: Deps;
  tg: TelegramEmulator;
  slack: SlackEmulator;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const staffIds = SANDBOX_STAFF.map((p) => p.slackUserId) as [string, ...string[]];
const userId = z.enum(staffIds);
// Which demo client speaks (the Client pane's tabs); Mei when not said.
const clientId = z
  .number()
  .int()
  .refine((id) => SANDBOX_CLIENTS.some((c) => c.id === id), 'not one of the demo clients')
  .default(SANDBOX_CLIENTS[0]!.id);
const clientById = (id: number): SandboxClient => SANDBOX_CLIENTS.find((c) => c.id === id)!;
const asTelegramUser = ({ label: _label, ...user }: SandboxClient) => user;
const text = z.string().trim().min(1, 'type something first').max(4096, 'at most 4096 characters');

const schemas = {
  clientText: z.object({ client: clientId, text }),
  clientClick: z.object({ client: clientId, messageId: z.number().int().positive(), data: z.string().min(1).max(64) }),
  action: z.object({
    user: userId,
    source: z.union([z.object({ channel: z.string().min(1), ts: z.string().min(1) }), z.object({ viewId: z.string().min(1) })]),
    actionId: z.string().min(1).max(255),
    value: z.unknown().optional(),
  }),
  submit: z.object({ user: userId, viewId: z.string().min(1), values: z.record(z.string(), z.unknown()) }),
  close: z.object({ user: userId, viewId: z.string().min(1) }),
  command: z.object({ user: userId, text: z.string().max(500).default('') }),
  home: z.object({ user: userId }),
  dm: z.object({ user: userId, text, threadTs: z.string().optional() }),
  dismiss: z.object({ user: userId, ts: z.string().min(1).max(40) }),
  clock: z.object({
    hours: z
      .number()
      .positive()
      .max(24 * 31),
  }),
};

function sandboxState(w: SandboxWorld) {
  const { tg, slack, deps } = w;
  return {
    now: deps.clock.now().toISO(),
    offsetMs: deps.clock instanceof OffsetClock ? deps.clock.offset : 0,
    // Each demo client's own chat with the bot.
    clients: SANDBOX_CLIENTS.map((c) => ({ user: asTelegramUser(c), label: c.label, messages: tg.history(c.id).filter((m) => !m.deleted) })),
    staff: SANDBOX_STAFF.map((p) => ({
      ...p,
      dm: slack.dmWith(p.slackUserId).filter((m) => !m.deleted),
      dmChannel: slack.dmChannel(p.slackUserId),
      home: slack.homeView(p.slackUserId) ?? null,
      views: slack.openViews(p.slackUserId),
      // "Only visible to you" messages, each once with its own ts: the console shows them in time order
      // in the conversation they were posted in (postEphemeral, or a response_url of a command or an action).
      ephemerals: slack
        .ephemerals({ user: p.slackUserId })
        .filter((e) => !e.deleted && !e.dismissed)
        .map((e) => ({
          channel: e.channel,
          ts: e.message_ts,
          text: e.text,
          blocks: e.blocks,
          ...(e.thread_ts ? { thread_ts: e.thread_ts } : {}),
          replaced: e.replaced ?? false,
        })),
    })),
    channels: slack
      .channels()
      .filter((c) => !c.id.startsWith('D') && Object.values(SANDBOX_CHANNELS).some((s) => s.name === c.name))
      .map((c) => ({ id: c.id, name: c.name, messages: slack.messages(c.id).filter((m) => !m.deleted) })),
  };
}

/** Move the service clock forward, then run what the ticks would: the escalation sweep, the due-delivery scan, the intake sweep. */
async function advanceSandboxClock(deps: Deps, hours: number): Promise<void> {
  await moveClock(deps, Math.round(hours * 3_600_000));
}

export interface NextEventStep {
  moved: boolean;
  now: string;
  /** What fell due (moved) or why the clock stayed (nothing scheduled). */
  message: string;
}

/**
 * The "Next event" step: move the clock to the earliest thing due after now
 * (nextDueEvent) and stop there, so nothing is jumped over; nothing scheduled
 * → the clock stays and the console says so.
 */
export async function stepToNextEvent(deps: Deps): Promise<NextEventStep> {
  const next = await nextDueEvent(deps);
  if (!next)
    return {
      moved: false,
      now: deps.clock.now().toISO()!,
      message: 'Nothing is scheduled after now (no reminder, nudge, escalation step or deadline), so the clock did not move.',
    };
  // One second past the due moment: rules that need "strictly after" (an overdue follow-up) see it too.
  await moveClock(deps, Math.max(0, next.at.toMillis() - deps.clock.now().toMillis()) + 1000);
  return { moved: true, now: deps.clock.now().toISO()!, message: `Moved to ${next.at.toUTC().toFormat("ccc d LLL HH:mm 'UTC'")}: ${next.what}.` };
}

async function moveClock(deps: Deps, ms: number): Promise<void> {
  // The sandbox's OffsetClock; a ManualClock in tests.
  if (deps.clock instanceof OffsetClock) deps.clock.advance(ms);
  else if (deps.clock instanceof ManualClock) deps.clock.advance({ milliseconds: ms });
  else throw new Error('the clock can only be moved in the sandbox');
  await runTicks(deps);
  await requestIntakeSweep(deps);
}

/** The idle-intake sweep (nudges, expiry) now rather than at its next real-time run; its own job id each time (the fixed one stays stored). */
async function requestIntakeSweep(deps: Deps): Promise<void> {
  await deps.queues
    .queue(intakeSweepJob.queue)
    .add(intakeSweepJob.name, {}, { ...intakeSweepJob.options, jobId: safeJobId('intake-sweep-now', deps.clock.now().toMillis(), randomUUID()) });
}

/** What the schedulers run after time moved: the escalation sweep, then the scan that queues every due delivery. */
export async function runTicks(deps: Deps): Promise<void> {
  await runEscalationSweep(deps);
  // Erasure holds due for review and undecided requests climbing their ladder, by the moved clock.
  await erasureTick(deps);
  await enqueueDueDeliveries(deps);
}

export function mountSandboxApi(app: Express, w: SandboxWorld): { close(): void } {
  let driver: SlackAppDriver | undefined;
  // The app's own port is known only once it listens: take it from the first request.
  const driverFor = (req: Request) =>
    (driver ??= new SlackAppDriver({
      appUrl: `http://127.0.0.1:${req.socket.localPort}`,
      signingSecret: w.deps.config.SLACK_SIGNING_SECRET!,
      emulator: w.slack,
    }));
  const clients = new Set<Response>();
  let pending: NodeJS.Timeout | undefined;
  const changed = () => {
    pending ??= setTimeout(() => {
      pending = undefined;
      for (const res of clients) res.write('event: change\ndata: {}\n\n');
    }, 80);
  };
  w.tg.on('call', changed);
  w.tg.on('update', changed);
  w.slack.on('call', changed);
  w.slack.on('response_url', changed);

  const r = express.Router();
  r.use(express.json({ limit: '64kb' }));
  const handle =
    <S extends z.ZodType>(schema: S, fn: (body: z.output<S>, req: Request) => Promise<unknown>) =>
    async (req: Request, res: Response) => {
      const parsed = schema.safeParse(req.body ?? {});
      if (!parsed.success) {
        res.status(400).json({ ok: false, error: parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') });
        return;
      }
      try {
        const result = await fn(parsed.data, req);
        changed();
        res.json({ ok: true, result: result ?? null });
      } catch (err) {
        w.deps.logger.warn({ err: (err as Error).message }, 'sandbox console action failed');
        res.status(422).json({ ok: false, error: (err as Error).message });
      }
    };

  r.get('/state', (_req, res) => {
    res.json(sandboxState(w));
  });
  // A file shared by the app (a record export): the console links to it.
  r.get('/slack/files/:id', (req, res) => {
    const f = w.slack.files().find((x) => x.id === req.params.id && x.completed);
    if (!f?.content) return void res.status(404).json({ ok: false, error: 'file_not_found' });
    res.type(f.mimetype).attachment(f.name).send(f.content);
  });
  r.get('/events', (req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.write('event: change\ndata: {}\n\n');
    clients.add(res);
    req.on('close', () => clients.delete(res));
  });
  r.post(
    '/client/text',
    handle(schemas.clientText, async (b) => {
      await w.tg.sendText(asTelegramUser(clientById(b.client)), b.text);
    }),
  );
  r.post(
    '/client/click',
    handle(schemas.clientClick, async (b) => w.tg.clickButton(asTelegramUser(clientById(b.client)), b.messageId, b.data)),
  );
  r.post(
    '/slack/action',
    handle(schemas.action, async (b, req) => (await driverFor(req).blockAction(b.user, b.source, b.actionId, b.value)).status),
  );
  r.post(
    '/slack/submit',
    handle(schemas.submit, async (b, req) => (await driverFor(req).viewSubmission(b.user, b.viewId, b.values)).body),
  );
  // Slack's client closes the modal at once and sends view_closed only when the app asked for it (notify_on_close).
  r.post(
    '/slack/close',
    handle(schemas.close, async (b, req) => {
      const view = w.slack.view(b.viewId);
      if (!view) throw new Error('That form is no longer open.');
      if (view.notify_on_close) return (await driverFor(req).viewClosed(b.user, b.viewId)).status;
      w.slack.applySubmissionResponse(b.user, b.viewId, undefined);
      return 200;
    }),
  );
  r.post(
    '/slack/command',
    handle(schemas.command, async (b, req) => (await driverFor(req).slashCommand({ command: '/case', text: b.text, userId: b.user })).body),
  );
  r.post(
    '/slack/home',
    handle(schemas.home, async (b, req) => (await driverFor(req).appHomeOpened(b.user)).status),
  );
  // "Dismiss" on an "Only visible to you" message: Slack's client hides it; the app is not told.
  r.post(
    '/slack/dismiss',
    handle(schemas.dismiss, async (b) => {
      if (!w.slack.dismissEphemeral(b.user, b.ts)) throw new Error('That message is already gone.');
    }),
  );
  r.post(
    '/slack/dm',
    handle(schemas.dm, async (b, req) => (await driverFor(req).directMessage(b.user, b.text, b.threadTs ? { threadTs: b.threadTs } : {})).status),
  );
  r.post(
    '/clock',
    handle(schemas.clock, async (b) => {
      await advanceSandboxClock(w.deps, b.hours);
      return { now: w.deps.clock.now().toISO() };
    }),
  );
  r.post(
    '/clock/next',
    handle(z.object({}), async () => stepToNextEvent(w.deps)),
  );
  app.use('/sandbox/api', r);
  app.use('/sandbox/static', express.static(path.join(here, 'console'), { index: false }));
  app.get('/', (_req, res) => res.sendFile(path.join(here, 'console', 'index.html')));

  return {
    close() {
      w.tg.off('call', changed);
      w.tg.off('update', changed);
      w.slack.off('call', changed);
      w.slack.off('response_url', changed);
      if (pending) clearTimeout(pending);
      for (const res of clients) res.end();
      clients.clear();
    },
  };
}
