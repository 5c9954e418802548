import type { Deps } from '../deps.js';
import type { StaffRow } from '../staff/staff.repo.js';
import { handoverCommand } from './handover.screen.js';
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
  return false;
}
