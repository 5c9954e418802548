import type { Deps } from '../deps.js';
import { parseReportCommand } from './commands/report.parse.js';
import { reportFiles, reportFor, runReport } from '../reports/report.run.js';
import { parsePeriod } from '../reports/period.js';
import { teamOf, type StaffRow } from '../staff/staff.repo.js';
import { reportHomeBlocks, reportText, reportTextBlocks } from './ui/report.blocks.js';
import type { Block } from './ui/blocks.js';
import { tell, type Asker } from './slack.kit.js';
import { reportRefusalText } from './access.js';
import { periodErrorText } from './outcome-words.js';

/**
 * `/case report [team|@worker] [period]`: the figures as text to the asker
 * at once, then the CSV and the charts (PNG) uploaded to their DM — the same
 * upload path as the case export. The App Home's "Reports" section is the
 * short version for supervisors and admins.
 */
export async function reportCommand(deps: Deps, a: Asker, me: StaffRow, args: string[]): Promise<void> {
  const cmd = parseReportCommand(args);
  if (!cmd.ok) return tell(a, cmd.message);
  const run = await runReport(deps, me, { target: cmd.target, period: cmd.period, via: 'command' });
  if (!run.ok) return tell(a, 'error' in run ? periodErrorText(run.error) : reportRefusalText(run));
  const r = run.report;
  await tell(a, reportText(r), reportTextBlocks(r));
  const files = await reportFiles(r, run.fileTag, { csv: true });
  const dm = await a.client.conversations.open({ users: me.slackUserId });
  const channelId = dm.channel?.id;
  if (!channelId) throw new Error('could not open a DM with the requester');
  await a.client.filesUploadV2({
    channel_id: channelId,
    initial_comment: `Supervision report — ${r.scopeLabel}, ${r.period.label}: the figures as CSV and ${files.length - 1} chart${files.length === 2 ? '' : 's'}. Case references and staff names only.`,
    file_uploads: files.map((f) => ({ file: f.content, filename: f.filename, title: f.title })),
  });
}

/**
 * The "Reports" section of a supervisor's or admin's App Home: the last 30
 * days of the people who report to them (and themselves). Never the whole
 * agency, even for an admin: App Home is re-rendered after every change to a
 * case it shows, and `/case report all` is there for that.
 */
export async function reportHomeSection(deps: Deps, me: StaffRow): Promise<Block[]> {
  if (me.role === 'worker') return [];
  const period = parsePeriod('30d', me.timeZone, deps.clock.now());
  if (!period.ok) return [];
  const team = await teamOf(deps.db, me.id);
  const workers = [me, ...team].map((s) => ({ id: s.id, name: s.displayName, slackUserId: s.slackUserId }));
  return reportHomeBlocks(await reportFor(deps, team.length ? `${me.displayName}'s team` : me.displayName, workers, period.period, { light: true }));
}
