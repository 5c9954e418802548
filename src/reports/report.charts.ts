import type { TopLevelSpec } from 'vega-lite';
import { CHART_FONT } from './chart-render.js';
import type { SupervisionReport } from './report.service.js';

/**
 * The report's charts as Vega-Lite specs (data inline: worker names, counts,
 * categories; never a client's data). One spec per section; `key` names the
 * file. The weekly digest sends the first two (DIGEST_CHARTS).
 */
export type ChartKey = 'caseload' | 'silence' | 'timeliness' | 'completeness' | 'escalations' | 'appointments' | 'outcomes';
export interface ChartSpec {
  key: ChartKey;
  title: string;
  spec: TopLevelSpec;
  empty: boolean;
}

/**
 * What a supervisor looks at first on a Monday: who carries too much
 * (caseload against the limit, by priority) and where the record has gone
 * silent (open cases past their quiet threshold) — the seed's six-month-old
 * record is exactly what the second one shows.
 */
export const DIGEST_CHARTS: readonly ChartKey[] = ['caseload', 'silence'];

type Row = { x: string; part: string; n: number; order: number };

function stacked(
  title: string,
  rows: Row[],
  o: { xTitle: string; yTitle: string; rule?: { y: number; label: string }; grouped?: boolean; colors?: string[] },
): TopLevelSpec {
  const bar = {
    mark: { type: 'bar' as const },
    encoding: {
      x: { field: 'x', type: 'nominal' as const, title: o.xTitle, sort: null, axis: { labelAngle: -30, labelLimit: 140 } },
      y: { field: 'n', type: 'quantitative' as const, title: o.yTitle, stack: o.grouped ? null : ('zero' as const), axis: { tickMinStep: 1 } },
      color: {
        field: 'part',
        type: 'nominal' as const,
        title: null,
        sort: [...new Map(rows.map((r) => [r.order, r.part])).entries()].sort((a, b) => a[0] - b[0]).map(([, p]) => p),
        ...(o.colors ? { scale: { range: o.colors } } : {}),
      },
      order: { field: 'order', type: 'quantitative' as const },
      ...(o.grouped ? { xOffset: { field: 'part', type: 'nominal' as const } } : {}),
      tooltip: [{ field: 'x' }, { field: 'part' }, { field: 'n' }],
    },
  };
  const layers: unknown[] = [bar];
  if (o.rule) {
    layers.push({
      data: { values: [{ y: o.rule.y, label: o.rule.label }] },
      mark: { type: 'rule', color: '#c0392b', strokeDash: [6, 4], size: 2 },
      encoding: { y: { field: 'y', type: 'quantitative' } },
    });
    layers.push({
      data: { values: [{ y: o.rule.y, label: o.rule.label }] },
      mark: { type: 'text', color: '#c0392b', align: 'left', dx: 4, dy: -8, x: 0 },
      encoding: { y: { field: 'y', type: 'quantitative' }, text: { field: 'label' } },
    });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, anchor: 'start', fontSize: 15 },
    width: Math.max(320, Math.min(900, 60 * new Set(rows.map((r) => r.x)).size)),
    height: 260,
    data: { values: rows },
    config: { font: CHART_FONT, view: { stroke: null }, legend: { orient: 'bottom' } },
    layer: layers,
  } as TopLevelSpec;
}

const PRIORITY_COLORS = ['#c0392b', '#e67e22', '#3498db', '#95a5a6'];
const GOOD_BAD = ['#27ae60', '#f39c12', '#c0392b', '#7f8c8d'];

export function reportCharts(r: SupervisionReport): ChartSpec[] {
  const per = (parts: Array<[string, (w: SupervisionReport['workers'][number]) => number]>): Row[] =>
    r.workers.flatMap((w) => parts.map(([part, f], order) => ({ x: w.worker.name, part, n: f(w), order })));
  const sum = (rows: Row[]) => rows.reduce((s, x) => s + x.n, 0);
  const p = r.period.label;
  const specs: Array<[ChartKey, string, Row[], Parameters<typeof stacked>[2]]> = [
    [
      'caseload',
      `Open cases per worker (limit ${r.caseloadLimit})`,
      per([
        ['crisis', (w) => w.caseload.byPriority.crisis ?? 0],
        ['high', (w) => w.caseload.byPriority.high ?? 0],
        ['normal', (w) => w.caseload.byPriority.normal ?? 0],
        ['low', (w) => w.caseload.byPriority.low ?? 0],
      ]),
      { xTitle: 'worker', yTitle: 'open cases', rule: { y: r.caseloadLimit, label: `limit ${r.caseloadLimit}` }, colors: PRIORITY_COLORS },
    ],
    [
      'silence',
      'Open cases: last note within the quiet threshold, or quiet',
      per([
        ['quiet (no note for too long)', (w) => w.quiet.count],
        ['recorded recently', (w) => w.caseload.open - w.quiet.count],
      ]),
      { xTitle: 'worker', yTitle: 'open cases', colors: ['#c0392b', '#27ae60'] },
    ],
    [
      'timeliness',
      `Days from contact to note (${p})`,
      per([
        ['within 1 day', (w) => w.timeliness.buckets.within_1_day],
        ['1–2 days', (w) => w.timeliness.buckets['1_to_2_days']],
        ['2–7 days', (w) => w.timeliness.buckets['2_to_7_days']],
        ['over 7 days', (w) => w.timeliness.buckets.over_7_days],
      ]),
      { xTitle: 'worker', yTitle: 'contact notes', colors: ['#27ae60', '#f1c40f', '#e67e22', '#c0392b'] },
    ],
    [
      'completeness',
      'Open cases with all four elements (goal, plan, assessment, self-help)',
      per([
        ['complete', (w) => w.completeness.complete],
        ['something missing', (w) => w.completeness.open - w.completeness.complete],
      ]),
      { xTitle: 'worker', yTitle: 'open cases', colors: ['#27ae60', '#e67e22'] },
    ],
    [
      'escalations',
      `Escalations (${p})`,
      r.escalationsByReason.flatMap((e) =>
        [
          ['opened', e.opened],
          ['acknowledged', e.acknowledged],
          ['snoozes', e.snoozes],
        ].map(([part, n], order) => ({ x: e.reason.replace(/_/g, ' '), part: String(part), n: Number(n), order })),
      ),
      { xTitle: 'reason', yTitle: 'count', grouped: true, colors: ['#c0392b', '#27ae60', '#7f8c8d'] },
    ],
    [
      'appointments',
      `Appointments (${p})`,
      per([
        ['kept', (w) => w.appointments.kept],
        ['no-show', (w) => w.appointments.noShow],
        ['cancelled', (w) => w.appointments.cancelled],
      ]),
      { xTitle: 'worker', yTitle: 'appointments', colors: ['#27ae60', '#c0392b', '#95a5a6'] },
    ],
    [
      'outcomes',
      `Goals of cases closed (${p}), by category`,
      r.outcomes.flatMap((o) =>
        [
          ['met', o.achieved],
          ['partly met', o.partlyAchieved],
          ['not met', o.notAchieved],
        ].map(([part, n], order) => ({ x: o.category.replace(/_/g, ' '), part: String(part), n: Number(n), order })),
      ),
      { xTitle: 'category', yTitle: 'goals', colors: GOOD_BAD },
    ],
  ];
  return specs.map(([key, title, rows, o]) => ({ key, title, spec: stacked(title, rows, o), empty: sum(rows) === 0 }));
}
