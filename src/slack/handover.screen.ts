import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { parseHandoverCommand, HANDOVER_USAGE } from './commands/handover.parse.js';
import { checkHandover, endHandover, openCasesOf, recentHandovers, type EndResult, type StartResult } from '../handover/handover.service.js';
import { findStaffById, findStaffBySlack, teamOf, type StaffRow } from '../staff/staff.repo.js';
import { handoverListBlocks, handoverModal } from './ui/handover.blocks.js';
import { tell, type Asker } from './slack.kit.js';
import { refusalText } from './access.js';
import { zUuid } from '../lib/uuid.js';

/**
 * `/case handover @from @to [until YYYY-MM-DD]` opens a modal offering @from's
 * open cases (all chosen to start with); submitting moves the chosen ones
 * (src/handover/handover.service.ts). `/case handover list` shows recent
 * handovers with their ids; `/case handover undo <id>` or [Undo handover]
 * moves the cases back at once. Who may do it is checked by the service.
 */

export const handoverMetaSchema = z
  .object({
    fromId: zUuid(),
    toId: zUuid(),
    untilOn: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .nullable(),
    nonce: z.string().min(8).max(64),
  })
  .strict();
type HandoverMeta = z.infer<typeof handoverMetaSchema>;

export async function handoverCommand(deps: Deps, a: Asker, me: StaffRow, args: string[], triggerId: string): Promise<void> {
  const cmd = parseHandoverCommand(args, me.timeZone, deps.clock.now());
  if (cmd.op === 'invalid') return tell(a, cmd.message);
  if (me.role === 'worker') {
    await deps.audit.record({ actor: { type: 'staff', id: me.id }, action: 'handover.refused', details: { what: cmd.op } });
    return tell(a, 'Sorry, only supervisors and admins can hand cases over. Ask your supervisor to arrange cover.');
  }
  if (cmd.op === 'list') return listHandovers(deps, a, me);
  if (cmd.op === 'undo') return tell(a, endedText(await endHandover(deps, cmd.handoverId, { mode: 'undo', actor: me })));
  const [from, to] = [await findStaffBySlack(deps.db, cmd.fromUserId), await findStaffBySlack(deps.db, cmd.toUserId)];
  if (!from || !to) return tell(a, `<@${from ? cmd.toUserId : cmd.fromUserId}> is not in the staff directory.`);
  const refusal = await checkHandover(deps, me, from, to);
  if (refusal) return tell(a, refusalText(refusal));
  const open = await openCasesOf(deps.db, from.id);
  if (open.length === 0) return tell(a, `<@${from.slackUserId}> has no open cases to hand over.`);
  const meta: HandoverMeta = { fromId: from.id, toId: to.id, untilOn: cmd.untilOn, nonce: randomUUID() };
  await a.client.views.open({
    trigger_id: triggerId,
    view: handoverModal({ fromSlackId: from.slackUserId, toSlackId: to.slackUserId, untilOn: cmd.untilOn, cases: open, total: open.length, meta }),
  });
}

async function listHandovers(deps: Deps, a: Asker, me: StaffRow): Promise<void> {
  const team = await teamOf(deps.db, me.id);
  const rows = await recentHandovers(
    deps,
    me,
    team.map((t) => t.id),
  );
  if (rows.length === 0) return tell(a, 'No handovers yet.');
  const lines = await Promise.all(
    rows.map(async (h) => {
      const [f, t] = [await findStaffById(deps.db, h.fromStaffId), await findStaffById(deps.db, h.toStaffId)];
      return `• \`${h.id}\` <@${f?.slackUserId}> → <@${t?.slackUserId}> · ${h.cases} case${h.cases === 1 ? '' : 's'}${h.untilOn ? ` · until ${h.untilOn}` : ''} · *${h.status}*`;
    }),
  );
  return tell(a, `Handovers: ${rows.length}`, handoverListBlocks(lines, HANDOVER_USAGE));
}

export function startedText(r: Extract<StartResult, { ok: true; duplicate: false }>, toSlackId: string): string {
  const refs = r.moved.map((m) => m.reference).join(', ');
  return (
    `🤝 Handed over ${r.moved.length} case${r.moved.length === 1 ? '' : 's'} to <@${toSlackId}>${r.handover.untilOn ? ` until ${r.handover.untilOn}` : ''}: ${refs || 'none'}.` +
    `${r.skipped.length ? ` ${r.skipped.length} chosen case${r.skipped.length === 1 ? ' was' : 's were'} no longer open with the same worker and stayed where ${r.skipped.length === 1 ? 'it was' : 'they were'}.` : ''}` +
    ` Handover id: \`${r.handover.id}\`.`
  );
}

export function endedText(r: EndResult): string {
  if (!r.ok) return refusalText(r);
  const stayed = r.stayed.length ? ` ${r.stayed.join(', ')} stayed (closed, or moved to someone else meanwhile).` : '';
  return `↩️ Handover \`${r.handover.id}\` ${r.handover.status === 'undone' ? 'undone' : 'ended'}: ${r.returned.length} case${r.returned.length === 1 ? '' : 's'} back with their worker${r.returned.length ? ` (${r.returned.join(', ')})` : ''}.${stayed}`;
}
