import type { Deps } from '../deps.js';
import { parseOncallCommand } from './commands/oncall.parse.js';
import { changeRota, rotaView, whoIsOnCall } from '../staff/oncall.service.js';
import type { StaffRow } from '../staff/staff.repo.js';
import type { Block } from './ui/blocks.js';
import { oncallHomeLine, rotaBlocks } from './ui/oncall.blocks.js';
import { tell, type Asker } from './slack.kit.js';
import { oncallResultText } from './outcome-words.js';

/**
 * `/case oncall …`: anyone in the directory may see the rota; supervisors and
 * admins change it (set cover, a weekly rotation, swap). Times are shown in
 * the asker's zone with its abbreviation, so people in several zones agree.
 */

export async function oncallCommand(deps: Deps, a: Asker, me: StaffRow, args: string[]): Promise<void> {
  const cmd = parseOncallCommand(args, me.timeZone, deps.clock.now());
  if (cmd.op === 'invalid') return tell(a, cmd.message);
  if (cmd.op === 'show') {
    const v = await rotaView(deps, deps.clock.now());
    return tell(a, `On call now: ${v.now.map((s) => s.displayName).join(', ') || 'nobody'}`, rotaBlocks(v, me.timeZone));
  }
  const r = await changeRota(deps, me, cmd);
  return tell(a, oncallResultText(r));
}

/** The App Home line every staff member sees. */
export async function oncallHomeBlocks(deps: Deps, me: StaffRow): Promise<Block[]> {
  // For my team's cases: my supervisor's team (a worker), or my own (a supervisor).
  const who = await whoIsOnCall(deps.db, deps.clock.now(), me.role === 'worker' ? me.supervisorId : me.id);
  const text = who.length ? who.map((s) => `<@${s.slackUserId}>`).join(', ') : '*nobody* (crisis pages go to the team supervisors and the supervision channel)';
  return oncallHomeLine(text, me.role);
}
