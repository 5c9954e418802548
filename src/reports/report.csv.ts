import type { SupervisionReport } from './report.service.js';

/**
 * The report as one tidy CSV (one figure per row: section, worker, item,
 * value), easy to pivot in a spreadsheet. Case references and worker names
 * only. Cells are quoted (RFC 4180) and a cell that a spreadsheet would run as
 * a formula (=, +, -, @ first) is prefixed with an apostrophe.
 */
const CSV_HEADER = ['section', 'worker', 'item', 'value'] as const;

export function csvCell(v: string | number | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n']/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function reportCsvRows(r: SupervisionReport): Array<[string, string, string, string | number | null]> {
  const rows: Array<[string, string, string, string | number | null]> = [
    ['report', '', 'scope', r.scopeLabel],
    ['report', '', 'period_start', r.period.start.toISODate()],
    ['report', '', 'period_end_exclusive', r.period.end.toISODate()],
    ['report', '', 'generated_at', r.generatedAt.toUTC().toISO()],
    ['report', '', 'caseload_limit', r.caseloadLimit],
  ];
  for (const w of r.workers) {
    const n = w.worker.name;
    rows.push(['caseload', n, 'open', w.caseload.open], ['caseload', n, 'at_or_over_limit', w.caseload.atOrOverLimit ? 'yes' : 'no']);
    for (const [k, v] of Object.entries(w.caseload.byPhase)) rows.push(['caseload', n, `phase:${k}`, v]);
    for (const [k, v] of Object.entries(w.caseload.byPriority)) rows.push(['caseload', n, `priority:${k}`, v]);
    rows.push(
      ['timeliness', n, 'contact_notes', w.timeliness.notes],
      ['timeliness', n, 'mean_days_contact_to_note', w.timeliness.meanDays],
      ['timeliness', n, 'max_days_contact_to_note', w.timeliness.maxDays],
    );
    for (const [k, v] of Object.entries(w.timeliness.buckets)) rows.push(['timeliness', n, `notes_written:${k}`, v]);
    rows.push(['timeliness', n, 'quiet_cases', w.quiet.count]);
    for (const ref of w.quiet.references) rows.push(['quiet_case', n, ref, 'quiet']);
    for (const s of w.silent) rows.push(['oldest_silent', n, s.reference, s.days]);
    rows.push(['completeness', n, 'open', w.completeness.open], ['completeness', n, 'complete', w.completeness.complete]);
    for (const [k, v] of Object.entries(w.completeness.missing)) rows.push(['completeness', n, `missing:${k}`, v]);
    rows.push(
      ['escalations', n, 'opened', w.escalations.opened],
      ['escalations', n, 'acknowledged', w.escalations.acknowledged],
      ['escalations', n, 'mean_hours_to_acknowledge', w.escalations.meanHoursToAck],
      ['escalations', n, 'snoozes', w.escalations.snoozes],
      ['appointments', n, 'kept', w.appointments.kept],
      ['appointments', n, 'no_show', w.appointments.noShow],
      ['appointments', n, 'cancelled', w.appointments.cancelled],
      ['appointments', n, 'client_cant_come', w.appointments.cantCome],
    );
  }
  for (const e of r.escalationsByReason)
    rows.push(
      ['escalations_by_reason', '', `${e.reason}:opened`, e.opened],
      ['escalations_by_reason', '', `${e.reason}:acknowledged`, e.acknowledged],
      ['escalations_by_reason', '', `${e.reason}:snoozes`, e.snoozes],
    );
  for (const o of r.outcomes) {
    rows.push(
      ['outcomes', '', `${o.category}:cases_closed`, o.casesClosed],
      ['outcomes', '', `${o.category}:goal_achieved`, o.achieved],
      ['outcomes', '', `${o.category}:goal_partly_achieved`, o.partlyAchieved],
      ['outcomes', '', `${o.category}:goal_not_achieved`, o.notAchieved],
    );
  }
  return rows;
}

export function renderReportCsv(r: SupervisionReport): string {
  return `${[CSV_HEADER.join(','), ...reportCsvRows(r).map((row) => row.map(csvCell).join(','))].join('\r\n')}\r\n`;
}
