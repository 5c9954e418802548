import { PHASE_LABELS } from '../../cases/case.domain.js';
import type { SupervisionReport, WorkerFigures } from '../../reports/report.service.js';
import { context, esc, header, section, type Block } from './blocks.js';

/**
 * The supervision report as Block Kit text: one section per part, one line
 * per worker. Worker names and case references only.
 */
const REASON: Record<string, string> = {
  follow_up_overdue: 'follow-up overdue',
  quiet_case: 'quiet case',
  unassigned_intake: 'unassigned intake',
  crisis: 'crisis',
  no_show_repeat: 'repeated no-shows',
};
const name = (w: WorkerFigures) => `*${esc(w.worker.name)}*`;
const nonzero = (o: Record<string, number>, label: (k: string) => string = (k) => k) =>
  Object.entries(o)
    .filter(([, n]) => n)
    .map(([k, n]) => `${label(k)} ${n}`)
    .join(', ') || 'none';
const refs = (list: string[], max = 8) => (list.length > max ? `${list.slice(0, max).join(', ')} and ${list.length - max} more` : list.join(', '));
const ELEMENT: Record<string, string> = { goal: 'goal', plan: 'plan', assessment: 'assessment', selfHelp: 'self-help' };

function caseloadLine(w: WorkerFigures): string {
  const c = w.caseload;
  const flag =
    c.open > c.limit ? ` :warning: *over the limit of ${c.limit}*` : c.open === c.limit ? ` :warning: *at the limit of ${c.limit}*` : ` (limit ${c.limit})`;
  return `${name(w)} ${c.open} open${flag} · ${nonzero(c.byPhase, (k) => (PHASE_LABELS[k] ?? k).toLowerCase())} · ${nonzero(c.byPriority)}`;
}

export function reportTextBlocks(r: SupervisionReport): Block[] {
  const ws = r.workers.slice(0, 30);
  const more = r.workers.length > ws.length ? `\n_…and ${r.workers.length - ws.length} more people: see the CSV._` : '';
  const lines = (f: (w: WorkerFigures) => string) => section(ws.map(f).join('\n') + more);
  const blocks: Block[] = [
    header(`Supervision report — ${r.scopeLabel}`.slice(0, 150)),
    context(
      `Period: ${r.period.label} (${r.period.start.toFormat('d LLL yyyy')} – ${r.period.end.minus({ milliseconds: 1 }).toFormat('d LLL yyyy')}). Caseload, quiet cases and completeness are as of now. Figures follow each case's current worker.`,
    ),
    section('*Caseload* (open cases by phase and priority)'),
    lines(caseloadLine),
    section('*Documentation timeliness*'),
    lines((w) => {
      const t = w.timeliness;
      const lag = t.notes
        ? `${t.notes} contact note${t.notes === 1 ? '' : 's'}, written ${t.meanDays} days after the contact on average (longest ${t.maxDays}); ${t.buckets.over_7_days} over a week`
        : 'no contact notes in the period';
      const quiet = w.quiet.count ? `${w.quiet.count} quiet: ${refs(w.quiet.references)}` : 'no quiet cases';
      const silent = w.silent.length ? `oldest silent: ${w.silent.map((s) => `${s.reference} ${s.days} d`).join(', ')}` : '';
      return `${name(w)} ${lag} · ${quiet}${silent ? ` · ${silent}` : ''}`;
    }),
    section('*Four elements* (open cases with goal, plan, how it is assessed and self-help focus)'),
    lines(
      (w) =>
        `${name(w)} ${w.completeness.complete} of ${w.completeness.open} complete${w.completeness.open > w.completeness.complete ? ` · missing ${nonzero(w.completeness.missing, (k) => ELEMENT[k] ?? k)}` : ''}`,
    ),
    section('*Escalations* (opened in the period)'),
    lines((w) => {
      const e = w.escalations;
      return `${name(w)} ${e.opened} opened, ${e.acknowledged} acknowledged${e.meanHoursToAck !== null ? ` (after ${e.meanHoursToAck} h on average)` : ''}, ${e.snoozes} snooze${e.snoozes === 1 ? '' : 's'}`;
    }),
    context(
      r.escalationsByReason.length
        ? `By reason: ${r.escalationsByReason.map((e) => `${REASON[e.reason] ?? e.reason} ${e.opened} opened / ${e.acknowledged} acknowledged / ${e.snoozes} snoozed`).join(' · ')}`
        : 'No escalations in the period.',
    ),
    section('*Appointments* (starting in the period)'),
    lines(
      (w) =>
        `${name(w)} ${w.appointments.kept} kept, ${w.appointments.noShow} no-show${w.appointments.noShow === 1 ? '' : 's'}, ${w.appointments.cancelled} cancelled · client said "can't come" ${w.appointments.cantCome}×`,
    ),
    section('*Outcomes at closure* (goals of cases closed in the period)'),
    section(
      r.outcomes.length
        ? r.outcomes
            .map(
              (o) =>
                `• ${o.category.replace(/_/g, ' ')}: ${o.casesClosed} case${o.casesClosed === 1 ? '' : 's'} closed · goals met ${o.achieved}, partly ${o.partlyAchieved}, not met ${o.notAchieved}`,
            )
            .join('\n')
        : '_No cases closed in the period._',
    ),
  ];
  return blocks.slice(0, 50);
}

export function reportText(r: SupervisionReport): string {
  return `Supervision report — ${r.scopeLabel}, ${r.period.label}: ${r.workers.reduce((s, w) => s + w.caseload.open, 0)} open cases, ${r.workers.reduce((s, w) => s + w.quiet.count, 0)} quiet.`;
}

/** The App Home's short version: caseload against the limit, quiet cases, completeness, per person. */
export function reportHomeBlocks(r: SupervisionReport): Block[] {
  const ws = r.workers.slice(0, 15);
  return [
    header('Reports'),
    section(
      ws
        .map(
          (w) =>
            `${caseloadLine(w).split(' · ')[0]} · ${w.quiet.count} quiet · ${w.completeness.complete}/${w.completeness.open} with all four elements · ${w.timeliness.notes ? `notes ${w.timeliness.meanDays} d after contact` : 'no contact notes'}`,
        )
        .join('\n') + (r.workers.length > ws.length ? `\n_…and ${r.workers.length - ws.length} more._` : '') || '_Nobody to report on yet._',
    ),
    context(
      `${r.period.label}. \`/case report team quarter\` (or \`@person\`, \`2026-Q3\`, \`2026-09-01..2026-09-30\`) sends the full report with charts and a CSV to your DM.`,
    ),
  ];
}
