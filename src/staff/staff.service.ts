import { and, count, eq } from 'drizzle-orm';
import type { Deps } from '../deps.js';
import { inTransaction } from '../db/client.js';
import { cases, staff } from '../db/schema.js';
import { findActiveStaffBySlack, findStaffBySlack, listActiveStaff, upsertStaff, type StaffRole, type StaffRow } from './staff.repo.js';
import { isValidZone } from '../lib/time-zone.js';

/**
 * The staff directory: who may use the Slack app, with which role, and who
 * supervises whom. Only admins change it; the first admins come from
 * SLACK_ADMIN_USER_IDS. Names and time zones come from Slack (users.info), so
 * appointment times are read in the worker's own zone.
 */
export type SlackUserLookup = (slackUserId: string) => Promise<{ name: string; tz?: string | undefined } | null>;

/** What a change to the directory did, or why it was refused, with the data its words need (src/slack/outcome-words.ts). */
export type StaffResult =
  | { ok: true; code: 'added' | 'unchanged'; userId: string; role: StaffRole; supervisorUserId: string | null; row: StaffRow }
  | { ok: true; code: 'removed'; userId: string; openCases: number }
  | { ok: false; code: 'admins_only' | 'last_admin' }
  | { ok: false; code: 'not_in_workspace' | 'only_admin' | 'not_in_directory'; userId: string }
  | { ok: false; code: 'supervisor_not_in_directory' | 'supervisor_is_worker'; supervisorUserId: string };

function validZone(tz: string | undefined, fallback: string): string {
  return tz && isValidZone(tz) ? tz : fallback;
}

/** Make sure every configured admin is in the directory (never demotes or re-activates someone an admin removed… unless missing). */
export async function seedAdmins(deps: Deps, lookup?: SlackUserLookup): Promise<number> {
  let added = 0;
  const now = deps.clock.now();
  for (const id of deps.config.SLACK_ADMIN_USER_IDS) {
    if (await findStaffBySlack(deps.db, id)) continue;
    const info = await lookup?.(id).catch(() => null);
    await inTransaction(deps.db, async (tx) => {
      const row = await upsertStaff(
        tx,
        { slackUserId: id, displayName: info?.name ?? id, role: 'admin', supervisorId: null, timeZone: validZone(info?.tz, deps.config.DEFAULT_TIMEZONE) },
        now,
      );
      await deps.audit.record({ actor: { type: 'system' }, action: 'staff.seeded_admin', subjectType: 'staff', subjectId: row.id }, tx);
    });
    added++;
  }
  return added;
}

export async function addStaff(
  deps: Deps,
  actor: StaffRow,
  input: { userId: string; role: StaffRole; supervisorUserId: string | null },
  lookup: SlackUserLookup,
): Promise<StaffResult> {
  if (actor.role !== 'admin') return { ok: false, code: 'admins_only' };
  const info = await lookup(input.userId);
  if (!info) return { ok: false, code: 'not_in_workspace', userId: input.userId };
  let supervisorId: string | null = null;
  if (input.supervisorUserId) {
    const sup = await findActiveStaffBySlack(deps.db, input.supervisorUserId);
    if (!sup) return { ok: false, code: 'supervisor_not_in_directory', supervisorUserId: input.supervisorUserId };
    if (sup.role === 'worker') return { ok: false, code: 'supervisor_is_worker', supervisorUserId: input.supervisorUserId };
    supervisorId = sup.id;
  }
  const now = deps.clock.now();
  const out = await inTransaction(deps.db, async (tx): Promise<{ row: StaffRow; changed: boolean } | { lastAdmin: true }> => {
    // The active admins, locked: two admins demoting each other at once cannot both succeed.
    const admins = await tx
      .select({ id: staff.id, slackUserId: staff.slackUserId })
      .from(staff)
      .where(and(eq(staff.role, 'admin'), eq(staff.active, true)))
      .for('update');
    const [before] = await tx.select().from(staff).where(eq(staff.slackUserId, input.userId)).for('update');
    if (before?.active && before.role === 'admin' && input.role !== 'admin' && admins.every((a) => a.slackUserId === input.userId)) return { lastAdmin: true };
    // A replayed command (or the same change twice) changes nothing and is not recorded again.
    if (before?.active && before.role === input.role && before.supervisorId === supervisorId) return { row: before, changed: false };
    const r = await upsertStaff(
      tx,
      { slackUserId: input.userId, displayName: info.name, role: input.role, supervisorId, timeZone: validZone(info.tz, deps.config.DEFAULT_TIMEZONE) },
      now,
    );
    await deps.audit.record(
      { actor: { type: 'staff', id: actor.id }, action: 'staff.added', subjectType: 'staff', subjectId: r.id, details: { role: input.role } },
      tx,
    );
    return { row: r, changed: true };
  });
  if ('lastAdmin' in out) return { ok: false, code: 'only_admin', userId: input.userId };
  const done = { userId: input.userId, role: input.role, supervisorUserId: input.supervisorUserId, row: out.row };
  return { ok: true, code: out.changed ? 'added' : 'unchanged', ...done };
}

export async function removeStaff(deps: Deps, actor: StaffRow, userId: string): Promise<StaffResult> {
  if (actor.role !== 'admin') return { ok: false, code: 'admins_only' };
  const target = await findActiveStaffBySlack(deps.db, userId);
  if (!target) return { ok: false, code: 'not_in_directory', userId };
  const now = deps.clock.now();
  const open = await inTransaction(deps.db, async (tx) => {
    // Checked under a lock on the active admins: the last admin cannot remove herself, even twice at once.
    const admins = await tx
      .select({ id: staff.id })
      .from(staff)
      .where(and(eq(staff.role, 'admin'), eq(staff.active, true)))
      .for('update');
    if (target.role === 'admin' && admins.every((a) => a.id === target.id)) return 'last_admin' as const;
    await tx.update(staff).set({ active: false, updatedAt: now.toJSDate() }).where(eq(staff.id, target.id));
    await deps.audit.record({ actor: { type: 'staff', id: actor.id }, action: 'staff.removed', subjectType: 'staff', subjectId: target.id }, tx);
    const [{ n }] = (await tx
      .select({ n: count() })
      .from(cases)
      .where(and(eq(cases.assignedWorkerId, target.id), eq(cases.status, 'open')))) as [{ n: number }];
    return n;
  });
  if (open === 'last_admin') return { ok: false, code: 'last_admin' };
  return { ok: true, code: 'removed', userId, openCases: open };
}

export async function staffDirectory(deps: Deps): Promise<Array<StaffRow & { supervisorSlackId: string | null }>> {
  const rows = await listActiveStaff(deps.db);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return rows.map((r) => ({ ...r, supervisorSlackId: r.supervisorId ? (byId.get(r.supervisorId)?.slackUserId ?? null) : null }));
}
