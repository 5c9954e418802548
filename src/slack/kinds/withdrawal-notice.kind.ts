import { WITHDRAWAL_NOTICE_KIND, withdrawalNotice } from '../../clients/withdrawal-notice.js';
import { deliveryKind } from '../../delivery/kinds/kind.js';

/** The client withdrew: the case reference only, to the assigned worker's DM or the intake channel. */
export const withdrawalNoticeKind = deliveryKind({
  kind: WITHDRAWAL_NOTICE_KIND,
  async render(deps, row) {
    const n = await withdrawalNotice(deps, row);
    if ('skip' in n) return n;
    return { channel: 'slack', to: n.to, text: `Case ${n.reference} was withdrawn by the client` };
  },
});
