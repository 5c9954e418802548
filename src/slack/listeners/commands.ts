import { loadCaseCard } from '../../cases/case-card.js';
import { parseReference } from '../../cases/case-reference.js';
import { caseForActor } from '../access.js';
import { noteModal } from '../ui/modals.blocks.js';
import { openView, showFullIntake, showHistory } from '../case-file.flow.js';
import { LIFECYCLE_SUBCOMMANDS, type LifecycleSub, lifecycleCommand } from '../case-lifecycle.commands.js';
import { caseworkLinksCommand } from '../casework-links.commands.js';
import { caseCommand } from '../screens.js';
import { newMeta, tell } from '../slack.kit.js';
import type { StaffCommandHandler } from './types.js';

/** The slash commands, keyed by name; each after the staff wrapper (ack at once, directory, failures reported), answering only the asker. */
export const COMMANDS = {
  /**
   * `/case`, `/case C-…`, `/case C-… log`, `/case C-… intake`, `/case C-… history`, `/case note [C-…]`, `/case team`,
   * `/case staff …`, `/case help`, and the subcommands routed to case-lifecycle.commands.ts and casework-links.commands.ts.
   */
  '/case': async ({ deps, me, a, command, client }) => {
    const text = String(command.text ?? '').slice(0, 500);
    const [first, second] = text.trim().split(/\s+/);
    if ((first ?? '').toLowerCase() === 'note') {
      // The reference (if any) prefills the modal with the case (a view: audited); access is checked again when it is submitted.
      const ref = second ? parseReference(second) : null;
      const access = ref ? await caseForActor(deps, me, { reference: ref }, 'note_prefill') : null;
      if (access && !access.ok) return tell(a, access.message);
      const card = access?.ok ? await loadCaseCard(deps, access.case.id) : undefined;
      if (card) await deps.audit.record({ actor: { type: 'staff', id: me.id }, action: 'case.viewed', caseId: card.id, details: { via: 'note_prefill' } });
      await client.views.open({ trigger_id: command.trigger_id, view: noteModal(card ?? null, newMeta(card?.id), me.timeZone, deps.clock.now()) });
      return;
    }
    // Leave cover and referrals (issue 17): `/case handover …`, `/case resources …`, `/case C-… refer|referrals`.
    if (await caseworkLinksCommand(deps, a, me, text, command.trigger_id)) return;
    const ref = first ? parseReference(first) : null;
    const sub = (second ?? '').toLowerCase();
    if (ref && (sub === 'intake' || sub === 'history')) {
      const show = openView(client, command.trigger_id);
      return sub === 'intake' ? showFullIntake(deps, a, me, { reference: ref }, show) : showHistory(deps, a, me, { reference: ref }, 0, show);
    }
    // Data lifecycle on one case: export, erase (on the client's behalf), redact.
    if (ref && (LIFECYCLE_SUBCOMMANDS as readonly string[]).includes(sub)) return lifecycleCommand(deps, a, me, ref, sub as LifecycleSub, command.trigger_id);
    await caseCommand(deps, a, me, text);
  },
} satisfies Record<`/${string}`, StaffCommandHandler>;
