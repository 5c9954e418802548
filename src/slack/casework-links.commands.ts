import type { Deps } from '../deps.js';
import type { StaffRow } from '../staff/staff.repo.js';
import { parseReference } from '../cases/case-reference.js';
import { handoverCommand } from './handover.screen.js';
import { referCommand, resourcesCommand, showReferrals } from './referrals.screen.js';
import type { Asker } from './slack.kit.js';

/**
 * The `/case` subcommands of issue 17, routed here so the main command stays
 * small: `handover …`, `resources …`, `C-… refer`, `C-… referrals`.
 * Returns false for anything else (the main command goes on).
 */
export async function caseworkLinksCommand(deps: Deps, a: Asker, me: StaffRow, text: string, triggerId: string): Promise<boolean> {
  const args = text.trim().split(/\s+/).filter(Boolean);
  const first = (args[0] ?? '').toLowerCase();
  if (first === 'handover') {
    await handoverCommand(deps, a, me, args.slice(1), triggerId);
    return true;
  }
  if (first === 'resources' || first === 'resource') {
    await resourcesCommand(deps, a, me, args.slice(1), triggerId);
    return true;
  }
  const ref = args[0] ? parseReference(args[0]) : null;
  const sub = (args[1] ?? '').toLowerCase();
  if (ref && sub === 'refer') {
    await referCommand(deps, a, me, ref, triggerId);
    return true;
  }
  if (ref && sub === 'referrals') {
    await showReferrals(deps, a, me, ref);
    return true;
  }
  return false;
}
