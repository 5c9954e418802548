import type { DateTime } from 'luxon';
import type { CaseloadEntry, OpenEscalation, TeamMemberLoad } from '../../cases/caseload.js';
import type { LedgerLine } from '../../cases/case-log.js';
import { PHASE_LABELS, ageText } from '../../cases/case.domain.js';
import type { StaffRow } from '../../staff/staff.repo.js';
import { staffTime } from '../../appointments/appointment.format.js';
import { caseButtons, PRIORITY_LABEL } from './case-card.blocks.js';
import { actions, context, divider, esc, header, section, type Block } from './blocks.js';
import { BLOCKS } from './ids.js';

/** Caseload, team, escalations, staff directory, delivery log and help, as blocks. References and dates only. */
const URGENCY_LABEL: Record<string, string> = { overdue: '⏰ Follow-up overdue', quiet: '🔇 Quiet', appointment_soon: '📅 Appointment soon', ok: '' };

function caseLine(c: CaseloadEntry, zone: string, now: DateTime): string {
  const bits = [`*${c.reference}*${c.crisis ? ' 🚨' : ''}`, PHASE_LABELS[c.phase] ?? c.phase, PRIORITY_LABEL[c.priority] ?? c.priority];
  if (URGENCY_LABEL[c.urgency]) bits.push(URGENCY_LABEL[c.urgency]!);
  const detail = [
    c.lastNoteAt ? `last note ${ageText(c.lastNoteAt, now)}` : 'no note yet',
    c.nextFollowUpAt ? `follow-up ${staffTime(c.nextFollowUpAt.toJSDate(), zone)}` : null,
    c.nextAppointmentAt ? `appointment ${staffTime(c.nextAppointmentAt.toJSDate(), zone)}` : null,
  ]
    .filter(Boolean)
    .join(' · ');
  return `${bits.join(' · ')}\n${detail}`;
}

/** With buttons, each case takes two blocks; lists stop at `max` cases so views stay within Slack's 100 blocks. */
function caseloadBlocks(
  list: CaseloadEntry[],
  zone: string,
  now: DateTime,
  o: { buttons: boolean; max?: number; idPrefix?: string } = { buttons: true },
): Block[] {
  const max = o.max ?? 20;
  if (list.length === 0) return [section('_No open cases._')];
  const out: Block[] = [];
  for (const c of list.slice(0, max)) {
    out.push(section(caseLine(c, zone, now)));
    if (o.buttons) out.push(actions(BLOCKS.caseload(o.idPrefix ?? 'load', c.id), caseButtons(c.id, { withOpen: true })));
  }
  if (list.length > max) out.push(context(`…and ${list.length - max} more. Type \`/case C-…\` to open any case.`));
  return out;
}

function teamBlocks(team: TeamMemberLoad[], zone: string, now: DateTime): Block[] {
  if (team.length === 0) return [section('_No one in your team yet. An admin adds people with `/case staff add @user worker supervisor:@you`._')];
  const out: Block[] = [];
  for (const m of team) {
    const c = m.counts;
    out.push(
      section(`*<@${m.worker.slackUserId}>* — ${m.cases.length} open · ${c.overdue} overdue · ${c.quiet} quiet · ${c.appointment_soon} appointments this week`),
    );
    const top = m.cases.filter((x) => x.urgency !== 'ok').slice(0, 5);
    if (top.length)
      out.push(
        context(
          top
            .map((x) => caseLine(x, zone, now).replace('\n', ' — '))
            .join('\n')
            .slice(0, 2900),
        ),
      );
  }
  return out;
}

const REASON: Record<string, string> = {
  follow_up_overdue: 'Follow-up overdue',
  quiet_case: 'Quiet case',
  unassigned_intake: 'Unassigned intake',
  crisis: '🚨 Crisis',
  no_show_repeat: 'Repeated no-shows',
};

function escalationBlocks(list: OpenEscalation[], now: DateTime): Block[] {
  if (list.length === 0) return [section('_No open escalations._')];
  return list
    .slice(0, 15)
    .map((e) =>
      section(
        `*${e.reference}* · ${REASON[e.reason] ?? e.reason} · level ${e.level} · opened ${ageText(e.openedAt, now)}${e.acknowledged ? ' · acknowledged' : ''}${e.workerSlackId ? ` · <@${e.workerSlackId}>` : ' · unassigned'}`,
      ),
    );
}

export function homeBlocks(o: {
  me: StaffRow;
  caseload: CaseloadEntry[];
  team?: TeamMemberLoad[];
  escalations?: OpenEscalation[];
  unassigned?: CaseloadEntry[];
  now: DateTime;
}): Block[] {
  const zone = o.me.timeZone;
  const blocks: Block[] = [header('My caseload'), context(`Most urgent first. Times in ${zone}.`)];
  const supervising = o.team !== undefined;
  blocks.push(...caseloadBlocks(o.caseload, zone, o.now, { buttons: true, max: supervising ? 8 : 20, idPrefix: 'home' }));
  if (supervising) {
    blocks.push(divider(), header('My team'), ...teamBlocks(o.team!, zone, o.now));
    blocks.push(divider(), header('Open escalations'), ...escalationBlocks(o.escalations ?? [], o.now));
    if (o.unassigned) blocks.push(divider(), header('Waiting for assignment'), ...caseloadBlocks(o.unassigned, zone, o.now, { buttons: false, max: 10 }));
  }
  return blocks.slice(0, 100);
}

/** The App Home when it could not be built: try again, with the reference the log has. */
export function homeFailedBlocks(ref: string): Block[] {
  return [section(`Sorry, your caseload could not be loaded just now. Please reopen this tab in a moment (reference *${ref}*).`)];
}

/** `/case`: my caseload, most urgent first. */
export function caseloadScreenBlocks(list: CaseloadEntry[], zone: string, now: DateTime): Block[] {
  return [header('My caseload'), ...caseloadBlocks(list, zone, now, { buttons: true, max: 20 })];
}

/** `/case team`: the team's caseloads and open escalations. */
export function teamScreenBlocks(team: TeamMemberLoad[], escalations: OpenEscalation[], zone: string, now: DateTime): Block[] {
  return [header('My team'), ...teamBlocks(team, zone, now), header('Open escalations'), ...escalationBlocks(escalations, now)].slice(0, 50);
}

/** A supervisor's App Home: the on-call line, the lists, then the Reports section (before the 100-block cap can cut it). */
export function homeWithReports(oncall: Block[], home: Block[], reports: Block[]): Block[] {
  return [...oncall, ...home.slice(0, 100 - oncall.length - reports.length - 1), divider(), ...reports];
}

export function notStaffHome(): Block[] {
  return [
    header('Casework'),
    section("You're not in this service's staff directory yet, so there is nothing to show here. Please ask an admin to add you with `/case staff add`."),
  ];
}

export function staffListBlocks(rows: Array<StaffRow & { supervisorSlackId: string | null }>): Block[] {
  if (rows.length === 0) return [section('_The staff directory is empty._')];
  const lines = rows.map(
    (r) =>
      `• <@${r.slackUserId}> — ${r.role}${r.supervisorSlackId ? `, supervised by <@${r.supervisorSlackId}>` : ''} · ${r.timeZone}${r.onCall ? ' · on call' : ''}`,
  );
  const out: Block[] = [header('Staff directory')];
  for (let i = 0; i < lines.length; i += 30) out.push(section(lines.slice(i, i + 30).join('\n')));
  return out;
}

export function ledgerBlocks(reference: string, lines: LedgerLine[], zone: string): Block[] {
  if (lines.length === 0) return [section(`Nothing has been planned for *${reference}* yet.`)];
  const rows = lines.map(
    (l) =>
      `• \`${l.kind}\` → ${l.recipientType} (${l.channel}) · due ${staffTime(l.dueAt.toJSDate(), zone)} · *${l.status}*${l.reason ? ` — ${esc(l.reason)}` : ''}${l.attempts > 1 ? ` · ${l.attempts} attempts` : ''}`,
  );
  const out: Block[] = [header(`Messages for ${reference}`)];
  for (let i = 0; i < rows.length; i += 15) out.push(section(rows.slice(i, i + 15).join('\n')));
  return out;
}

export const HELP_TEXT = [
  '*Casework commands*',
  '• `/case` — my caseload, most urgent first',
  '• `/case C-2026-0042` — the case card (with buttons to log a note, book, plan, move phase, message the client, close)',
  '• `/case C-2026-0042 log` — what was sent for a case, and why something was not',
  '• `/case C-2026-0042 intake` · `/case C-2026-0042 history` — everything the client said at intake; notes and messages, newest first',
  "• `/case C-2026-0042 export` — the whole record as Markdown and JSON files in your DM · `… erase` — ask for the client's data to be erased on their behalf · `… redact` — blank one note or message (supervisors)",
  "• `/case team` — my team's caseload and open escalations (supervisors)",
  '• `/case report [team|@worker] [period]` — supervision report (caseload, note timeliness, four elements, escalations, appointments, outcomes) with charts and a CSV in your DM; periods like `30d`, `quarter`, `2026-Q3`, `2026-09-01..2026-09-30` (workers: their own)',
  '• `/case staff list` · `/case staff add @user worker supervisor:@someone` · `/case staff remove @user` (admins)',
  '• `/case oncall` — who is on call; `set @user from … to …`, `rotate @a @b from <date> 09:00`, `swap @a @b` (supervisors, admins)',
  "• `/case handover @from @to [until YYYY-MM-DD]` — leave cover: choose which of @from's open cases move; they go back on the until date · `/case handover list` · `/case handover undo <id>` (supervisors of both, admins)",
  "• `/case C-2026-0042 refer` — refer the client to a service in the resource directory · `/case C-2026-0042 referrals` — the case's referrals and why",
  '• `/case resources [list [category]]` — the resource directory · `add` · `edit <id or name>` · `remove <id or name>` (admins)',
  '• `/case help` — this help',
  'The App Home tab shows your caseload too.',
].join('\n');
