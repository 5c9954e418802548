import { and, asc, eq, sql } from 'drizzle-orm';
import type { Deps } from '../deps.js';
import { inTransaction, type Db } from '../db/client.js';
import { resources } from '../db/schema.js';
import type { StaffRow } from '../staff/staff.repo.js';
import { validateResource, type FieldErrors } from './referrals.domain.js';
import { isUuid } from '../lib/uuid.js';

/**
 * The agency's resource directory, managed by admins (`/case resources add|edit|remove`),
 * read by everyone who refers. Removing keeps the row (inactive): referrals point at it.
 * Every change is audited (ids only; a resource is an organisation, not personal data).
 */
export type ResourceRow = typeof resources.$inferSelect;
export type ResourceResult = { ok: true; resource: ResourceRow } | { ok: false; errors: FieldErrors };

export const ADMINS_ONLY = 'Sorry, only admins can change the resource directory.';

export async function listResources(db: Db, opts: { category?: string } = {}): Promise<ResourceRow[]> {
  return db
    .select()
    .from(resources)
    .where(and(eq(resources.active, true), opts.category ? sql`${opts.category} = any(${resources.categories})` : sql`true`))
    .orderBy(asc(sql`lower(${resources.name})`));
}

export async function findResource(db: Db, idOrName: string): Promise<ResourceRow | undefined> {
  const byId = isUuid(idOrName);
  const [row] = await db
    .select()
    .from(resources)
    .where(and(eq(resources.active, true), byId ? eq(resources.id, idOrName) : sql`lower(${resources.name}) = lower(${idOrName})`))
    .limit(1);
  return row;
}

export async function saveResource(deps: Deps, actor: StaffRow, raw: unknown, editId?: string): Promise<ResourceResult> {
  if (actor.role !== 'admin') return { ok: false, errors: { name: ADMINS_ONLY } };
  const v = validateResource(raw);
  if (!v.ok) return v;
  const now = deps.clock.now().toJSDate();
  const values = {
    name: v.value.name,
    categories: v.value.categories,
    languages: v.value.languages,
    phone: v.value.phone ?? null,
    email: v.value.email ?? null,
    website: v.value.website ?? null,
    address: v.value.address ?? null,
    description: v.value.description ?? null,
    updatedAt: now,
  };
  return inTransaction(deps.db, async (tx) => {
    const [clash] = await tx
      .select({ id: resources.id })
      .from(resources)
      .where(and(eq(resources.active, true), sql`lower(${resources.name}) = lower(${values.name})`, editId ? sql`${resources.id} <> ${editId}` : sql`true`))
      .limit(1);
    if (clash) return { ok: false as const, errors: { name: `There is already a resource called “${values.name}”. Edit that one, or choose another name.` } };
    const [row] = editId
      ? await tx
          .update(resources)
          .set(values)
          .where(and(eq(resources.id, editId), eq(resources.active, true)))
          .returning()
      : await tx
          .insert(resources)
          .values({ ...values, createdAt: now })
          .returning();
    if (!row) return { ok: false as const, errors: { name: 'That resource has been removed meanwhile; nothing was saved.' } };
    await deps.audit.record(
      { actor: { type: 'staff', id: actor.id }, action: editId ? 'resource.edited' : 'resource.added', subjectType: 'resource', subjectId: row.id },
      tx,
    );
    return { ok: true as const, resource: row };
  });
}

/** What removing a resource did, with the data its words need (src/slack/outcome-words.ts). */
export type RemoveResult = { ok: true; code: 'removed'; name: string } | { ok: false; code: 'admins_only' } | { ok: false; code: 'not_found'; query: string };

export async function removeResource(deps: Deps, actor: StaffRow, idOrName: string): Promise<RemoveResult> {
  if (actor.role !== 'admin') return { ok: false, code: 'admins_only' };
  const r = await findResource(deps.db, idOrName);
  if (!r) return { ok: false, code: 'not_found', query: idOrName };
  await inTransaction(deps.db, async (tx) => {
    await tx.update(resources).set({ active: false, updatedAt: deps.clock.now().toJSDate() }).where(eq(resources.id, r.id));
    await deps.audit.record({ actor: { type: 'staff', id: actor.id }, action: 'resource.removed', subjectType: 'resource', subjectId: r.id }, tx);
  });
  return { ok: true, code: 'removed', name: r.name };
}
