import type { RotaView } from '../../staff/oncall.service.js';
import type { StaffRow } from '../../staff/staff.repo.js';
import { type Block, context, header, section } from './blocks.js';

/** The on-call rota (`/case oncall`) and the App Home's on-call line. Times in the reader's zone with its abbreviation. */
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

/** The App Home line every staff member sees; `who` is already words (mentions, or nobody). */
export function oncallHomeLine(who: string, role: StaffRow['role']): Block[] {
  return [
    section(`:telephone_receiver: *On call now:* ${who}`),
    context(role === 'worker' ? '`/case oncall` shows the rota.' : '`/case oncall` shows and changes the rota.'),
  ];
}
