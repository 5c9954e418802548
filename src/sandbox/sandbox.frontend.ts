import type { Express } from 'express';
import type { Deps } from '../deps.js';
import type { FrontEnd } from '../frontend.js';
import { inTransaction, type Db } from '../db/client.js';
import { upsertStaff } from '../staff/staff.repo.js';
import { findStaffBySlack } from '../staff/staff.repo.js';
import { notInArray } from 'drizzle-orm';
import { oncallShifts, staff } from '../db/schema.js';
import { highestInboundId } from '../db/inbound-dedupe.js';
import { DEDUPE_SOURCE } from '../telegram/composers/guard.middleware.js';
import { weeklyRotation } from '../staff/oncall.domain.js';
import { TelegramEmulator } from './telegram-emulator.js';
import { SlackEmulator } from './slack-emulator.js';
import { mountSandboxApi, type SandboxWorld } from './sandbox.api.js';
import { SANDBOX_CHANNELS, SANDBOX_CLIENTS, SANDBOX_STAFF, isSandboxConfig, portOf } from './sandbox.world.js';

/**
 * The sandbox front end (first in FRONT_ENDS; a no-op unless config.sandbox).
 * Starts the Telegram and Slack emulators on the loopback ports chosen by
 * sandboxConfig() — before the Telegram and Slack front ends start, so the
 * real bot and the real Bolt app find them as they would find the platforms —
 * seeds the demo staff, and mounts the web console at / and its API at
 * /sandbox/api. Only with a config made by sandboxConfig(): never with a real token.
 */
export async function seedSandboxStaff(deps: Deps): Promise<boolean> {
  const now = deps.clock.now();
  // Demo staff (an admin among them) are never written into a directory that holds real people.
  const others = await deps.db
    .select({ id: staff.id })
    .from(staff)
    .where(
      notInArray(
        staff.slackUserId,
        SANDBOX_STAFF.map((p) => p.slackUserId),
      ),
    )
    .limit(1);
  if (others.length) {
    deps.logger.warn({}, 'sandbox: this database already has staff who are not the demo staff; not seeding demo staff (use an empty database for the sandbox)');
    return false;
  }
  const supervisor = SANDBOX_STAFF.find((p) => p.role === 'supervisor')!;
  await inTransaction(deps.db, async (tx) => {
    for (const p of [...SANDBOX_STAFF].sort((a, b) => (a.role === 'worker' ? 1 : 0) - (b.role === 'worker' ? 1 : 0))) {
      if (await findStaffBySlack(tx, p.slackUserId)) continue;
      const sup = p.role === 'worker' ? await findStaffBySlack(tx, supervisor.slackUserId) : null;
      const row = await upsertStaff(
        tx,
        { slackUserId: p.slackUserId, displayName: p.name, role: p.role, supervisorId: sup?.id ?? null, timeZone: p.timeZone },
        now,
      );
      await deps.audit.record({ actor: { type: 'system' }, action: 'staff.sandbox_seeded', subjectType: 'staff', subjectId: row.id }, tx);
    }
    // A weekly on-call rota to start from (the supervisor changes it with `/case oncall` in the console).
    if ((await tx.select({ id: oncallShifts.id }).from(oncallShifts).limit(1)).length === 0) {
      const onCall = await Promise.all(SANDBOX_STAFF.filter((p) => p.onCall).map((p) => findStaffBySlack(tx, p.slackUserId)));
      const ids = onCall.flatMap((s) => (s ? [s.id] : []));
      if (ids.length) {
        const shifts = weeklyRotation(ids, now.startOf('hour'), 8);
        await tx.insert(oncallShifts).values(
          shifts.map((s) => ({
            staffId: s.staffId,
            startsAt: s.startsAt.toJSDate(),
            endsAt: s.endsAt.toJSDate(),
            kind: 'rota' as const,
            createdAt: now.toJSDate(),
          })),
        );
      }
    }
  });
  return true;
}

/**
 * The first update id for a new emulator: above every Telegram update id the
 * database has seen. The emulator forgets its numbering at each start; the bot's
 * de-duplication does not, and would silently drop "new" updates 1, 2, 3…
 */
async function nextTelegramUpdateId(db: Db): Promise<number> {
  return ((await highestInboundId(db, DEDUPE_SOURCE)) ?? 0) + 1;
}

export async function startSandboxEmulators(deps: Deps): Promise<{ tg: TelegramEmulator; slack: SlackEmulator }> {
  const c = deps.config;
  // Emulator time follows the service clock, so message dates move with the clock control.
  const now = () => deps.clock.now().toMillis();
  const tg = new TelegramEmulator({
    token: c.TELEGRAM_BOT_TOKEN,
    botUsername: 'casework_sandbox_bot',
    botFirstName: 'Casework',
    now,
    maxPollTimeoutSec: 10,
    firstUpdateId: await nextTelegramUpdateId(deps.db),
  });
  const slack = new SlackEmulator({
    botToken: c.SLACK_BOT_TOKEN,
    now,
    users: SANDBOX_STAFF.map((p) => ({ id: p.slackUserId, name: p.handle, real_name: p.name, tz: p.timeZone })),
    channels: [
      { ...SANDBOX_CHANNELS.intake, id: c.SLACK_INTAKE_CHANNEL ?? SANDBOX_CHANNELS.intake.id, members: SANDBOX_STAFF.map((p) => p.slackUserId) },
      {
        ...SANDBOX_CHANNELS.supervision,
        id: c.SLACK_SUPERVISION_CHANNEL ?? SANDBOX_CHANNELS.supervision.id,
        members: SANDBOX_STAFF.filter((p) => p.role !== 'worker').map((p) => p.slackUserId),
      },
    ],
  });
  await tg.start(portOf(c.TELEGRAM_API_ROOT));
  await slack.start(portOf(c.SLACK_API_URL));
  for (const { label: _label, ...user } of SANDBOX_CLIENTS) tg.addUser(user);
  return { tg, slack };
}

export const sandboxFrontEnd: FrontEnd = {
  name: 'sandbox',
  async start(deps: Deps, app: Express) {
    if (!isSandboxConfig(deps.config)) return { stop: async () => {} };
    const { tg, slack } = await startSandboxEmulators(deps);
    await seedSandboxStaff(deps);
    const world: SandboxWorld = { deps, tg, slack };
    const api = mountSandboxApi(app, world);
    deps.logger.info({ telegram: tg.url, slack: slack.url }, 'sandbox: Telegram and Slack emulators running on loopback');
    return {
      async stop() {
        api.close();
        // After the bot and the Bolt app have stopped (front ends stop in reverse order).
        await tg.stop().catch(() => {});
        await slack.stop().catch(() => {});
      },
    };
  },
};
