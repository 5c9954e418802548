import type { ReportTarget } from '../../reports/report.access.js';
import { PERIOD_HELP } from '../outcome-words.js';
import { mentionOf } from './mention.js';

/**
 * Parse `/case report [team|all|@worker|me] [period]` (pure). The target may
 * come first or last; whatever is not the target is the period. Slack sends
 * mentions as `<@U123|name>`.
 */
const REPORT_USAGE = `Usage: \`/case report [team|@worker] [period]\` — e.g. \`/case report\`, \`/case report team quarter\`, \`/case report @ada 2026-Q3\`. ${PERIOD_HELP}`;

export function parseReportCommand(args: string[]): { ok: true; target: ReportTarget | null; period: string } | { ok: false; message: string } {
  let target: ReportTarget | null = null;
  const rest: string[] = [];
  for (const raw of args) {
    const t = raw.toLowerCase();
    const user = mentionOf(raw);
    const found: ReportTarget | null = user
      ? { kind: 'worker', slackUserId: user }
      : t === 'team'
        ? { kind: 'team' }
        : t === 'all'
          ? { kind: 'all' }
          : t === 'me' || t === 'mine'
            ? { kind: 'me' }
            : null;
    if (!found) {
      if (raw.startsWith('@'))
        return {
          ok: false,
          message: `I don't know ${raw.slice(0, 40)}: pick the person from Slack's list as you type @, so the mention becomes a link.\n${REPORT_USAGE}`,
        };
      rest.push(raw);
      continue;
    }
    if (target) return { ok: false, message: `One report at a time, please: either a team or one person.\n${REPORT_USAGE}` };
    target = found;
  }
  if (rest.some((r) => r.toLowerCase() === 'help')) return { ok: false, message: REPORT_USAGE };
  return { ok: true, target, period: rest.join(' ') };
}
