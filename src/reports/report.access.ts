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
export type ReportScope = { ok: true; label: string; workers: ReportWorker[]; fileTag: string } | { ok: false; message: string };

const asWorker = (s: StaffRow): ReportWorker => ({ id: s.id, name: s.displayName, slackUserId: s.slackUserId });

export async function reportScope(db: Db, me: StaffRow, target: ReportTarget): Promise<ReportScope> {
  if (target.kind === 'me') return { ok: true, label: me.displayName, workers: [asWorker(me)], fileTag: 'me' };
  if (target.kind === 'worker') {
    if (target.slackUserId === me.slackUserId) return { ok: true, label: me.displayName, workers: [asWorker(me)], fileTag: 'me' };
    if (me.role === 'worker')
      return { ok: false, message: "Sorry, a worker can see only their own report (`/case report`). Your supervisor can see the team's." };
    const [w] = await db
      .select()
      .from(staff)
      .where(and(eq(staff.slackUserId, target.slackUserId), eq(staff.active, true)))
      .limit(1);
    if (!w) return { ok: false, message: `<@${target.slackUserId}> is not in the staff directory.` };
    if (me.role !== 'admin' && w.supervisorId !== me.id)
      return { ok: false, message: `Sorry, <@${w.slackUserId}> is not in your team; only their own supervisor or an admin can see their report.` };
    return { ok: true, label: w.displayName, workers: [asWorker(w)], fileTag: 'worker' };
  }
  if (me.role === 'worker')
    return { ok: false, message: "Sorry, only supervisors (for their team) and admins can see a team's report. `/case report` shows your own." };
  if (me.role === 'admin') {
    const everyone = await db.select().from(staff).where(eq(staff.active, true)).orderBy(staff.displayName);
    return { ok: true, label: 'everyone', workers: everyone.map(asWorker), fileTag: 'all' };
  }
  if (target.kind === 'all') return { ok: false, message: 'Sorry, only admins can see the whole agency; `/case report team` shows your team.' };
  const team = await teamOf(db, me.id);
  return { ok: true, label: `${me.displayName}'s team`, workers: [asWorker(me), ...team.map(asWorker)], fileTag: 'team' };
}
