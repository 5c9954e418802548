import type { Deps } from '../deps.js';
import type { StaffRow } from '../staff/staff.repo.js';
import { buildCaseExport } from '../cases/case-export.service.js';
import { renderExportJson, renderExportMarkdown } from '../cases/case-export.render.js';
import { redactableNotes } from '../cases/note-redaction.service.js';
import { requestErasureByStaff } from '../clients/erasure-request.service.js';
import { staffTime } from '../appointments/appointment.format.js';
import { caseForActor, REFUSE } from './access.js';
import { redactModal } from './ui/lifecycle.blocks.js';
import { newMeta, tell, type Asker } from './slack.kit.js';

/**
 * `/case C-… export`, `/case C-… erase`, `/case C-… redact`: the data
 * lifecycle on one case. A case the asker may not see gets exactly the answer
 * a missing case gets (caseForActor), so a reference cannot be probed.
 */
export const LIFECYCLE_SUBCOMMANDS = ['export', 'erase', 'redact'] as const;
export type LifecycleSub = (typeof LIFECYCLE_SUBCOMMANDS)[number];

export async function lifecycleCommand(deps: Deps, a: Asker, me: StaffRow, ref: string, sub: LifecycleSub, triggerId: string): Promise<void> {
  const access = await caseForActor(deps, me, { reference: ref }, sub);
  if (!access.ok) return tell(a, access.message);
  const c = access.case;
  if (sub === 'export') return exportCase(deps, a, me, c.id, ref);
  if (sub === 'erase') {
    const { request, created } = await requestErasureByStaff(deps, me.id, c.id);
    const due = staffTime(request.dueAt, me.timeZone);
    return tell(
      a,
      created
        ? `Erasure requested for the client of ${ref}. Messages to them have stopped; their supervisor decides (erase now, or hold with a reason) by ${due}.`
        : `An erasure request for the client of ${ref} is already open (${request.status}); it must be decided by ${due}.`,
    );
  }
  if (me.role === 'worker') return tell(a, REFUSE.role('supervisors and admins can redact a note'));
  const list = await redactableNotes(deps, c.id);
  if (list.length === 0) return tell(a, `${ref} has no notes or messages that can be redacted.`);
  const options = list.map((n): [string, string] => [
    n.id,
    `${staffTime(n.contactAt, me.timeZone)} · ${n.kind === 'message' ? (n.direction === 'from_client' ? 'from client' : 'to client') : n.kind} · ${n.excerpt}`,
  ]);
  await a.client.views.open({ trigger_id: triggerId, view: redactModal(ref, newMeta(c.id), options) });
}

async function exportCase(deps: Deps, a: Asker, me: StaffRow, caseId: string, ref: string): Promise<void> {
  const x = await buildCaseExport(deps, caseId, me);
  if (!x) return tell(a, REFUSE.unavailable(ref));
  const stamp = x.exportedAt.slice(0, 10);
  const dm = await a.client.conversations.open({ users: me.slackUserId });
  const channelId = dm.channel?.id;
  if (!channelId) throw new Error('could not open a DM with the requester');
  await a.client.filesUploadV2({
    channel_id: channelId,
    initial_comment: `Record export of ${ref} (${stamp}): a readable Markdown file and the same record as JSON. It contains personal data: keep it only as long as you need it.`,
    file_uploads: [
      { file: Buffer.from(renderExportMarkdown(x), 'utf8'), filename: `${ref}-record-${stamp}.md`, title: `${ref} record (Markdown)` },
      { file: Buffer.from(renderExportJson(x), 'utf8'), filename: `${ref}-record-${stamp}.json`, title: `${ref} record (JSON)` },
    ],
  });
  await tell(a, `The record of ${ref} is in your DM with me (Markdown and JSON). The export is on the case's audit trail.`);
}
