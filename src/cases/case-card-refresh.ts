import { and, eq, inArray, or, sql } from 'drizzle-orm';
import type { DateTime } from 'luxon';
import type { Db } from '../db/client.js';
import { cases, staff } from '../db/schema.js';
import { planDeliveries, type DeliveryRow, type PlannedDelivery } from '../delivery/ledger.js';
import { UUID_PATTERN } from '../lib/uuid.js';

/**
 * Live case cards (issue 12). Every change to a case bumps its version and,
 * in the same transaction, plans:
 * - a 'case_card_update' of the card already posted in the assigned worker's
 *   DM (Slack chat.update of that message), and
 * - an 'app_home' republish for each person whose App Home shows the case
 *   (the worker, their supervisor, and whoever else the caller names, e.g.
 *   the previous worker on a reassignment).
 * Both are ordinary ledger rows: sent by the delivery worker, retried after a
 * 429, rendered from the rows at send time (so only the newest state goes
 * out: an older pending update of the same card is skipped as 'superseded').
 * Their recipients are not the person's DM ('channel:<card's channel>',
 * 'staff:<id>:home'), so they never queue behind or ahead of real messages to
 * that person in the per-recipient order (an edit and a view are not news).
 */
export const CASE_CARD_UPDATE_KIND = 'case_card_update';
export const APP_HOME_KIND = 'app_home';

export interface RefreshOpts {
  /** Staff ids whose App Home also changed (previous worker, every supervisor for the unassigned list…). */
  alsoHome?: string[];
  /** Leave the version alone: the caller bumped it already (assignment). */
  versionBumped?: boolean;
}

/** What a refresh reads of the case. */
const CARD_COLUMNS = { id: cases.id, version: cases.version, workerId: cases.assignedWorkerId, channel: cases.slackChannel, ts: cases.slackThreadTs };

export async function planCardRefresh(tx: Db, caseId: string, now: DateTime, opts: RefreshOpts = {}): Promise<DeliveryRow[]> {
  const [c] = opts.versionBumped
    ? await tx.select(CARD_COLUMNS).from(cases).where(eq(cases.id, caseId))
    : await tx
        .update(cases)
        .set({ version: sql`${cases.version} + 1` })
        .where(eq(cases.id, caseId))
        .returning(CARD_COLUMNS);
  if (!c) return [];
  const items: PlannedDelivery[] = cardUpdate(c, now);
  const people = new Set(opts.alsoHome ?? []);
  if (c.workerId) {
    people.add(c.workerId);
    const [w] = await tx.select({ supervisorId: staff.supervisorId }).from(staff).where(eq(staff.id, c.workerId));
    if (w?.supervisorId) people.add(w.supervisorId);
  }
  const active = people.size
    ? await tx
        .select({ id: staff.id })
        .from(staff)
        .where(and(inArray(staff.id, [...people]), eq(staff.active, true)))
    : [];
  const activeIds = active.map((p) => p.id);
  items.push(...homeRefreshes(c, activeIds, now));
  return planDeliveries(tx, items, now);
}

type CardState = { id: string; version: number; workerId: string | null; channel: string | null; ts: string | null };

/** The update of the card already posted in the worker's DM (none before it is posted). */
const cardUpdate = (c: CardState, now: DateTime): PlannedDelivery[] =>
  c.workerId && c.channel && c.ts
    ? [{ kind: CASE_CARD_UPDATE_KIND, subjectId: c.id, version: c.version, recipient: `channel:${c.channel}`, channel: 'slack', caseId: c.id, dueAt: now }]
    : [];

/** An App Home republish for each of these people. */
const homeRefreshes = (c: CardState, staffIds: Iterable<string>, now: DateTime): PlannedDelivery[] =>
  [...staffIds].map((id) => ({
    kind: APP_HOME_KIND,
    subjectId: c.id,
    version: c.version,
    recipient: homeRecipient(id),
    channel: 'slack',
    caseId: c.id,
    dueAt: now,
  }));

const homeRecipient = (staffId: string) => `staff:${staffId}:home` as const;
const HOME_RECIPIENT = new RegExp(`^staff:(${UUID_PATTERN}):home$`, 'i');
export const homeRecipientStaff = (recipient: string): string | null => HOME_RECIPIENT.exec(recipient)?.[1] ?? null;

/** Everyone who sees unassigned intakes on their App Home (supervisors and admins). */
export async function intakeWatchers(tx: Db): Promise<string[]> {
  const rows = await tx
    .select({ id: staff.id })
    .from(staff)
    .where(and(eq(staff.active, true), or(eq(staff.role, 'supervisor'), eq(staff.role, 'admin'))));
  return rows.map((r) => r.id);
}

/**
 * The same for many cases at once (the escalation sweep opens escalations in
 * chunks of up to 1,000): one version bump, one lookup of the supervisors,
 * planDeliveries in slices. Unassigned cases refresh everyone who sees the
 * unassigned list.
 */
export async function planCardRefreshMany(tx: Db, caseIds: string[], now: DateTime): Promise<DeliveryRow[]> {
  if (caseIds.length === 0) return [];
  const bumped = await tx
    .update(cases)
    .set({ version: sql`${cases.version} + 1` })
    .where(inArray(cases.id, caseIds))
    .returning(CARD_COLUMNS);
  const workerIds = [...new Set(bumped.map((c) => c.workerId).filter((x): x is string => !!x))];
  const people = workerIds.length
    ? await tx.select({ id: staff.id, supervisorId: staff.supervisorId, active: staff.active }).from(staff).where(inArray(staff.id, workerIds))
    : [];
  const byId = new Map(people.map((p) => [p.id, p]));
  const watchers = bumped.some((c) => !c.workerId) ? await intakeWatchers(tx) : [];
  const items: PlannedDelivery[] = [];
  for (const c of bumped) {
    const w = c.workerId ? byId.get(c.workerId) : undefined;
    const homes = c.workerId ? [...(w?.active ? [c.workerId] : []), ...(w?.supervisorId ? [w.supervisorId] : [])] : watchers;
    items.push(...cardUpdate(c, now), ...homeRefreshes(c, new Set(homes), now));
  }
  const rows: DeliveryRow[] = [];
  for (let i = 0; i < items.length; i += 2000) rows.push(...(await planDeliveries(tx, items.slice(i, i + 2000), now)));
  return rows;
}
