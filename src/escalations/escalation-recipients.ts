import { and, eq, inArray } from 'drizzle-orm';
import type { Deps } from '../deps.js';
import type { Db } from '../db/client.js';
import { staff } from '../db/schema.js';
import type { Recipient } from '../delivery/ledger.js';
import type { DateTime } from 'luxon';
import type { CrisisAudience, EscalationTarget } from './policy.domain.js';
import { whoIsOnCall } from '../staff/oncall.service.js';

export type StaffRow = typeof staff.$inferSelect;

/**
 * Who hears about a step, for a whole sweep at once: the staff rows of every
 * worker and supervisor involved are read in two queries, and the fallback
 * lists (all supervisors, who is on call) at most once each — not a lookup per
 * escalation.
 *
 * Nobody is ever left out: a case with no worker goes to the supervisors; a
 * worker without an active supervisor escalates to every supervisor; no
 * supervision channel configured → the supervisors' DMs; nobody on call →
 * every supervisor.
 */
export class RecipientDirectory {
  private readonly byId = new Map<string, StaffRow>();
  private allSupervisors?: Promise<Recipient[]>;
  private readonly oncallNow = new Map<string, Promise<Recipient[]>>();
  private admins?: Promise<Recipient[]>;

  private constructor(private readonly deps: Pick<Deps, 'db' | 'config'>) {}

  /** Load the workers with these ids and their supervisors. */
  static async load(deps: Pick<Deps, 'db' | 'config'>, workerIds: Iterable<string>): Promise<RecipientDirectory> {
    const dir = new RecipientDirectory(deps);
    await dir.fetch([...new Set(workerIds)]);
    const supervisorIds = [...dir.byId.values()].map((s) => s.supervisorId).filter((id): id is string => !!id && !dir.byId.has(id));
    await dir.fetch([...new Set(supervisorIds)]);
    return dir;
  }

  private async fetch(ids: string[]): Promise<void> {
    // A few thousand ids per query at most (one parameter each).
    for (let i = 0; i < ids.length; i += 5000) {
      const rows = await this.deps.db
        .select()
        .from(staff)
        .where(inArray(staff.id, ids.slice(i, i + 5000)));
      for (const r of rows) this.byId.set(r.id, r);
    }
  }

  staff(id: string | null | undefined): StaffRow | undefined {
    return id ? this.byId.get(id) : undefined;
  }

  async recipients(target: EscalationTarget, worker?: StaffRow, supervisor?: StaffRow): Promise<Recipient[]> {
    const supervisors = async (): Promise<Recipient[]> => (supervisor?.active ? [`staff:${supervisor.id}`] : this.everySupervisor());
    switch (target) {
      case 'worker':
        return worker?.active ? [`staff:${worker.id}`] : supervisors();
      case 'supervisor':
        return supervisors();
      case 'supervision_channel':
        return this.deps.config.SLACK_SUPERVISION_CHANNEL ? [`channel:${this.deps.config.SLACK_SUPERVISION_CHANNEL}`] : supervisors();
      case 'oncall_supervisors':
        // Crisis pages go through crisisRecipients (the rota and the tiers); this is only its last resort.
        return this.everySupervisor();
    }
  }

  /**
   * A crisis tier's audiences, together, each person once. `oncall` is the rota at `now`; with nobody
   * on call it becomes the team's supervisors and the supervision channel, so a crisis always reaches someone.
   */
  async crisisRecipients(
    audiences: readonly CrisisAudience[],
    worker: StaffRow | undefined,
    supervisor: StaffRow | undefined,
    now: DateTime,
  ): Promise<Recipient[]> {
    const out = new Set<Recipient>();
    const add = (list: Recipient[]) => list.forEach((r) => out.add(r));
    const team = async () => add(supervisor?.active ? [`staff:${supervisor.id}`] : await this.everySupervisor());
    const channel = async () => add(await this.recipients('supervision_channel', worker, supervisor));
    for (const a of audiences) {
      if (a === 'oncall') {
        // The case's team rota first (the team is its worker's supervisor), else the agency's.
        const teamId = supervisor?.active ? supervisor.id : '';
        let pending = this.oncallNow.get(teamId);
        if (!pending) {
          pending = whoIsOnCall(this.deps.db, now, teamId || null).then((rows) => rows.map((r) => `staff:${r.id}` as const));
          this.oncallNow.set(teamId, pending);
        }
        const oncall = await pending;
        if (oncall.length) add(oncall);
        else {
          await team();
          await channel();
        }
      } else if (a === 'team_supervisors') await team();
      else if (a === 'supervision_channel') await channel();
      else {
        this.admins ??= ids(this.deps.db, eq(staff.role, 'admin'));
        add(await this.admins);
      }
    }
    return [...out];
  }

  private everySupervisor(): Promise<Recipient[]> {
    this.allSupervisors ??= ids(this.deps.db, inArray(staff.role, ['supervisor', 'admin']));
    return this.allSupervisors;
  }
}

async function ids(db: Db, where: ReturnType<typeof eq>): Promise<Recipient[]> {
  const rows = await db
    .select({ id: staff.id })
    .from(staff)
    .where(and(eq(staff.active, true), where));
  return rows.map((s) => `staff:${s.id}` as const);
}
