import type { WebClient } from '@slack/web-api';
import type { Deps } from '../deps.js';
import { loadCaseCard } from '../cases/case-card.js';
import { caseDeliveryLog } from '../cases/case-log.js';
import { caseloadOf, openEscalationsFor, teamCaseload } from '../cases/caseload.js';
import { parseReference } from '../cases/case-reference.js';
import { parseStaffCommand, STAFF_USAGE } from './commands/staff.parse.js';
import { addStaff, removeStaff, staffDirectory } from '../staff/staff.service.js';
import { findActiveStaffBySlack, teamOf, type StaffRow } from '../staff/staff.repo.js';
import { caseForActor, REFUSE } from './access.js';
import { caseCardBlocks, caseCardText } from './ui/case-card.blocks.js';
import type { Block } from './ui/blocks.js';
import {
  caseloadScreenBlocks,
  HELP_TEXT,
  homeBlocks,
  homeWithReports,
  ledgerBlocks,
  notStaffHome,
  staffListBlocks,
  teamScreenBlocks,
} from './ui/lists.blocks.js';
import { lookupVia, tell, type Asker } from './slack.kit.js';
import { oncallCommand, oncallHomeBlocks } from './oncall.screen.js';
import { reportCommand, reportHomeSection } from './report.screen.js';
import { staffResultText } from './outcome-words.js';

/**
 * What `/case …`, the App Home and the [Open case] buttons show. Each screen
 * checks the role it needs and records case views in the audit log.
 */
/**
 * A list of cases shown to someone is an access too: one audit row per view,
 * with references and counts only (no client data), on no single case.
 */
async function auditListView(deps: Deps, me: StaffRow, action: string, via: string, counts: Record<string, number>, refs: string[]): Promise<void> {
  await deps.audit.record({
    actor: { type: 'staff', id: me.id },
    action,
    subjectType: 'staff',
    subjectId: me.id,
    details: { via, ...counts, refs: refs.slice(0, 100).join(' ') },
  });
}

/** A person's own caseload shown to them: counted and listed by reference. */
function auditCaseload(deps: Deps, me: StaffRow, action: string, via: string, list: Array<{ reference: string }>): Promise<void> {
  return auditListView(
    deps,
    me,
    action,
    via,
    { cases: list.length },
    list.map((c) => c.reference),
  );
}

async function showCaseload(deps: Deps, a: Asker, me: StaffRow): Promise<void> {
  const list = await caseloadOf(deps, [me.id]);
  await auditCaseload(deps, me, 'caseload.viewed', 'command', list);
  await tell(a, `Your caseload: ${list.length} open case${list.length === 1 ? '' : 's'}`, caseloadScreenBlocks(list, me.timeZone, deps.clock.now()));
}

export async function showCaseCard(deps: Deps, a: Asker, me: StaffRow, by: { reference: string } | { id: string }): Promise<void> {
  const access = await caseForActor(deps, me, by, 'card');
  if (!access.ok) {
    await tell(a, access.message);
    return;
  }
  const card = await loadCaseCard(deps, access.case.id);
  if (!card) {
    await tell(a, REFUSE.unavailable(access.case.reference));
    return;
  }
  await deps.audit.record({ actor: { type: 'staff', id: me.id }, action: 'case.viewed', caseId: card.id, details: { via: 'slack' } });
  await tell(a, caseCardText(card), caseCardBlocks(card, me.timeZone, deps.clock.now()));
}

async function showLog(deps: Deps, a: Asker, me: StaffRow, reference: string): Promise<void> {
  const access = await caseForActor(deps, me, { reference }, 'log');
  if (!access.ok) {
    await tell(a, access.message);
    return;
  }
  const lines = await caseDeliveryLog(deps, access.case.id);
  await deps.audit.record({ actor: { type: 'staff', id: me.id }, action: 'case.delivery_log_viewed', caseId: access.case.id });
  await tell(a, `Messages for ${reference}: ${lines.length}`, ledgerBlocks(reference, lines, me.timeZone));
}

async function showTeam(deps: Deps, a: Asker, me: StaffRow): Promise<void> {
  if (me.role === 'worker') {
    await tell(a, REFUSE.role('supervisors and admins can see a team'));
    return;
  }
  const team = await teamOf(deps.db, me.id);
  const now = deps.clock.now();
  const loads = await teamCaseload(deps, me, team);
  const escalations = await openEscalationsFor(deps, [me.id, ...team.map((t) => t.id)], true);
  const teamCases = loads.flatMap((l) => l.cases);
  await auditListView(deps, me, 'team.viewed', 'command', { people: team.length, cases: teamCases.length, escalations: escalations.length }, [
    ...teamCases.map((c) => c.reference),
    ...escalations.map((e) => e.reference),
  ]);
  await tell(a, `Your team: ${team.length} people, ${escalations.length} open escalations`, teamScreenBlocks(loads, escalations, me.timeZone, now));
}

async function staffDirectoryCommand(deps: Deps, a: Asker, me: StaffRow, args: string[]): Promise<void> {
  const cmd = parseStaffCommand(args);
  if (cmd.op === 'invalid') {
    await tell(a, cmd.message);
    return;
  }
  if (cmd.op === 'list') {
    if (me.role === 'worker') {
      await tell(a, REFUSE.role('supervisors and admins can list the staff directory'));
      return;
    }
    const rows = await staffDirectory(deps);
    await tell(a, `Staff directory: ${rows.length} people`, staffListBlocks(rows));
    return;
  }
  if (me.role !== 'admin') {
    await tell(a, `${REFUSE.role('admins can change the staff directory')} ${STAFF_USAGE}`);
    return;
  }
  const r = cmd.op === 'add' ? await addStaff(deps, me, cmd, lookupVia(a.client)) : await removeStaff(deps, me, cmd.userId);
  await tell(a, staffResultText(r));
}

async function showHelp(a: Asker): Promise<void> {
  await tell(a, HELP_TEXT);
}

/** Parse `/case …` and route it. */
export async function caseCommand(deps: Deps, a: Asker, me: StaffRow, text: string): Promise<void> {
  const args = text.trim().split(/\s+/).filter(Boolean);
  const first = (args[0] ?? '').toLowerCase();
  if (!first) return showCaseload(deps, a, me);
  if (first === 'help') return showHelp(a);
  if (first === 'team') return showTeam(deps, a, me);
  if (first === 'staff') return staffDirectoryCommand(deps, a, me, args.slice(1));
  if (first === 'oncall') return oncallCommand(deps, a, me, args.slice(1));
  if (first === 'report' || first === 'reports') return reportCommand(deps, a, me, args.slice(1));
  const ref = parseReference(args[0]!);
  if (ref) {
    if ((args[1] ?? '').toLowerCase() === 'log') return showLog(deps, a, me, ref);
    if (args.length > 1) return tell(a, `I only know \`/case ${ref}\`, \`/case ${ref} log\`, \`/case ${ref} intake\` and \`/case ${ref} history\`.`);
    return showCaseCard(deps, a, me, { reference: ref });
  }
  if (/^c-/i.test(first)) return tell(a, `\`${args[0]!.slice(0, 30)}\` is not a case reference; they look like C-2026-0042.`);
  return tell(a, `I don't know \`${args[0]!.slice(0, 30)}\`.\n${HELP_TEXT}`);
}

/** The App Home tab: caseload for everyone; team, escalations and unassigned intakes for supervisors and admins. */
export async function publishHome(deps: Deps, client: WebClient, userId: string): Promise<void> {
  await client.views.publish({ user_id: userId, view: { type: 'home', blocks: await homeViewBlocks(deps, userId, { audit: true }) } });
}

/**
 * The blocks of someone's App Home, as of now (also rendered by the 'app_home'
 * delivery kind after a change). `audit`: the person opened the tab (a view,
 * recorded); a republish after a change is not (the change itself is).
 */
export async function homeViewBlocks(deps: Deps, userId: string, opts: { audit?: boolean } = {}): Promise<Block[]> {
  const me = await findActiveStaffBySlack(deps.db, userId);
  if (!me) return notStaffHome();
  const now = deps.clock.now();
  const caseload = await caseloadOf(deps, [me.id]);
  const oncall = await oncallHomeBlocks(deps, me);
  if (me.role === 'worker') {
    if (opts.audit) await auditCaseload(deps, me, 'home.viewed', 'app_home', caseload);
    return [...oncall, ...homeBlocks({ me, caseload, now })].slice(0, 100);
  }
  const team = await teamOf(deps.db, me.id);
  const loads = await teamCaseload(deps, me, team);
  const escalations = await openEscalationsFor(deps, [me.id, ...team.map((t) => t.id)], true);
  const unassigned = await caseloadOf(deps, [], { unassigned: true });
  if (opts.audit) {
    const teamCases = loads.flatMap((l) => l.cases);
    await auditListView(
      deps,
      me,
      'home.viewed',
      'app_home',
      { cases: caseload.length, team_cases: teamCases.length, escalations: escalations.length, unassigned: unassigned.length },
      [...caseload, ...teamCases, ...unassigned].map((c) => c.reference).concat(escalations.map((e) => e.reference)),
    );
  }
  const reports = await reportHomeSection(deps, me);
  // The Reports section goes before the long lists, so the 100-block cap never cuts it.
  const home = homeBlocks({ me, caseload, team: loads, escalations, unassigned, now });
  return homeWithReports(oncall, home, reports);
}
