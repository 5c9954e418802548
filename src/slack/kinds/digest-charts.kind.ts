import { deliveryKind } from '../../delivery/kinds/kind.js';
import { digestCharts } from '../../reports/digest-charts.js';

/** The weekly digest's charts (src/reports/digest-charts.ts), uploaded to the supervisor's DM after the digest's text. */
export const weeklyDigestChartsKind = deliveryKind({
  kind: 'weekly_digest_charts',
  async render(deps, row) {
    const d = await digestCharts(deps, row);
    if ('skip' in d) return d;
    return {
      channel: 'slack',
      to: d.to,
      files: d.files,
      text: `Charts for the weekly digest: open cases per person against the limit of ${d.caseloadLimit} (${d.open} open), and how many have gone quiet (${d.quiet}). \`/case report team quarter\` has the rest.`,
    };
  },
});
