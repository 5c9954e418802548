import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { staff } from '../db/schema.js';
import { teamOf, type StaffRow } from '../staff/staff.repo.js';
import type { ReportWorker } from './report.service.js';

/**
 * Whose figures a person may see:
 * - a worker: only their own (another worker's, or a team's, is refused);
 * - a supervisor: their team (the people who report to them, and themselves) or one of them;
 * - an admin: everyone (`team` or `all`), or anyone.
 */
export type ReportTarget = { kind: 'team' } | { kind: 'all' } | { kind: 'worker'; slackUserId: string } | { kind: 'me' };
/** Why a report was refused; the platform words it (src/slack/access.ts reportRefusalText). */
export type ReportRefusal =
  | { code: 'own_only' | 'team_needs_supervisor' | 'all_needs_admin' }
  | { code: 'not_in_directory' | 'not_in_team'; targetSlackUserId: string };
export type ReportScope = { ok: true; label: string; workers: ReportWorker[]; fileTag: string } | ({ ok: false } & ReportRefusal);

const asWorker = (s: StaffRow): ReportWorker => ({ id: s.id, name: s.displayName, slackUserId: s.slackUserId });

export async function reportScope(db: Db, me: StaffRow, target: ReportTarget): Promise<ReportScope> {
  if (target.kind === 'me') return { ok: true, label: me.displayName, workers: [asWorker(me)], fileTag: 'me' };
  if (target.kind === 'worker') {
    if (target.slackUserId === me.slackUserId) return { ok: true, label: me.displayName, workers: [asWorker(me)], fileTag: 'me' };
    if (me.role === 'worker') return { ok: false, code: 'own_only' };
    const [w] = await db
      .select()
      .from(staff)
      .where(and(eq(staff.slackUserId, target.slackUserId), eq(staff.active, true)))
      .limit(1);
    if (!w) return { ok: false, code: 'not_in_directory', targetSlackUserId: target.slackUserId };
    if (me.role !== 'admin' && w.supervisorId !== me.id) return { ok: false, code: 'not_in_team', targetSlackUserId: w.slackUserId };
    return { ok: true, label: w.displayName, workers: [asWorker(w)], fileTag: 'worker' };
  }
  if (me.role === 'worker') return { ok: false, code: 'team_needs_supervisor' };
  if (me.role === 'admin') {
    const everyone = await db.select().from(staff).where(eq(staff.active, true)).orderBy(staff.displayName);
    return { ok: true, label: 'everyone', workers: everyone.map(asWorker), fileTag: 'all' };
  }
  if (target.kind === 'all') return { ok: false, code: 'all_needs_admin' };
  const team = await teamOf(db, me.id);
  return { ok: true, label: `${me.displayName}'s team`, workers: [asWorker(me), ...team.map(asWorker)], fileTag: 'team' };
}
