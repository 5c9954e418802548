import type { WebClient } from '@slack/web-api';
import type { Deps } from '../deps.js';
import { caseHistory, caseIntake } from '../cases/case-file.js';
import type { StaffRow } from '../staff/staff.repo.js';
import { caseForActor } from './access.js';
import type { ModalView } from '@slack/types';
import { fullIntakeModal, historyModal } from './ui/case-file.blocks.js';
import { tell, type Asker } from './slack.kit.js';

/**
 * [Full intake] and [History] on the case card (and `/case C-… intake|history`):
 * checked on the server against the directory and the case's assignment,
 * decrypted only now, and every opening audited (no personal data in the row).
 * Someone who may not see the case gets the same answer as for a case that
 * does not exist.
 */
export type ShowView = (view: ModalView) => Promise<unknown>;

export async function showFullIntake(deps: Deps, a: Asker, me: StaffRow, by: { id: string } | { reference: string }, show: ShowView): Promise<void> {
  const access = await caseForActor(deps, me, by, 'intake');
  if (!access.ok) return tell(a, access.message);
  const c = access.case;
  await deps.audit.record({ actor: { type: 'staff', id: me.id }, action: 'case.intake_viewed', caseId: c.id, details: { via: 'slack' } });
  await show(fullIntakeModal(c.reference, caseIntake(deps, c.intakeEnc), c.id));
}

export async function showHistory(deps: Deps, a: Asker, me: StaffRow, by: { id: string } | { reference: string }, page: number, show: ShowView): Promise<void> {
  const access = await caseForActor(deps, me, by, 'history');
  if (!access.ok) return tell(a, access.message);
  const c = access.case;
  const h = await caseHistory(deps, c.id, page);
  await deps.audit.record({ actor: { type: 'staff', id: me.id }, action: 'case.history_viewed', caseId: c.id, details: { via: 'slack', page: h.page } });
  await show(historyModal(c.reference, h, c.id, me.timeZone));
}

export const openView =
  (client: WebClient, triggerId: string): ShowView =>
  (view) =>
    client.views.open({ trigger_id: triggerId, view });
export const updateView =
  (client: WebClient, viewId: string): ShowView =>
  (view) =>
    client.views.update({ view_id: viewId, view });
