import type { Deps } from '../deps.js';
import { policyFromConfig } from '../escalations/escalation-config.js';
import type { StaffRow } from '../staff/staff.repo.js';
import { renderChart } from './chart-render.js';
import { parsePeriod, type PeriodError, type ReportPeriod } from './period.js';
import { reportScope, type ReportRefusal, type ReportTarget } from './report.access.js';
import { reportCharts, type ChartKey } from './report.charts.js';
import { renderReportCsv } from './report.csv.js';
import { buildSupervisionReport, type ReportWorker, type SupervisionReport } from './report.service.js';

/**
 * A report asked for by a person: who may see it, the period, the figures,
 * and an audit entry (`report.viewed`: scope kind, number of people, the
 * period; no names). The default target: a worker's own, a supervisor's team,
 * everyone for an admin.
 */
export type ReportRun = { ok: true; report: SupervisionReport; fileTag: string } | { ok: false; error: PeriodError } | ({ ok: false } & ReportRefusal);

export async function runReport(deps: Deps, me: StaffRow, o: { target: ReportTarget | null; period: string; via: 'command' | 'home' }): Promise<ReportRun> {
  const now = deps.clock.now();
  const period = parsePeriod(o.period, me.timeZone, now);
  if (!period.ok) return period;
  const target = o.target ?? (me.role === 'worker' ? { kind: 'me' as const } : { kind: 'team' as const });
  const scope = await reportScope(deps.db, me, target);
  if (!scope.ok) {
    await deps.audit.record({ actor: { type: 'staff', id: me.id }, action: 'report.refused', details: { target: target.kind, via: o.via } });
    return scope;
  }
  const report = await reportFor(deps, scope.label, scope.workers, period.period);
  await deps.audit.record({
    actor: { type: 'staff', id: me.id },
    action: 'report.viewed',
    subjectType: target.kind === 'worker' ? 'staff' : 'team',
    ...(target.kind === 'worker' && scope.workers[0] ? { subjectId: scope.workers[0].id } : {}),
    details: {
      scope: scope.fileTag,
      people: scope.workers.length,
      from: period.period.start.toUTC().toISO(),
      to: period.period.end.toUTC().toISO(),
      via: o.via,
    },
  });
  return { ok: true, report, fileTag: scope.fileTag };
}

export function reportFor(
  deps: Pick<Deps, 'db' | 'config' | 'clock'>,
  label: string,
  workers: ReportWorker[],
  period: ReportPeriod,
  o: { light?: boolean } = {},
): Promise<SupervisionReport> {
  return buildSupervisionReport(deps.db, {
    scopeLabel: label,
    workers,
    period,
    now: deps.clock.now(),
    caseloadLimit: deps.config.CASELOAD_LIMIT,
    thresholds: policyFromConfig(deps.config).quietThresholdsDays,
    light: o.light ?? false,
  });
}

export interface ReportFile {
  filename: string;
  title: string;
  content: Buffer;
}

/** The CSV and the charts (PNG) of a report, as files to upload. `only`: those charts; empty charts are left out. */
export async function reportFiles(r: SupervisionReport, fileTag: string, o: { csv: boolean; only?: readonly ChartKey[] }): Promise<ReportFile[]> {
  const stamp = `${r.period.start.toISODate()}_${r.period.end.minus({ days: 1 }).toISODate()}`;
  const files: ReportFile[] = [];
  if (o.csv)
    files.push({
      filename: `report-${fileTag}-${stamp}.csv`,
      title: `Report figures (CSV), ${r.period.label}`,
      content: Buffer.from(renderReportCsv(r), 'utf8'),
    });
  for (const c of reportCharts(r)) {
    if (o.only ? !o.only.includes(c.key) : c.empty) continue;
    const png = await renderChart(c.spec);
    files.push({ filename: `chart-${c.key}-${fileTag}-${stamp}.png`, title: c.title, content: png.png });
  }
  return files;
}
