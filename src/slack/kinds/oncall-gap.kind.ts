import { staffTime } from '../../appointments/appointment.format.js';
import { deliveryKind } from '../../delivery/kinds/kind.js';
import { ONCALL_GAP_KIND, oncallGapNotice } from '../../escalations/oncall-gap.js';

/** A gap in the on-call rota (src/escalations/oncall-gap.ts), told to an admin or supervisor with how to fill it. */
export const oncallGapKind = deliveryKind({
  kind: ONCALL_GAP_KIND,
  async render(deps, row) {
    const g = await oncallGapNotice(deps, row);
    if ('skip' in g) return g;
    const text =
      `:warning: Nobody is on call from ${staffTime(g.from, g.zone)} to ${staffTime(g.until, g.zone)}. ` +
      'A crisis in that time would page the team supervisors and the supervision channel instead. Fill it with `/case oncall set @someone from … to …`.';
    return { channel: 'slack', to: g.to, text };
  },
});
