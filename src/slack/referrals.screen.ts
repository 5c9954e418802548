import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { CATEGORIES } from '../lib/categories.js';
import { caseReferrals } from '../referrals/referrals.service.js';
import { ADMINS_ONLY, findResource, listResources, removeResource } from '../referrals/resources.service.js';
import type { StaffRow } from '../staff/staff.repo.js';
import { caseForActor, REFUSE } from './access.js';
import { caseReferralsBlocks, referralModal, resourceListBlocks, resourceModal } from './ui/referrals.blocks.js';
import { newMeta, tell, type Asker } from './slack.kit.js';
import { removeResourceText } from './outcome-words.js';
import { zUuid } from '../lib/uuid.js';

/**
 * `/case resources [list [category]]|add|edit <id or name>|remove <id or name>`
 * (changes: admins), `/case C-… refer` (the referral modal) and
 * `/case C-… referrals` (a case's referrals with their reasons; audited as a view).
 */
const RESOURCES_USAGE =
  'Usage: `/case resources [list [category]]`, and for admins `/case resources add`, `/case resources edit <id or name>`, `/case resources remove <id or name>`.';
export const resourceMetaSchema = z.object({ editId: zUuid().optional(), nonce: z.string().min(8).max(64) }).strict();

export async function resourcesCommand(deps: Deps, a: Asker, me: StaffRow, args: string[], triggerId: string): Promise<void> {
  const op = (args[0] ?? 'list').toLowerCase();
  const rest = args.slice(1).join(' ').trim();
  if (op === 'list') {
    const category = rest ? rest.toLowerCase() : undefined;
    if (category && !(CATEGORIES as readonly string[]).includes(category))
      return tell(a, `\`${rest.slice(0, 30)}\` is not a category; use one of: ${CATEGORIES.join(', ')}.`);
    const list = await listResources(deps.db, category ? { category } : {});
    return tell(a, `Resources: ${list.length}`, resourceListBlocks(list, category));
  }
  if (!['add', 'edit', 'remove'].includes(op)) return tell(a, RESOURCES_USAGE);
  if (me.role !== 'admin') {
    await deps.audit.record({ actor: { type: 'staff', id: me.id }, action: 'resource.refused', details: { op } });
    return tell(a, ADMINS_ONLY);
  }
  if (op === 'remove') return tell(a, removeResourceText(await removeResource(deps, me, rest)));
  const existing = op === 'edit' ? await findResource(deps.db, rest) : undefined;
  if (op === 'edit' && !existing) return tell(a, `I can't find a resource “${rest.slice(0, 60)}”. \`/case resources list\` shows them with their ids.`);
  await a.client.views.open({
    trigger_id: triggerId,
    view: resourceModal({ ...(existing ? { editId: existing.id } : {}), nonce: randomUUID() }, existing),
  });
}

export async function referCommand(deps: Deps, a: Asker, me: StaffRow, ref: string, triggerId: string): Promise<void> {
  const access = await caseForActor(deps, me, { reference: ref }, 'slack:refer');
  if (!access.ok) return tell(a, access.message);
  if (access.case.status !== 'open') return tell(a, REFUSE.closed);
  const list = await listResources(deps.db);
  if (list.length === 0) return tell(a, 'The resource directory is empty: ask an admin to add the organisation first (`/case resources add`).');
  await a.client.views.open({ trigger_id: triggerId, view: referralModal(newMeta(access.case.id), ref, list) });
}

export async function showReferrals(deps: Deps, a: Asker, me: StaffRow, ref: string): Promise<void> {
  const access = await caseForActor(deps, me, { reference: ref }, 'slack:referrals');
  if (!access.ok) return tell(a, access.message);
  const list = await caseReferrals(deps, access.case.id);
  await deps.audit.record({ actor: { type: 'staff', id: me.id }, action: 'case.referrals_viewed', caseId: access.case.id });
  if (list.length === 0) return tell(a, `${ref} has no referrals yet. \`/case ${ref} refer\` records one.`);
  return tell(a, `Referrals on ${ref}: ${list.length}`, caseReferralsBlocks(ref, list));
}
