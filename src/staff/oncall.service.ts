import { and, eq, gt, inArray, isNull, lt, ne } from 'drizzle-orm';
import { DateTime, type Interval } from 'luxon';
import { inTransaction, type Db } from '../db/client.js';
import { oncallShifts, staff } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { coverageGaps, nextShiftOf, onCallAt, weeklyRotation, type RotaChange, type Shift } from './oncall.domain.js';
import { findActiveStaffBySlack, type StaffRow } from './staff.repo.js';

/**
 * The on-call rota in PostgreSQL: who is on call (for crisis pages and App
 * Home), the next two weeks, and the changes supervisors and admins make with
 * `/case oncall` — each audited in its transaction. Results are codes with the
 * data their words need (src/slack/outcome-words.ts; times in the asker's `zone`).
 */
type Cover = { slackUserId: string; startsAt: DateTime; endsAt: DateTime };
/** Who a refused person was meant to be: on call, or the lead whose team a shift covers. */
type Role = 'on_call' | 'team_lead';
export type OncallResult =
  | { ok: false; code: 'supervisors_only' }
  | { ok: false; code: 'not_in_directory' | 'is_worker'; slackUserId: string; as: Role }
  | { ok: false; code: 'no_shift_to_swap'; slackUserId: string }
  | { ok: true; code: 'override_set'; slackUserId: string; teamSlackUserId: string | null; from: DateTime; to: DateTime; zone: string }
  | { ok: true; code: 'rota_set'; slackUserIds: string[]; teamSlackUserId: string | null; from: DateTime; weeks: number; zone: string }
  | { ok: true; code: 'swapped'; a: Cover; b: Cover; zone: string };

const dt = (d: Date) => DateTime.fromJSDate(d, { zone: 'utc' });

async function loadShifts(db: Db, from: DateTime, to: DateTime): Promise<Shift[]> {
  const rows = await db
    .select()
    .from(oncallShifts)
    .where(and(isNull(oncallShifts.cancelledAt), lt(oncallShifts.startsAt, to.toJSDate()), gt(oncallShifts.endsAt, from.toJSDate())));
  return rows.map((r) => ({ id: r.id, staffId: r.staffId, startsAt: dt(r.startsAt), endsAt: dt(r.endsAt), kind: r.kind, teamId: r.teamId }));
}

/** Supervisors and admins with the standing on-call flag (always on call, whatever the rota says). */
async function standing(db: Db): Promise<string[]> {
  const rows = await db
    .select({ id: staff.id })
    .from(staff)
    .where(and(eq(staff.active, true), eq(staff.onCall, true), ne(staff.role, 'worker')));
  return rows.map((r) => r.id);
}

/** The active people on call at `at` for a team (its supervisor's id): the team's rota if it has one then, else the agency's. */
export async function whoIsOnCall(db: Db, at: DateTime, teamId?: string | null): Promise<StaffRow[]> {
  const ids = onCallAt(await loadShifts(db, at, at.plus({ milliseconds: 1 })), await standing(db), at, teamId);
  if (!ids.length) return [];
  return db
    .select()
    .from(staff)
    .where(and(inArray(staff.id, ids), eq(staff.active, true)));
}

/** Stretches of the next `hours` that nobody covers. */
export async function gapsAhead(db: Db, now: DateTime, hours: number): Promise<Interval[]> {
  const to = now.plus({ hours });
  return coverageGaps(await loadShifts(db, now, to), await standing(db), now, to);
}

export interface RotaView {
  now: StaffRow[];
  shifts: Array<Shift & { who: StaffRow | undefined; team: StaffRow | undefined }>;
  gaps: Interval[];
}

export async function rotaView(deps: Pick<Deps, 'db'>, now: DateTime, days = 14): Promise<RotaView> {
  const to = now.plus({ days });
  const shifts = (await loadShifts(deps.db, now, to)).sort((a, b) => +a.startsAt - +b.startsAt);
  const ids = [...new Set(shifts.flatMap((s) => (s.teamId ? [s.staffId, s.teamId] : [s.staffId])))];
  const people = ids.length ? await deps.db.select().from(staff).where(inArray(staff.id, ids)) : [];
  const byId = new Map(people.map((p) => [p.id, p]));
  return {
    now: await whoIsOnCall(deps.db, now),
    shifts: shifts.map((s) => ({ ...s, who: byId.get(s.staffId), team: s.teamId ? byId.get(s.teamId) : undefined })),
    gaps: coverageGaps(shifts, await standing(deps.db), now, to),
  };
}

/** Only supervisors and admins can be on call, and only they change the rota. */
async function onCallPerson(db: Db, slackUserId: string, as: Role): Promise<StaffRow | Extract<OncallResult, { as: Role }>> {
  const s = await findActiveStaffBySlack(db, slackUserId);
  if (!s) return { ok: false, code: 'not_in_directory', slackUserId, as };
  if (s.role === 'worker') return { ok: false, code: 'is_worker', slackUserId, as };
  return s;
}

export async function changeRota(deps: Deps, me: StaffRow, cmd: RotaChange): Promise<OncallResult> {
  if (me.role === 'worker') return { ok: false, code: 'supervisors_only' };
  const now = deps.clock.now();
  const at = now.toJSDate();
  const people = new Map<string, StaffRow>();
  const teamUser = cmd.op === 'swap' ? null : cmd.teamUserId;
  let team: StaffRow | null = null;
  if (teamUser) {
    const lead = await onCallPerson(deps.db, teamUser, 'team_lead');
    if ('code' in lead) return lead;
    team = lead;
  }
  for (const u of cmd.op === 'set' ? [cmd.userId] : cmd.op === 'rotate' ? cmd.userIds : [cmd.a, cmd.b]) {
    const p = await onCallPerson(deps.db, u, 'on_call');
    if ('code' in p) return p;
    people.set(u, p);
  }
  const z = me.timeZone;
  const teamSlackUserId = team?.slackUserId ?? null;
  return inTransaction(deps.db, async (tx): Promise<OncallResult> => {
    if (cmd.op === 'set') {
      const who = people.get(cmd.userId)!;
      const [row] = await tx
        .insert(oncallShifts)
        .values({
          staffId: who.id,
          startsAt: cmd.from.toJSDate(),
          endsAt: cmd.to.toJSDate(),
          kind: 'override',
          teamId: team?.id ?? null,
          createdBy: me.id,
          createdAt: at,
        })
        .returning({ id: oncallShifts.id });
      await deps.audit.record(
        {
          actor: { type: 'staff', id: me.id },
          action: 'oncall.override_set',
          subjectType: 'staff',
          subjectId: who.id,
          details: { shift: row!.id, from: cmd.from.toUTC().toISO(), to: cmd.to.toUTC().toISO(), team: team?.id ?? null },
        },
        tx,
      );
      return { ok: true, code: 'override_set', slackUserId: who.slackUserId, teamSlackUserId, from: cmd.from, to: cmd.to, zone: z };
    }
    if (cmd.op === 'rotate') {
      const plan = weeklyRotation(
        cmd.userIds.map((u) => people.get(u)!.id),
        cmd.from,
        cmd.weeks,
        team?.id ?? null,
      );
      const end = plan.at(-1)!.endsAt;
      // The new rotation replaces rota shifts in its period (overrides stay: they are someone's cover).
      await tx
        .update(oncallShifts)
        .set({ cancelledAt: at })
        .where(
          and(
            eq(oncallShifts.kind, 'rota'),
            isNull(oncallShifts.cancelledAt),
            team ? eq(oncallShifts.teamId, team.id) : isNull(oncallShifts.teamId),
            lt(oncallShifts.startsAt, end.toJSDate()),
            gt(oncallShifts.endsAt, cmd.from.toJSDate()),
          ),
        );
      await tx.insert(oncallShifts).values(
        plan.map((s) => ({
          staffId: s.staffId,
          startsAt: s.startsAt.toJSDate(),
          endsAt: s.endsAt.toJSDate(),
          kind: 'rota' as const,
          teamId: s.teamId ?? null,
          createdBy: me.id,
          createdAt: at,
        })),
      );
      await deps.audit.record(
        {
          actor: { type: 'staff', id: me.id },
          action: 'oncall.rota_set',
          details: { weeks: cmd.weeks, people: cmd.userIds.length, from: cmd.from.toUTC().toISO(), team: team?.id ?? null },
        },
        tx,
      );
      return { ok: true, code: 'rota_set', slackUserIds: cmd.userIds, teamSlackUserId, from: cmd.from, weeks: cmd.weeks, zone: z };
    }
    const a = people.get(cmd.a)!;
    const b = people.get(cmd.b)!;
    const shifts = await loadShifts(tx, now, now.plus({ weeks: MAX_LOOKAHEAD_WEEKS }));
    const sa = nextShiftOf(shifts, a.id, now);
    const sb = nextShiftOf(shifts, b.id, now);
    if (!sa || !sb) return { ok: false, code: 'no_shift_to_swap', slackUserId: !sa ? a.slackUserId : b.slackUserId };
    await tx.update(oncallShifts).set({ staffId: b.id }).where(eq(oncallShifts.id, sa.id!));
    await tx.update(oncallShifts).set({ staffId: a.id }).where(eq(oncallShifts.id, sb.id!));
    await deps.audit.record(
      { actor: { type: 'staff', id: me.id }, action: 'oncall.swapped', details: { a: a.id, b: b.id, shiftA: sa.id!, shiftB: sb.id! } },
      tx,
    );
    // b now covers a's shift, a covers b's.
    return {
      ok: true,
      code: 'swapped',
      a: { slackUserId: a.slackUserId, startsAt: sb.startsAt, endsAt: sb.endsAt },
      b: { slackUserId: b.slackUserId, startsAt: sa.startsAt, endsAt: sa.endsAt },
      zone: z,
    };
  });
}

const MAX_LOOKAHEAD_WEEKS = 27;
