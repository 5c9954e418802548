import type { WebClient } from '@slack/web-api';
import type { Deps } from '../deps.js';
import { assignCase } from '../cases/case-assign.service.js';
import { findCaseById } from '../cases/cases.repo.js';
import { findActiveStaffBySlack, findStaffById, type StaffRow } from '../staff/staff.repo.js';
import { newMeta } from './slack.kit.js';
import { intakeCardBlocks, intakeCardText, overLimitModal } from './ui/intake-card.blocks.js';
import { intakeCardInput } from './kinds/intake-card.kind.js';
import { tell, type Asker } from './slack.kit.js';
import { REFUSE, refusalText } from './access.js';
import { isUuid } from '../lib/uuid.js';

/**
 * [Assign to me] and [Assign…] on the intake card (and reassignment later):
 * check on the server, assign, update the card in the channel to show who
 * has it, and tell the person who clicked. The worker's DM with the full
 * case card is an 'assignment_dm' delivery planned by the service.
 */
export async function assignFromSlack(deps: Deps, a: Asker, me: StaffRow, caseId: string, targetSlackId: string, triggerId?: string): Promise<void> {
  const c = isUuid(caseId) ? await findCaseById(deps.db, caseId) : undefined;
  if (!c) {
    await tell(a, REFUSE.unavailable());
    return;
  }
  const target = await findActiveStaffBySlack(deps.db, targetSlackId);
  if (!target) {
    await tell(a, `<@${targetSlackId}> is not in the staff directory, so they cannot take cases. An admin can add them with \`/case staff add\`.`);
    return;
  }
  const r = await assignCase(deps, me, c.id, target);
  if (!r.ok && r.code === 'over_limit' && triggerId) {
    await a.client.views.open({
      trigger_id: triggerId,
      view: overLimitModal(newMeta(c.id, { staffId: target.id }), c.reference, target.displayName, refusalText(r)),
    });
    return;
  }
  if (!r.ok) {
    await tell(a, refusalText(r));
    return;
  }
  if (r.status === 'already') {
    await tell(a, `${c.reference} is already assigned to <@${target.slackUserId}>.`);
    return;
  }
  await refreshIntakeCard(deps, a.client, c.id);
  const who = target.id === me.id ? 'you' : `<@${target.slackUserId}>`;
  await tell(
    a,
    `${c.reference} is now assigned to ${who}. ${target.id === me.id ? 'The case card is on its way to your DM.' : 'They get the case card in a DM.'}`,
  );
}

/** The reason modal submitted: assign with the reason (then, after the modal closes, `done` updates the card and tells the person), or answer on the field. */
export async function assignOverLimit(
  deps: Deps,
  a: Asker,
  me: StaffRow,
  caseId: string,
  targetId: string,
  reason: string,
): Promise<{ ok: true; done: () => Promise<void> } | { ok: false; message: string }> {
  const target = await findStaffById(deps.db, targetId);
  if (!target?.active) return { ok: false, message: 'That person is no longer in the staff directory.' };
  const r = await assignCase(deps, me, caseId, target, { overLimitReason: reason });
  if (!r.ok) return { ok: false, message: refusalText(r) };
  return {
    ok: true,
    async done() {
      if (r.status !== 'already') await refreshIntakeCard(deps, a.client, caseId);
      await tell(
        a,
        r.status === 'already'
          ? `${r.case.reference} is already assigned to <@${target.slackUserId}>.`
          : `${r.case.reference} is now assigned to <@${target.slackUserId}>, over the caseload limit; your reason is on record.`,
      );
    },
  };
}

/** Show the assignment on the intake card in the channel (safe fields only, as before). */
async function refreshIntakeCard(deps: Deps, client: WebClient, caseId: string): Promise<void> {
  const c = await findCaseById(deps.db, caseId);
  if (!c?.intakeCardChannel || !c.intakeCardTs) return;
  const x = await intakeCardInput(deps, caseId);
  if (!x) return;
  await client.chat
    .update({ channel: c.intakeCardChannel, ts: c.intakeCardTs, text: intakeCardText(x), blocks: intakeCardBlocks(x) })
    .catch((err: unknown) => deps.logger.warn({ caseId, err: (err as Error).message }, 'could not update the intake card'));
}
