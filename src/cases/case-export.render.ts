import type { CaseExport } from './case-export.service.js';

/**
 * The export as a readable Markdown document (what a person opens) and as
 * JSON (what another system reads). Everything in the record appears; an empty
 * part says so instead of being left out, so a reader knows nothing was dropped.
 */
const line = (label: string, v: unknown) => `- **${label}:** ${v === null || v === undefined || v === '' ? '—' : String(v)}`;
const block = (text: string | null) =>
  text
    ? text
        .split('\n')
        .map((l) => `> ${l}`)
        .join('\n')
    : '_none recorded_';

function answer(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (o.kind === 'text' && typeof o.text === 'string') return o.text;
    if (o.kind === 'none' || o.kind === 'skipped') return `(${o.kind})`;
    return JSON.stringify(o);
  }
  return String(v);
}

export function renderExportMarkdown(x: CaseExport): string {
  const out: string[] = [];
  out.push(`# Case record ${x.case.reference}`, '', `Exported ${x.exportedAt} by ${x.exportedBy.name}. Confidential: contains personal data.`, '');
  out.push(
    '## Case',
    line('Status', x.case.status),
    line('Phase', x.case.phase),
    line('Type', x.case.type),
    line('Priority', x.case.priority),
    line('Category', x.case.category),
    line('Crisis', x.case.crisis ? 'yes' : 'no'),
    line('Opened', x.case.openedAt),
    line('Closed', x.case.closedAt),
    line('Closure reason', x.case.closureReason),
    line('Worker', x.case.worker),
    '',
  );
  out.push(
    '## Client',
    x.client.erased ? "_The client's personal data has been erased._" : line('Name', x.client.name),
    line('Language', x.client.language),
    line('Time zone', x.client.timeZone),
    line('Reminders', x.client.remindersOff ? 'off' : 'on'),
    '',
  );
  out.push('## Intake');
  if (!x.intake) out.push('_none recorded_');
  else {
    for (const [k, v] of Object.entries(x.intake.answers)) out.push(line(k, answer(v)));
    if (x.intake.safety) out.push(line('safety', x.intake.safety));
  }
  out.push('', '## Plan', block(x.plan), '', '## Self-help focus', block(x.selfHelpFocus), '', '## Goals');
  if (!x.goals.length) out.push('_none recorded_');
  x.goals.forEach((g, i) =>
    out.push(
      `${i + 1}. ${g.description} — ${g.status}${g.targetDate ? `, by ${g.targetDate}` : ''}`,
      `   - assessed by: ${g.assessment ?? '—'}`,
      ...(g.outcome ? [`   - outcome: ${g.outcome}`] : []),
    ),
  );
  out.push('', '## Evaluation', block(x.evaluation), '', '## Notes and messages');
  if (!x.notes.length) out.push('_none recorded_');
  for (const n of x.notes) {
    const what = n.kind === 'message' ? `message ${n.direction === 'from_client' ? 'from the client' : 'to the client'}` : n.kind;
    out.push(`### ${n.contactAt} · ${what}${n.author ? ` · ${n.author}` : ''}`);
    out.push(n.redacted ? `_Redacted ${n.redacted.at} by ${n.redacted.by ?? 'staff (removed)'}: ${n.redacted.reason}_` : block(n.text), '');
  }
  out.push('## Appointments');
  if (!x.appointments.length) out.push('_none recorded_');
  for (const a of x.appointments)
    out.push(
      `- ${a.startsAt}, ${a.durationMin} min, ${a.mode}${a.location ? ` at ${a.location}` : ''}: ${a.status}${a.clientResponse ? ` (client: ${a.clientResponse})` : ''}`,
    );
  out.push('', '## Service agreement (consent receipts)');
  if (!x.consents.length) out.push('_none recorded_');
  for (const c of x.consents) out.push(`- version ${c.version} (${c.language}): given ${c.givenAt ?? '—'}${c.revokedAt ? `, ended ${c.revokedAt}` : ''}`);
  out.push('', '## Escalations');
  if (!x.escalations.length) out.push('_none recorded_');
  for (const e of x.escalations)
    out.push(
      `- ${e.openedAt} ${e.reason} (level ${e.level})${e.acknowledgedAt ? `, acknowledged ${e.acknowledgedAt}` : ''}${e.resolvedAt ? `, resolved ${e.resolvedAt}` : ''}`,
    );
  out.push('', '## Referrals');
  if (!x.referrals.length) out.push('_none recorded_');
  for (const r of x.referrals) {
    const k = r.consent;
    const consent = k
      ? `sharing agreement version ${k.version} (${k.language}, ${k.method === 'verbal' ? 'verbal' : 'by the client in Telegram'}): ${k.givenAt ? `given ${k.givenAt}` : `declined ${k.declinedAt}`}${k.verbalReason ? ` — ${k.verbalReason}` : ''}`
      : `details shared: ${r.shareDetails ? r.consentState : 'no'}`;
    out.push(`- ${r.madeAt} · ${r.resource} · ${consent} · outcome: ${r.outcome ?? 'not known yet'}${r.outcomeAt ? ` (${r.outcomeAt})` : ''}`, block(r.reason));
  }
  out.push('', '## Who viewed or changed this record');
  for (const t of x.trail) out.push(`- ${t.at} · ${t.actor} · ${t.action}`);
  return `${out.join('\n')}\n`;
}

export function renderExportJson(x: CaseExport): string {
  return `${JSON.stringify(x, null, 2)}\n`;
}
