import type { Deps } from '../deps.js';
import type { DeliveryRow } from '../delivery/ledger.js';
import { loadStaff, recipientId, staffUnreachable } from '../delivery/recipients.js';
import { reportScope } from './report.access.js';
import { DIGEST_CHARTS } from './report.charts.js';
import { reportFiles, reportFor, type ReportFile } from './report.run.js';

/**
 * The weekly digest's two charts (DIGEST_CHARTS: caseload against the limit,
 * and quiet cases), uploaded to the supervisor's DM right after the digest's
 * text: its own ledger row (same subject, week and recipient as the digest,
 * so it waits behind it), rendered at send time from the team as it is then.
 */
export interface DigestCharts {
  /** The supervisor's Slack user id. */
  to: string;
  files: ReportFile[];
  caseloadLimit: number;
  /** Open cases and quiet cases across the team. */
  open: number;
  quiet: number;
}

export async function digestCharts(deps: Deps, row: DeliveryRow): Promise<DigestCharts | { skip: string }> {
  const sup = await loadStaff(deps.db, recipientId(row.recipient, 'staff') ?? '');
  const unreachable = staffUnreachable(sup);
  if (unreachable) return { skip: unreachable };
  const scope = await reportScope(deps.db, sup!, { kind: 'team' });
  if (!scope.ok || scope.workers.length === 0) return { skip: 'no_team' };
  const now = deps.clock.now().setZone(sup!.timeZone);
  const report = await reportFor(deps, scope.label, scope.workers, { start: now.minus({ days: 7 }), end: now, label: 'last 7 days' }, { light: true });
  const files = await reportFiles(report, 'digest', { csv: false, only: DIGEST_CHARTS });
  const open = report.workers.reduce((s, w) => s + w.caseload.open, 0);
  const quiet = report.workers.reduce((s, w) => s + w.quiet.count, 0);
  return { to: sup!.slackUserId, files, caseloadLimit: report.caseloadLimit, open, quiet };
}
