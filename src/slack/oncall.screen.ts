import type { Deps } from '../deps.js';
import { parseOncallCommand } from './commands/oncall.parse.js';
import { changeRota, rotaView, whoIsOnCall, type RotaView } from '../staff/oncall.service.js';
import type { StaffRow } from '../staff/staff.repo.js';
import { context, header, section, type Block } from './blocks/common.js';
import { tell, type Asker } from './slack.kit.js';
import { oncallResultText } from './outcome-words.js';

/**
 * `/case oncall …`: anyone in the directory may see the rota; supervisors and
 * admins change it (set cover, a weekly rotation, swap). Times are shown in
 * the asker's zone with its abbreviation, so people in several zones agree.
 */
const fmt = (d: { setZone(z: string): { toFormat(f: string): string } }, zone: string) => d.setZone(zone).toFormat('ccc d LLL HH:mm ZZZZ');

export function rotaBlocks(v: RotaView, zone: string): Block[] {
  const now = v.now.length
    ? v.now.map((s) => `<@${s.slackUserId}>`).join(', ')
    : '*nobody* — crisis pages go to the team supervisors and the supervision channel';
  const lines = v.shifts
    .slice(0, 40)
    .map(
      (s) =>
        `• ${fmt(s.startsAt, zone)} → ${fmt(s.endsAt, zone)} · ${s.who ? `<@${s.who.slackUserId}>` : 'someone no longer in the directory'}${s.kind === 'override' ? ' _(cover)_' : ''}${s.team ? ` · ${`<@${s.team.slackUserId}>`}'s team` : ''}`,
    );
  const gaps = v.gaps.slice(0, 10).map((g) => `• ${fmt(g.start!, zone)} → ${fmt(g.end!, zone)}`);
  return [
    header('On call'),
    section(`*On call now:* ${now}`),
    section(`*Next two weeks*\n${lines.length ? lines.join('\n') : '_No rota shifts. `/case oncall rotate @a @b from <date> 09:00` sets a weekly rotation._'}`),
    ...(gaps.length ? [section(`:warning: *Nobody is on call*\n${gaps.join('\n')}\nThe admins are told a day ahead of a gap.`)] : []),
    context(`Times in ${zone}.`),
  ];
}

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
  return [
    section(`:telephone_receiver: *On call now:* ${text}`),
    context(me.role === 'worker' ? '`/case oncall` shows the rota.' : '`/case oncall` shows and changes the rota.'),
  ];
}
